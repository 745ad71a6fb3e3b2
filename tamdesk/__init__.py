"""tamdesk: a terminal desk for Technical Account Managers.

The package is layered in one direction: ``tamdesk.domain`` (pure rules),
``tamdesk.store`` (SQLite through SQLAlchemy), ``tamdesk.services`` (use-cases
that the CLI and the TUI share), then ``tamdesk.cli`` and ``tamdesk.tui``.
Importing this package imports nothing else, so ``tamdesk --help`` stays fast.
"""

__version__ = "0.1.0"
