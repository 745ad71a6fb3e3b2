"""A deterministic desk of realistic size, for the benchmarks.

* ``small``: 1 TAM, 15 customers, 1 year of history;
* ``medium``: 1 TAM, 40 customers, 5 years: about 10,000 calls, 5,000 cases, 15,000 time entries;
* ``team``: 50 TAMs' worth of the medium data in one database (the TAM whose desk it is comes first).

History is written with bulk inserts straight into the schema (the rules were
checked when the data was made, not replayed call by call): one call a week
per customer on a weekday morning in the customer's own zone, most held, some
cancelled by either side, one in twenty moved a few days by either side, the
coming weeks still scheduled. Every call has its history as the desk writes
it (booked, moved, cancelled, held or no-show), so the TAM's moves and
cancellations carry credits as they do in use (S6); every case has its steps
(filed, opened, answered, resolved), so its clocks run (L3). The same size and seed
always give the same rows.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from tamdesk.domain.names import folded
from tamdesk.services.desk import Desk
from tamdesk.store.models import Call, CallEvent, Case, CaseEvent, Contact, Customer, Tam, TimeEntry

#: The clock every benchmark runs at: a Monday morning in Madrid.
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
TAM_TZ = "Europe/Madrid"


@dataclass(frozen=True)
class Size:
    tams: int
    customers: int
    years: int
    cases_per_customer_year: int
    entries_per_customer_year: int


SIZES = {
    "small": Size(tams=1, customers=15, years=1, cases_per_customer_year=25, entries_per_customer_year=75),
    "medium": Size(tams=1, customers=40, years=5, cases_per_customer_year=25, entries_per_customer_year=75),
    "team": Size(tams=50, customers=40, years=5, cases_per_customer_year=25, entries_per_customer_year=75),
}

#: (zone, country) pairs the customers are spread over, both hemispheres, with and without DST.
ZONES = [
    ("Europe/Madrid", "ES"), ("America/New_York", "US"), ("Europe/Berlin", "DE"), ("Australia/Sydney", "AU"),
    ("Asia/Kolkata", "IN"), ("America/Sao_Paulo", "BR"), ("Europe/London", "GB"), ("America/Chicago", "US"),
    ("America/Los_Angeles", "US"), ("Europe/Stockholm", "SE"), ("America/Mexico_City", "MX"),
]
PLANS = ["tam-a", "tam-b", "tam-c", "premium", "standard", "csm"]
SEVERITIES = ["critical", "high", "normal", "normal", "normal"]


def generate(path: Path | str, size_name: str, seed: int = 2026) -> dict[str, int]:
    """Create the desk of ``size_name`` in the new file ``path``, or the empty database a URL names; return its row counts."""
    if isinstance(path, Path) and path.exists():
        raise FileExistsError(f"{path} exists; the generator only makes new desks")
    size = SIZES[size_name]
    randomness = random.Random(seed)
    desk = Desk.open(str(path), now=NOW, tz=TAM_TZ)
    counts = {"tams": size.tams, "customers": 0, "calls": 0, "call_events": 0, "cases": 0, "case_events": 0, "time_entries": 0}
    try:
        with desk.engine.begin() as connection:
            for number in range(size.tams):
                tam_id = desk.tam_id if number == 0 else _new_tam(connection, number)
                if number == 0:
                    connection.execute(
                        Tam.__table__.update().where(Tam.id == tam_id).values(
                            name="Alex Rivera", email="alex.rivera@tamdesk.example", tz=TAM_TZ
                        )
                    )
                rows = _tam_rows(connection, tam_id, number, size, randomness)
                for key, value in rows.items():
                    counts[key] += value
    finally:
        desk.close()
    return counts


def _new_tam(connection, number: int) -> int:  # type: ignore[no-untyped-def]
    result = connection.execute(
        # ``name_key`` as the desk writes it (unique, migration 0009): a Core insert does not fill it.
        insert(Tam).values(
            name=f"TAM {number:02}", name_key=folded(f"TAM {number:02}"), email=f"tam{number:02}@tamdesk.example", tz=TAM_TZ
        )
    )
    return int(result.inserted_primary_key[0])


def _tam_rows(connection, tam_id: int, number: int, size: Size, randomness: random.Random) -> dict[str, int]:  # type: ignore[no-untyped-def]
    first_day = (NOW - timedelta(days=365 * size.years)).date()
    customers = []
    for index in range(size.customers):
        zone, country = ZONES[index % len(ZONES)]
        name = f"Customer {number:02}-{index:02}"
        result = connection.execute(
            insert(Customer).values(
                tam_id=tam_id, name=name, name_key=name.casefold(), plan=PLANS[index % len(PLANS)], tz=zone,
                country=country, created_at=datetime.combine(first_day, time(8), UTC),
            )
        )
        customer_id = int(result.inserted_primary_key[0])
        connection.execute(
            insert(Contact),
            [{"customer_id": customer_id, "email": f"ops{n}@customer-{number:02}-{index:02}.example"} for n in range(2)],
        )
        customers.append((customer_id, zone, PLANS[index % len(PLANS)]))
    calls, cases, entries = [], [], []
    for customer_id, zone, plan in customers:
        calls += _calls(tam_id, customer_id, zone, plan, first_day, randomness)
        cases += _cases(tam_id, customer_id, first_day, size, randomness)
        entries += _entries(tam_id, customer_id, first_day, size, randomness)
    # A TAM carries at most 30 open cases (C1): keep 27 open, the 90% warning zone (C3).
    for case in [c for c in cases if c["status"] == "open"][27:]:
        case.update(status="resolved", resolved_at=NOW)
    histories = {call["uid"]: (call["customer_id"], call.pop("history")) for call in calls}
    connection.execute(insert(Call), calls)
    ids = dict(connection.execute(select(Call.uid, Call.id).where(Call.tam_id == tam_id)).all())
    events = [
        {**event, "call_id": ids[uid], "customer_id": customer_id}
        for uid, (customer_id, history) in histories.items()
        for event in history
    ]
    connection.execute(insert(CallEvent), events)
    connection.execute(insert(Case), cases)
    case_ids = connection.execute(select(Case.id).where(Case.tam_id == tam_id).order_by(Case.id)).scalars().all()
    steps = [{**step, "case_id": case_id} for case_id, case in zip(case_ids, cases) for step in _case_history(case)]
    connection.execute(insert(CaseEvent), steps)
    connection.execute(insert(TimeEntry), entries)
    return {
        "customers": len(customers), "calls": len(calls), "call_events": len(events),
        "cases": len(cases), "case_events": len(steps), "time_entries": len(entries),
    }


def _calls(tam_id: int, customer_id: int, zone: str, plan: str, first_day: date, randomness: random.Random) -> list[dict]:
    tz = ZoneInfo(zone)
    rows = []
    monday = first_day - timedelta(days=first_day.weekday())
    last = (NOW + timedelta(weeks=6)).date()
    week = 0
    while monday <= last:
        day = monday + timedelta(days=randomness.randint(1, 3))  # Tuesday to Thursday
        local = datetime.combine(day, time(randomness.choice([9, 10, 11, 14, 15]), 0), tz)
        start = local.astimezone(UTC)
        if start < NOW:
            roll = randomness.random()
            status = "held" if roll < 0.88 else "no-show" if roll < 0.9 else (
                "cancelled-by-customer" if roll < 0.95 else "cancelled-by-tam"
            )
        else:
            status = "scheduled"
        review = plan.startswith("tam-") and week % 13 == 0
        history = _history(start, status, randomness)
        rows.append({
            "uid": str(uuid.UUID(int=randomness.getrandbits(128), version=4)),
            "tam_id": tam_id, "customer_id": customer_id, "starts_at": start, "minutes": 60, "status": status,
            "kind": "review" if plan == "csm" else "working", "review": review,
            "agenda": f"Week {week}: follow-up on open items", "exception": None, "over_budget": False,
            "sequence": sum(e["action"] in ("moved", "cancelled") for e in history),
            "created_at": history[0]["at"], "updated_at": history[-1]["at"], "history": history,
        })
        monday += timedelta(weeks=1)
        week += 1
    return rows


def _history(start: datetime, status: str, randomness: random.Random) -> list[dict]:
    """The call's events as the desk writes them: booked two weeks before, maybe moved, then its end (S2)."""
    booked_at = start - timedelta(days=14)
    first_start = start
    events = []
    moved_by = randomness.choice(["tam", "customer"]) if randomness.random() < 0.05 else None
    if moved_by:
        first_start = start - timedelta(days=randomness.randint(1, 6))
    events.append(_event(booked_at, "booked", None, None, first_start, None, "scheduled"))
    if moved_by:
        events.append(_event(booked_at + timedelta(days=3), "moved", moved_by, first_start, start, "scheduled", "scheduled"))
    if status.startswith("cancelled"):
        by = status.removeprefix("cancelled-by-")
        events.append(_event(start - timedelta(days=2), "cancelled", by, start, start, "scheduled", status))
    elif status in ("held", "no-show"):
        events.append(_event(start + timedelta(hours=1), status, None, start, start, "scheduled", status))
    return events


