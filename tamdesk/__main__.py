"""``python -m tamdesk``: the same entry point as the ``tamdesk`` script."""

from tamdesk.cli.main import program

raise SystemExit(program())
