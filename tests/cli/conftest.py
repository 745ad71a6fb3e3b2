"""The command line run in-process on the test database."""

import contextlib
import io
from typing import Callable

import pytest

from tamdesk.cli.main import main
from tests.conftest import NOW, shared_template


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


def desk_by_commands(factory: pytest.TempPathFactory, name: str, fill: Callable[[Callable[..., str]], object]) -> str:
    """A desk for the whole run, built once by the commands ``fill`` runs through the ``ok`` it is given.

    ``ok(*words)`` runs ``tamdesk WORDS`` on the template as ``run`` does (the clock at ``NOW``, the TAM in
    Madrid), asserts it succeeded and gives its output. A test copies the template (``databases.copy``)
    instead of running the commands again: a second of them, each.
    """

    def build(target: str) -> None:
        def ok(*words: str) -> str:
            output = io.StringIO()
            with contextlib.redirect_stdout(output):
                code = main(["--db", target, "--now", NOW, "--tz", "Europe/Madrid", *words])
            assert code == 0, words
            return output.getvalue()

        fill(ok)

    return shared_template(factory, name, build)

