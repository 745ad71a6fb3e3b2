"""Cases, time and customers from the keyboard: open, queue, resolve, filter, log, add, edit."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import DataTable, Input

from tamdesk.services.calls import list_calls
from tamdesk.services.cases import list_cases, open_case
from tamdesk.services.customers import get_customer, list_customers
from tamdesk.services.timelog import list_time
from tamdesk.tui.screens.confirm import ConfirmScreen
from tamdesk.tui.screens.customer_form import CustomerDialog
from tamdesk.tui.screens.open_case import OpenCaseDialog
from tests.conftest import table_rows
from tests.tui.conftest import screen_text
from tests.tui.scenes import fixed_now, play
from tests.tui.test_calls import typed


def open_count(desk) -> int:
    return sum(1 for c in list_cases(desk, include_resolved=False) if c.status == "open")


def queue_shown(app) -> list[tuple[str, str]]:
    """The Caseload screen's queue as shown: (position, case id) per row, top to bottom."""
    table = app.screen.query_one("#queue", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)[:2]) for i in range(table.row_count)]


async def test_open_a_case_below_the_cap(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("2", "o", *typed("hooli"), "tab", *typed("SSO login loops"), "ctrl+s"))
        assert "Caseload 28/30 open" in screen_text(app)
    case = max(list_cases(demo), key=lambda c: c.id)
    assert (case.customer, case.title, case.severity, case.status) == ("Hooli", "SSO login loops", "normal", "open")


async def test_at_the_cap_the_dialog_offers_the_queue(app, demo):
    for n in range(3):
        open_case(demo, "Hooli", f"Filler {n}", "normal")
    assert open_count(demo) == 30
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("2", "o", *typed("umbrella"), "tab", *typed("Audit log export"), "ctrl+s"))
        assert isinstance(app.screen, ConfirmScreen)
        assert "C1 asks first" in screen_text(app) or "Rule C1" in screen_text(app)
        await play(pilot, ("y",))
        assert "1 queued" in screen_text(app)
        queued = [c for c in list_cases(demo) if c.status == "queued"]
        # The only case waiting is first in line.
        assert queue_shown(app) == [("1", str(queued[0].id))]
    assert [(c.customer, c.title, c.queue_position) for c in queued] == [("Umbrella GmbH", "Audit log export", 1)]
    assert open_count(demo) == 30


async def test_the_queue_shows_each_case_at_its_c2_position(app, demo):
    # C2: the queue waits in order of severity (critical, high, normal), then age. Filed in the
    # order normal (oldest), high, normal, critical (newest), they must show as critical 1,
    # high 2, the older normal 3, the newer normal 4: not in the order they were filed.
    for n in range(3):
        open_case(demo, "Hooli", f"Filler {n}", "normal")
    assert open_count(demo) == 30
    filed = []
    for hours_ago, severity in ((4, "normal"), (3, "high"), (2, "normal"), (1, "critical")):
        at = demo.at(fixed_now() - timedelta(hours=hours_ago))
        filed.append(open_case(at, "Umbrella GmbH", f"Waiting {severity} {hours_ago}", severity, queue=True).id)
    old_normal, high, new_normal, critical = filed
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("2",))
        assert queue_shown(app) == [("1", str(critical)), ("2", str(high)), ("3", str(old_normal)), ("4", str(new_normal))]
        # Filtered to a severity, a case keeps its place in the whole queue.
        await play(pilot, ("slash", *typed("umbrella"), "enter"))
        app.screen.query_one("#severity-filter").value = "normal"
        await play(pilot, ())
        assert queue_shown(app) == [("3", str(old_normal)), ("4", str(new_normal))]


async def test_resolving_a_case_promotes_the_head_of_the_queue(app, demo):
    for n in range(3):
        open_case(demo, "Hooli", f"Filler {n}", "normal")
    waiting = open_case(demo, "Umbrella GmbH", "Waiting case", "high", queue=True)
    first_open = sorted((c for c in list_cases(demo) if c.status == "open"), key=lambda c: ("normal" != c.severity, c.id))
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("2",))
        selected = app.screen.query_one("#open-cases").selected_key
        await play(pilot, ("r", "enter"))  # r asks for a resolution note; Enter with none resolves
    resolved_id = int(selected.split(":")[1])
    statuses = {c.id: c.status for c in list_cases(demo)}
    assert statuses[resolved_id] == "resolved"
    assert statuses[waiting.id] == "open"  # C2: it took the freed place
    assert any(f"Case {waiting.id} (Umbrella GmbH) left the queue" in s for s in app.said)
    assert first_open  # the demo has open cases to resolve


async def test_filter_by_customer_and_severity(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("2", "slash", *typed("umbrella")))
        rows = [line for line in screen_text(app).splitlines() if line.count(" | ") == 5]
        assert rows and all("Umbrella GmbH" in row for row in rows)
        # Ages in words by the desk's clock: the demo opened this one 27 h before it (age_days 1, plus 3 h): "a day".
        # Its next deadline comes before the age; tests/tui/test_case_clocks.py checks what it says.
        assert any("Umbrella GmbH | Data loss after failed batch update | " in row and row.endswith(" | a day") for row in rows)
        await play(pilot, ("escape",))
        rows = [line for line in screen_text(app).splitlines() if line.count(" | ") == 5]
        assert any("Hooli" in row for row in rows)


