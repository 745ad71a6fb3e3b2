"""The CLI and the core never import Textual; the domain imports no ORM, nor does the desk's first frame (STYLE: Shape)."""

import pickle
import subprocess
import sys

from tests import databases


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    return set(out.split())


def test_domain_is_pure():
    loaded = modules_after(
        "import tamdesk.domain.allowance, tamdesk.domain.calls, tamdesk.domain.caseload, "
        "tamdesk.domain.budget, tamdesk.domain.business_hours, tamdesk.domain.plans, tamdesk.domain.obligations"
    )
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "textual", "alembic", "tamdesk")} - {
        m for m in loaded if m.startswith("tamdesk.domain") or m == "tamdesk"
    }


def test_cli_week_imports_no_textual_nor_alembic(demo_url, demo_holidays):
    # The demo desk as `tamdesk demo` leaves it: migrated, and the holiday cache filled.
    loaded = modules_after(
        "import contextlib, io\nfrom tamdesk.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--db', {str(demo_url)!r}, 'week', '--json', '--now', '2026-11-23T08:00+01:00'])"
    )
    assert "textual" not in loaded
    assert "alembic" not in loaded  # an up-to-date database is not migrated
    assert "icalendar" not in loaded
    # Nothing the week summary does not use: the ORM, the user's folders, zones.
    # Holidays come from the cache the demo filled, so not even the holidays package.
    # A SQLite desk never imports psycopg (a solo desk needs no libpq); a PostgreSQL one needs it.
    third_party = {m.split(".")[0] for m in loaded if not m.startswith("_")} - set(sys.stdlib_module_names)
    driver = {"psycopg", "psycopg_binary"} if databases.SERVER else set()
    assert third_party <= {"tamdesk", "sqlalchemy", "typing_extensions", "platformdirs", "tzlocal", "tzdata", "cython_runtime", *driver}


def test_help_imports_nothing_heavy():
    # `tamdesk --help` itself, run to its end (argparse exits 0 after printing the usage),
    # must leave the UI, the ORM, the holidays and arrow unimported (STYLE: Startup).
    loaded = modules_after(
        "import contextlib, io\nfrom tamdesk.cli.main import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n    main(['--help'])\n"
        "assert out.getvalue().startswith('usage: tamdesk'), out.getvalue()"
    )
    assert not {"textual", "sqlalchemy", "holidays", "arrow"} & {m.split(".")[0] for m in loaded}


def test_arrow_is_imported_only_by_human_ages_and_relative_dates(tmp_path):
    db = str(tmp_path / "d.sqlite")
    now = ["--db", db, "--now", "2026-11-23T08:00+01:00", "--tz", "Europe/Madrid"]
    setup = (
        "from tamdesk.cli.main import main\n"
        f"main({now!r} + ['customer', 'add', 'Acme', '--plan', 'tam-a', '--tz', 'UTC'])\n"
        f"main({now!r} + ['case', 'open', 'Acme', 'x', '--severity', 'high'])\n"
    )
    subprocess.run([sys.executable, "-c", setup], check=True, capture_output=True)

    def loads_arrow(*args: str) -> bool:
        loaded = modules_after(
            "import contextlib, io\nfrom tamdesk.cli.main import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main({now!r} + {list(args)!r}) == 0"
        )
        return "arrow" in loaded

    # JSON and ISO dates never pay arrow's import (some 70 ms) ...
    assert not loads_arrow("week", "--json")
    assert not loads_arrow("week", "--date", "2026-11-30", "--json")
    assert not loads_arrow("case", "list", "--json")
    # ... nor the days a khal or timewarrior user types (issue 15): the desk reads those itself.
    assert not loads_arrow("week", "--date", "fri", "--json")
    assert not loads_arrow("session", "list", "--from", "tomorrow", "--to", "+3d", "--json")
    # ... the human table's ages and a relative date do.
    assert loads_arrow("case", "list", "--now", "2026-11-26T08:00+01:00")  # "3 days": arrow's words
    assert loads_arrow("week", "--date", "in a week", "--json")


def test_what_the_desk_draws_its_first_frame_with_imports_no_sqlalchemy(demo, tmp_path):
    # `tamdesk` on a terminal forks a child that opens the desk (tamdesk.startup.fork_first) while it
    # imports the interface; then it unpickles the child's first read and draws the week. None of
    # that may import the ORM or the models: SQLAlchemy's import (some 0.45 s) is the child's, and
    # the parent's own desk opens after the first frame.
    from tamdesk.services.opening import read_start

    start = tmp_path / "start.pickle"
    start.write_bytes(pickle.dumps(("start", demo.read(read_start))))  # as the child sends it
    loaded = modules_after(
        "import pickle\nimport tamdesk.cli.main, tamdesk.startup, tamdesk.services.opening\n"
        "import tamdesk.tui.app, tamdesk.tui.screens.week\n"
        f"kind, start = pickle.loads(open({str(start)!r}, 'rb').read())\n"
        "assert start.week.agenda.calls, 'the demo week has calls: the pickle holds the whole page'"
    )
    assert "textual" in loaded  # the interface was imported ...
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "alembic")}  # ... and no ORM
    assert not {"tamdesk.store.models", "tamdesk.store.engine", "tamdesk.services.desk"} & loaded


def test_cli_week_reads_without_setting_up_the_orm(demo_url, demo_holidays):
    # The week is read through Core tables (tamdesk.store.tables): configuring the ORM's mappers, and
    # compiling the ORM's statements, cost a fresh process tens of milliseconds it did not need (issue 15).
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import contextlib, io\nfrom sqlalchemy.orm import Mapper\nfrom tamdesk.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['--db', {demo_url!r}, 'week', '--json', '--now', '2026-11-23T08:00+01:00'])\n"
            "import sys\n"
            "mapped = 'tamdesk.store.models' in sys.modules\n"
            "from tamdesk.store.models import Base\n"
            "print(code, mapped, sorted(m.class_.__name__ for m in Base.registry.mappers if m.configured))",
        ],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    # Nor are the ORM's classes even mapped: importing the models maps them, some 40 ms of the command.
    assert out.split(maxsplit=2) == ["0", "False", "[]\n"], out