def _event(at: datetime, action: str, by: str | None, left: datetime | None, to: datetime, was: str | None, now: str) -> dict:
    return {
        "at": min(at, NOW), "action": action, "by": by, "from_starts_at": left, "to_starts_at": to,
        "from_status": was, "to_status": now,
    }


def _cases(tam_id: int, customer_id: int, first_day: date, size: Size, randomness: random.Random) -> list[dict]:
    rows = []
    span = (NOW.date() - first_day).days
    for number in range(size.cases_per_customer_year * size.years):
        filed = datetime.combine(first_day + timedelta(days=randomness.randrange(span)), time(9), UTC)
        resolved = filed + timedelta(days=randomness.randint(1, 30))
        still_open = resolved > NOW and randomness.random() < 0.5
        rows.append({
            "tam_id": tam_id, "customer_id": customer_id, "title": f"Case {number}: investigate a reported fault",
            "severity": randomness.choice(SEVERITIES), "status": "open" if still_open else "resolved",
            "filed_at": filed, "opened_at": filed, "resolved_at": None if still_open else min(resolved, NOW),
        })
    return rows


def _case_history(case: dict) -> list[dict]:
    """A case's steps as the desk writes them (L3): filed and opened, answered within the hour, maybe resolved.

    The open cases' clocks then run on (updates and escalations due), so the
    desk judges real deadlines on every read.
    """
    filed, resolved = case["filed_at"], case["resolved_at"]
    steps = [
        {"at": filed, "kind": "filed", "severity": case["severity"]},
        {"at": filed, "kind": "opened", "severity": None},
        {"at": min(filed + timedelta(minutes=50), resolved or NOW), "kind": "responded", "severity": None},
    ]
    if resolved is not None:
        steps.append({"at": resolved, "kind": "resolved", "severity": None})
    return steps


def _entries(tam_id: int, customer_id: int, first_day: date, size: Size, randomness: random.Random) -> list[dict]:
    span = (NOW.date() - first_day).days
    return [
        {
            "tam_id": tam_id, "customer_id": customer_id, "case_id": None, "call_id": None,
            "work_date": first_day + timedelta(days=randomness.randrange(span)),
            "minutes": randomness.choice([30, 45, 60, 90]), "note": "analysis", "activity": None,
            "over_budget": False, "logged_at": NOW,
        }
        for _ in range(size.entries_per_customer_year * size.years)
    ]
