"""Use-cases of the desk, shared by the CLI and the TUI.

Each use-case opens one transaction through ``Desk.write`` or ``Desk.read``,
applies the rules of ``tamdesk.domain`` and returns plain views
(``tamdesk.services.views``), never ORM objects. A refusal raises before the
commit, so it changes nothing.
"""
