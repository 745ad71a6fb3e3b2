"""``python -m tamdesk``: the same entry point as the ``tamdesk`` script."""

from tamdesk.cli.main import main

raise SystemExit(main())
