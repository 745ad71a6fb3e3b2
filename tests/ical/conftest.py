"""A desk whose calls exercise every corner of the export: zones, DST, moves, cancellations, awkward text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from icalendar import Calendar

from tamdesk.services.calls import book_call, cancel_call, move_call
from tamdesk.services.settings import set_setting

#: A customer name with every character iCalendar text must escape, and some it must carry unchanged.
AWKWARD = 'Café Ñandú, S.L.; R&D \\ "Ops" 🚀'
AWKWARD_AGENDA = "Línea 1: backups, restores; paths like C:\\data\\x\nLínea 2: 🚀 ümlauts — done?"


@dataclass
class Booked:
    """The calls the export desk holds, by what they test."""

    madrid_dst: Any  # 2027-03-29 in Madrid, the day after the spring change
    new_york_night: Any  # across the November 2026 change in New York (a confirmed out-of-hours call)
    moved: Any
    cancelled: Any
    awkward: Any
    sydney: Any
    kolkata: Any
    sao_paulo: Any


@pytest.fixture
def booked(desk, at, customer) -> Booked:  # type: ignore[no-untyped-def]
    set_setting(desk, "name", "Alex Rivera")
    set_setting(desk, "email", "alex@tamdesk.example")
    set_setting(desk, "workday", "Mon-Sun 00:00-24:00")  # these zones span the clock; T8 is not under test here
    customer("Madrid Co", tz="Europe/Madrid", country="ES", contacts=["ana@madrid.example"])
    customer("NY Inc", tz="America/New_York", country="US", contacts=["bo@ny.example", "cy@ny.example"])
    customer(AWKWARD, tz="Europe/Madrid", country="ES")
    customer("Sydney Pty", tz="Australia/Sydney", country="AU")
    customer("Pune Ltd", tz="Asia/Kolkata", country="IN")
    customer("Paulista SA", tz="America/Sao_Paulo", country="BR")
    early = at("2026-10-01T08:00:00+00:00")
    madrid = book_call(at("2027-03-01T08:00:00+00:00"), "Madrid Co", "2027-03-29T10:00", agenda="After the change").call
    # 01:30 EDT, the first of the two 01:30s of that night: the hour ends at the second one, 01:30 EST.
    night = book_call(early, "NY Inc", "2026-11-01T01:30-04:00", force=True, agenda="Across the change").call
    moved = book_call(early, "NY Inc", "2026-11-24T10:00", agenda="To be moved").call
    moved = move_call(at("2026-11-20T08:00:00+00:00"), moved.id, "2026-11-25T14:00", by="customer").call
    cancelled = book_call(early, "Madrid Co", "2026-11-26T11:00", agenda="To be cancelled").call
    cancelled = cancel_call(at("2026-11-20T08:00:00+00:00"), cancelled.id, by="tam").call
    awkward = book_call(early, AWKWARD, "2026-11-27T12:00", agenda=AWKWARD_AGENDA).call
    sydney = book_call(early, "Sydney Pty", "2026-11-24T10:00").call
    kolkata = book_call(early, "Pune Ltd", "2026-11-25T10:00").call
    sao_paulo = book_call(early, "Paulista SA", "2026-11-24T10:00").call
    return Booked(madrid, night, moved, cancelled, awkward, sydney, kolkata, sao_paulo)


def parse(ical: bytes) -> Calendar:
    return Calendar.from_ical(ical)


def events_by_uid(calendar: Calendar) -> dict[str, Any]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}
