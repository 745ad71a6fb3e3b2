"""The command line run in-process on the test database."""

import pytest

from tamdesk.cli.main import main

NOW = "2026-11-23T08:00:00+01:00"


def runner(db_url, capsys):
    """Run ``tamdesk ARGS`` in-process on the database ``db_url`` names; return (code, stdout, stderr)."""

    def invoke(*args: str):
        code = main(["--db", str(db_url), "--now", NOW, "--tz", "Europe/Madrid", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def run(db_url, capsys):
    """Run ``tamdesk ARGS`` in-process on the test database; return (code, stdout, stderr)."""
    return runner(db_url, capsys)


def changes_nothing(run, db_url, *args: str):
    """Run ``tamdesk ARGS`` as ``run`` does and check every table is as it was; return (code, stdout, stderr)."""
    from tamdesk.services.desk import Desk
    from tests.conftest import table_rows

    desk = Desk.open(str(db_url))
    try:
        before = table_rows(desk)
        result = run(*args)
        assert table_rows(desk) == before, f"'tamdesk {' '.join(args)}' changed the desk"
    finally:
        desk.close()
    return result
