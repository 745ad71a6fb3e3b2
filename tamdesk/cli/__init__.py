"""The ``tamdesk`` command line: thin commands over ``tamdesk.services``.

It never imports Textual; ``tamdesk`` with no command imports the TUI only
when it opens it.
"""
