"""The feed's cache (issue 17, X1): an export made from cached pieces is byte for byte the one built from scratch.

The reference is ``export_from_scratch``: every call read as mapped objects and
the whole calendar built by ``build_calendar``, with no cache. Each test changes
the desk the way a TAM does (the use-cases, not the cache's own tables) and
holds the cached export to the reference, and to the work it may do: only the
events a change touched are written again.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tamdesk.domain.errors import TamdeskError
from tamdesk.services import feed_cache
from tamdesk.services.calls import book_call, cancel_call, move_call
from tamdesk.services.cases import open_case
from tamdesk.services.customer_edit import CustomerChanges, edit_customer, edit_customer_contract
from tamdesk.services.customers import fields_of
from tamdesk.services.desk import Desk
from tamdesk.services.export import ExportOptions, export_from_scratch, export_ics
from tamdesk.services.settings import set_setting
from tamdesk.store.models import Customer

ZONES = ["Europe/Madrid", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo", "Europe/London"]


@pytest.fixture
def written(monkeypatch):
    """How many VEVENTs the cache serialized since the last look: ``written()`` returns the count and resets it."""
    count = [0]
    real = feed_cache._event_bytes

    def counting(*args):
        count[0] += 1
        return real(*args)

    monkeypatch.setattr(feed_cache, "_event_bytes", counting)

    def look() -> int:
        seen, count[0] = count[0], 0
        return seen

    return look


def _names(desk: Desk) -> list[str]:
    return desk.read(lambda unit: [c.name for c in unit.session.query(Customer).order_by(Customer.id)])


def _call_ids(desk: Desk) -> list[int]:
    from tamdesk.store.models import Call

    return desk.read(lambda unit: [c.id for c in unit.session.query(Call).order_by(Call.id)])


def _rename(desk: Desk, name: str, new: str) -> None:
    fields = desk.read(lambda unit: fields_of(unit.customer(name)))
    # the fields are a frozen dataclass here and a named tuple on main (value types as named tuples)
    edit_customer(desk, name, fields._replace(name=new) if hasattr(fields, "_replace") else replace(fields, name=new))


def _set_notes(desk: Desk, name: str, notes: str) -> None:
    """The customer's internal notes (the desk's customer form writes them; no command does)."""
    desk.write(lambda unit: setattr(unit.customer(name), "notes", notes))


KINDS = ("book", "move", "cancel", "rename", "zone", "organizer", "alarm", "notes", "contacts", "case", "customer notes")


def random_change(
    desk: Desk, rng: random.Random, step: int, options: ExportOptions, kinds: tuple[str, ...] = KINDS
) -> ExportOptions:
    """One change a TAM makes, chosen by ``rng``; the options of the next export (notes may be turned on or off)."""
    names, calls = _names(desk), _call_ids(desk)
    kind = rng.choice(kinds)
    try:
        if kind == "book":
            day = date(2026, 11, 24) + timedelta(days=rng.randrange(0, 120))
            book_call(desk, rng.choice(names), f"{day}T{rng.randrange(7, 18):02d}:30", agenda=f"step {step}", force=True)
        elif kind == "move":
            day = date(2026, 11, 24) + timedelta(days=rng.randrange(0, 120))
            move_call(desk, rng.choice(calls), f"{day}T{rng.randrange(7, 18):02d}:00", by=rng.choice(["tam", "customer"]), force=True)
        elif kind == "cancel":
            cancel_call(desk, rng.choice(calls), by=rng.choice(["tam", "customer"]))
        elif kind == "rename":
            _rename(desk, rng.choice(names), f"Renamed {step}; R&D, \"Ops\"")
        elif kind == "zone":
            edit_customer_contract(desk, rng.choice(names), CustomerChanges(tz=rng.choice(ZONES)))
        elif kind == "organizer":
            set_setting(desk, "name", f"Alex Rivera {step}")
        elif kind == "alarm":
            set_setting(desk, "alarm_minutes", str(rng.choice([0, 5, 10, 30])))
        elif kind == "notes":
            return replace(options, include_notes=not options.include_notes)
        elif kind == "contacts":
            edit_customer_contract(desk, rng.choice(names), CustomerChanges(contacts=(f"new{step}@example.com",)))
        elif kind == "case":
            open_case(desk, rng.choice(names), f"Outage {step}", "high")
        else:
            _set_notes(desk, rng.choice(names), f"Note {step}: VPN first")
    except TamdeskError:
        pass  # a refusal changes nothing: the export must still match
    return options


def test_the_cached_export_is_the_reference_byte_for_byte_after_random_changes(booked, desk, written) -> None:
    """Forty seeded random changes, each followed by a cached export held to the one built from scratch."""
    rng = random.Random(17)
    options = ExportOptions()
    assert export_ics(desk, options).ical == export_from_scratch(desk, options).ical
    for step in range(40):
        options = random_change(desk, rng, step, options)
        assert export_ics(desk, options).ical == export_from_scratch(desk, options).ical, f"after step {step}"
    assert export_ics(desk, replace(options, include_notes=True)).ical == export_from_scratch(
        desk, replace(options, include_notes=True)
    ).ical


def test_each_kind_of_change_writes_again_only_the_events_it_shows_in(booked, desk, customer, written) -> None:
    # Expected counts from what each event shows (issue 17): a call's own move is one event; a customer's
    # name is in each of its calls; the organizer and the alarm are in every event; a time entry in none.
    everything = ExportOptions()
    assert export_ics(desk, everything).calls == 8
    assert written() == 8  # a cold cache: every event
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 0  # warm: none

    move_call(desk, booked.sydney.id, "2026-11-26T10:00", by="tam", force=True)
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 1

    _rename(desk, "NY Inc", "New York Inc")  # NY Inc holds two calls: the night one and the moved one
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 2

    set_setting(desk, "alarm_minutes", "5")
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 8  # every event (a cancelled call's has no alarm, but its digest holds the setting too)

    set_setting(desk, "email", "alex.rivera@tamdesk.example")  # the ORGANIZER of every event
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 8

    # With internal notes (X2) each of a customer's calls names its open cases and notes; without, none does.
    notes = ExportOptions(include_notes=True)
    assert export_ics(desk, notes).ical == export_from_scratch(desk, notes).ical
    assert written() == 8  # the events with notes are other events: a cache of their own
    open_case(desk, "New York Inc", "Outage at the plant", "high")
    _set_notes(desk, "Madrid Co", "VPN first")
    assert export_ics(desk, everything).ical == export_from_scratch(desk, everything).ical
    assert written() == 0
    assert export_ics(desk, notes).ical == export_from_scratch(desk, notes).ical
    assert written() == 2 + 2  # New York Inc's two calls, Madrid Co's two (the spring one and the cancelled one)


def test_the_cache_lives_in_the_database_so_another_process_reads_it(booked, desk, db_url, written) -> None:
    export_ics(desk)
    assert written() == 8
    other = Desk.open(str(db_url), now=desk.now(), tz="Europe/Madrid")  # another process's desk on the same file
    try:
        assert other.read(lambda unit: unit.session.connection().exec_driver_sql("SELECT count(*) FROM feed_events").scalar()) == 8
        assert export_ics(other).ical == export_from_scratch(other).ical
        assert written() == 0  # its export read every event from the cache
    finally:
        other.close()


def test_a_window_keeps_the_calls_from_its_first_day_on(booked, desk) -> None:
    # NOW is 2026-11-23 in Madrid (conftest): 10 days back is 2026-11-13, so the 1 November night call stays out.
    recent = ExportOptions(days_back=10)
    ical = export_ics(desk, recent).ical
    assert ical == export_from_scratch(desk, recent).ical
    assert booked.new_york_night.uid.encode() not in ical and booked.sydney.uid.encode() in ical
    assert export_ics(desk, recent).calls == 7
    assert export_ics(desk, ExportOptions(since=date(2027, 1, 1))).calls == 1  # the Madrid call of March 2027


@pytest.mark.slow  # the medium desk: generated, exported cold, then from scratch: about 50 s of one core
def test_on_the_medium_desk_the_cached_export_is_the_reference_after_random_changes(tmp_path: Path, written) -> None:
    """10,720 calls: random changes with an export after each, a customer's zone, then the organizer and the alarm.

    The organizer's name and the alarm are in every event, so after them the
    whole calendar is written again: they are checked on one customer's calls
    (a whole export of the same desk), after the whole calendar was.
    """
    from benchmarks.generate import NOW, TAM_TZ, generate
    from tamdesk.store.models import Call

    db = tmp_path / "medium.sqlite"
    generate(db, "medium")
    desk = Desk.open(str(db), now=NOW, tz=TAM_TZ)
    try:
        set_setting(desk, "email", "alex@tamdesk.example")
        set_setting(desk, "workday", "Mon-Sun 00:00-24:00")
        plain = ExportOptions()
        assert export_ics(desk, plain).calls == 10_720 and written() == 10_720  # the cold export fills the cache
        one = desk.read(lambda unit: unit.session.query(Customer).order_by(Customer.id)[3])
        with_notes = ExportOptions(customer=str(one.id), include_notes=True)  # one customer's calls, with notes
        export_ics(desk, with_notes)
        rng = random.Random(1717)
        options = plain
        cheap = tuple(kind for kind in KINDS if kind not in ("organizer", "alarm"))  # those two come last
        for step in range(12):
            options = random_change(desk, rng, step, options, cheap)
            export_ics(desk, plain)
            export_ics(desk, replace(with_notes, include_notes=options.include_notes))
        written()
        edit_customer_contract(desk, str(one.id), CustomerChanges(tz="Asia/Kolkata"))
        final = export_ics(desk, plain)
        # each of the customer's calls shows its zone, and no other call does
        assert written() == desk.read(lambda unit: unit.session.query(Call).filter(Call.customer_id == one.id).count())
        assert final.ical == export_from_scratch(desk, plain).ical
        set_setting(desk, "name", "Alex Rivera-Smith")
        set_setting(desk, "alarm_minutes", "10")
        for notes in (True, False):
            chosen = replace(with_notes, include_notes=notes)
            assert export_ics(desk, chosen).ical == export_from_scratch(desk, chosen).ical
    finally:
        desk.close()


def test_a_stale_or_missing_cache_entry_is_made_again_never_served(booked, desk, written) -> None:
    export_ics(desk)
    written()
    # The cache behind the export's back: one event's digest no longer what made it, another's row gone.
    def damage(unit) -> None:
        run = unit.session.execute
        ids = [row[0] for row in run(text("SELECT call_id FROM feed_events ORDER BY call_id"))]
        run(text("UPDATE feed_events SET digest = 'stale' WHERE call_id = :id"), {"id": ids[0]})
        run(text("DELETE FROM feed_events WHERE call_id = :id"), {"id": ids[1]})

    desk.write(damage)
    assert export_ics(desk).ical == export_from_scratch(desk).ical
    assert written() == 2


def test_new_zone_rules_write_every_event_and_zone_again(booked, desk, written, monkeypatch) -> None:
    # A call's local times and its VTIMEZONE come from the IANA rules: another version of them may move both.
    first = export_ics(desk)
    written()
    monkeypatch.setattr(feed_cache, "tzdata_version", lambda: "2099z")
    made = []
    real_piece = feed_cache._piece
    monkeypatch.setattr(feed_cache, "_piece", lambda piece: made.append(piece[0]) or real_piece(piece))
    again = export_ics(desk)
    assert written() == 8 and sorted(made) == ["header"] + ["zone"] * 5  # Madrid, New York, Sydney, Kolkata, São Paulo
    assert again.ical == first.ical and again.stamp != first.stamp  # the same rules in fact: the same bytes