async def test_log_time_from_anywhere_and_see_it_on_the_time_screen(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("3", "l", *typed("soylent"), "tab", "tab", *typed("1.5"), "tab", "tab", "tab", *typed("Roadmap prep"), "ctrl+s"))
        await play(pilot, ("5",))
        assert "Soylent Nordic | 1.5 h" in screen_text(app)
    entries = [e for e in list_time(demo, date(2026, 11, 23), date(2026, 11, 23)) if e.note == "Roadmap prep"]
    assert [(e.customer, e.minutes) for e in entries] == [("Soylent Nordic", 90)]


async def test_the_day_of_a_time_entry_may_be_typed_as_people_say_it(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("3", "l", *typed("soylent"), "tab"))
        app.screen.query_one("#day", Input).value = ""
        await play(pilot, (*typed("3 days ago"), "tab", *typed("1"), "tab", "tab", "tab", *typed("Relative"), "ctrl+s"))
        # Friday is in the week that has ended: B5 asks before it changes.
        assert isinstance(app.screen, ConfirmScreen) and "B5" in screen_text(app)
        await play(pilot, ("y",))
    # The desk's clock is Monday 23 Nov 2026: three days ago is Friday 20 Nov.
    entries = [e for e in list_time(demo, date(2026, 11, 16), date(2026, 11, 23)) if e.note == "Relative"]
    assert [(e.customer, e.work_date, e.minutes) for e in entries] == [("Soylent Nordic", date(2026, 11, 20), 60)]


async def test_logging_past_the_weekly_cap_asks_and_marks_the_entry(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("l", *typed("umbrella"), "tab", "tab", *typed("6"), "ctrl+s"))
        assert isinstance(app.screen, ConfirmScreen)
        assert "B2" in screen_text(app)
        await play(pilot, ("y",))
    entry = max(list_time(demo, date(2026, 11, 23), date(2026, 11, 23)), key=lambda e: e.id)
    assert (entry.customer, entry.minutes, entry.over_budget) == ("Umbrella GmbH", 360, True)


async def test_add_a_customer_and_a_bad_zone_keeps_the_form(app, demo):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("3", "n", *typed("Initrode"), "tab", "tab", *typed("Europe/Lisbo"), "tab", *typed("PT"), "ctrl+s"))
        assert isinstance(app.screen, CustomerDialog)
        assert "✗ unknown time zone 'Europe/Lisbo'" in screen_text(app)
        assert app.screen.query_one("#name", Input).value == "Initrode"
        await play(pilot, ("shift+tab", "end", "n", "ctrl+s"))
        assert not isinstance(app.screen, CustomerDialog)
        assert "Customers · 14" in screen_text(app)
    added = get_customer(demo, "Initrode")
    assert (added.tz, added.country) == ("Europe/Lisbon", "PT")


async def test_edit_a_customer_past_the_plan_contact_limit_is_refused_by_p2(app, demo):
    before = table_rows(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        # Acme Logística (csm: at most 3 contacts) is first in the list.
        await play(pilot, ("3", "e", *("tab",) * 6, "end", *typed(", a@x.example, b@x.example, c@x.example"), "ctrl+s"))
        assert "✗ P2: plan csm allows at most 3 identified points of contact; 4 were given." in screen_text(app)
    assert table_rows(demo) == before
    assert len(list_customers(demo)) == 13


async def test_open_case_dialog_starts_with_the_customer_in_view(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, ("3", "down", "o"))
        assert isinstance(app.screen, OpenCaseDialog)
        assert app.screen.query_one("#customer", Input).value == "Contoso Ibérica"


async def test_the_customer_form_edits_the_contracts_dates_under_the_clis_rules(app, demo):
    before = table_rows(demo)
    (review,) = [c for c in list_calls(demo) if c.customer == "Acme Logística"]
    clear = ("end", *("backspace",) * 12)
    async with app.run_test(size=(120, 40)) as pilot:
        # Acme Logística (first in the list) held its quarterly business review on Wed 21 Oct at 12:00 in Mexico City.
        await play(pilot, ("3", "e", *("tab",) * 7, *clear, *typed("2026-11-01"), "ctrl+s"))
        assert isinstance(app.screen, CustomerDialog)
        assert "✗ S3: Acme Logística's contract would run from 2026-11-01" in screen_text(app)
        assert f"call {review.id} on Wed 21 Oct 2026 12:00" in screen_text(app)
        assert table_rows(demo) == before
        await play(pilot, (*clear, *typed("2026-10-01"), "tab", *typed("2027-06-30"), "ctrl+s"))
        assert not isinstance(app.screen, CustomerDialog)
    edited = get_customer(demo, "Acme Logística")
    assert (edited.active_from, edited.active_until) == (date(2026, 10, 1), date(2027, 6, 30))
