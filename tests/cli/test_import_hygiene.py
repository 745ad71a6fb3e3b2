"""The CLI and the core never import Textual; the domain imports no ORM (STYLE: Shape)."""

import subprocess
import sys


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


def test_cli_week_imports_no_textual_nor_alembic(demo_file, demo_holidays):
    # The demo desk as `tamdesk demo` leaves it: migrated, and the holiday cache filled.
    loaded = modules_after(
        "import contextlib, io\nfrom tamdesk.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--db', {str(demo_file)!r}, 'week', '--json', '--now', '2026-11-23T08:00+01:00'])"
    )
    assert "textual" not in loaded
    assert "alembic" not in loaded  # an up-to-date database is not migrated
    assert "icalendar" not in loaded
    # Nothing the week summary does not use: the ORM, the user's folders, zones.
    # Holidays come from the cache the demo filled, so not even the holidays package.
    third_party = {m.split(".")[0] for m in loaded if not m.startswith("_")} - set(sys.stdlib_module_names)
    assert third_party <= {"tamdesk", "sqlalchemy", "typing_extensions", "platformdirs", "tzlocal", "tzdata", "cython_runtime"}


def test_help_imports_nothing_heavy():
    loaded = modules_after("import sys; sys.argv=['tamdesk','--help']\nfrom tamdesk.cli.main import build_parser; build_parser()")
    assert not {"textual", "sqlalchemy", "holidays", "arrow"} & {m.split(".")[0] for m in loaded}
