"""Problem records: the cause behind recurring cases, its cases, and its solution sent to all of them (L6, L11).

Linking a case to a problem is a ``linked`` event of the case. Resolving a
problem with its solution sends that solution as a customer update (an
``updated`` event whose note is the solution) on every linked case still open
("emite la solución a todos los clientes que reportaron el mismo problema", 001),
and with ``resolve_cases`` resolves them too, the solution as their resolution
note; the queue then opens as many cases as places freed (C2). Each use-case is
one transaction, journaled for ``tamdesk undo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import select

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import MAX_NAME, read_text
from tamdesk.services.cases import add_event, back_to_queue, case_of, close_case, promote, remove_events, undo_resolution
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.services.views import iso
from tamdesk.store.models import Problem


@dataclass(frozen=True)
class ProblemCase:
    """A case linked to a problem, as the problem lists it."""

    id: int
    customer: str
    title: str
    status: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "customer": self.customer, "title": self.title, "status": self.status}


@dataclass(frozen=True)
class ProblemView:
    """A problem record with its cases (L6) and, once resolved, its solution (L11)."""

    id: int
    title: str
    opened_at: datetime
    resolved_at: datetime | None
    solution: str | None
    cases: tuple[ProblemCase, ...] = ()
    #: the cases resolved with it (``resolve --resolve-cases``) and the cases the queue opened for them (C2)
    resolved_cases: tuple[int, ...] = field(default=())
    promoted: tuple[int, ...] = field(default=())

    @property
    def status(self) -> str:
        return "resolved" if self.resolved_at else "open"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "status": self.status, "opened_at": iso(self.opened_at),
            "resolved_at": iso(self.resolved_at), "solution": self.solution,
            "cases": [c.as_json() for c in self.cases],
        }


def problem_view(problem: Problem, resolved: Sequence[int] = (), promoted: Sequence[int] = ()) -> ProblemView:
    """The view of a problem row and its cases."""
    return ProblemView(
        problem.id, problem.title, problem.opened_at, problem.resolved_at, problem.solution,
        tuple(ProblemCase(c.id, c.customer.name, c.title, c.status) for c in problem.cases),
        tuple(resolved), tuple(promoted),
    )


def _problem(unit: Unit, problem_id: int | str) -> Problem:
    return unit.owned(Problem, problem_id, "problem", "problem list")


def _link(unit: Unit, problem: Problem, case_ids: Iterable[int | str]) -> dict[str, Any]:
    """Link each case to ``problem`` (a ``linked`` event each); what undoing needs: the events and former links."""
    events: list[int] = []
    links: dict[str, int | None] = {}
    for case in [case_of(unit, ref) for ref in case_ids]:  # every id is checked before anything changes
        if case.problem_id == problem.id or str(case.id) in links:
            continue
        links[str(case.id)] = case.problem_id
        case.problem = problem
        events.append(add_event(unit, case, "linked", problem_id=problem.id).id)
    return {"events": events, "links": links}


def open_problem(desk: Desk, title: str, case_ids: Sequence[int | str] = ()) -> ProblemView:
    """Open a problem record, linking the cases named (L6)."""
    title = read_text(title, "a problem's title", limit=MAX_NAME, required=True)

    def work(unit: Unit) -> ProblemView:
        problem = Problem(tam_id=unit.tam.id, title=title, opened_at=unit.now)
        unit.session.add(problem)
        unit.session.flush()
        before = _link(unit, problem, case_ids)
        record(unit, "problem.opened", problem.id, f"opened problem {problem.id} ({title})", before)
        return problem_view(problem)

    return desk.write(work)


def link_cases(desk: Desk, problem_id: int | str, case_ids: Sequence[int | str]) -> ProblemView:
    """Link cases to a problem (L6); a case linked to another problem moves to this one."""

    def work(unit: Unit) -> ProblemView:
        problem = _problem(unit, problem_id)
        before = _link(unit, problem, case_ids)
        if before["events"]:
            linked = ", ".join(before["links"])
            record(unit, "problem.linked", problem.id, f"linked case {linked} to problem {problem.id}", before)
        return problem_view(problem)

    return desk.write(work)


def resolve_problem(desk: Desk, problem_id: int | str, solution: str, *, resolve_cases: bool = False) -> ProblemView:
    """Resolve a problem with its solution, sent as an update on every linked open case; optionally resolve them (L11)."""
    solution = read_text(solution, "the solution", required=True)

    def work(unit: Unit) -> ProblemView:
        problem = _problem(unit, problem_id)
        if problem.resolved_at is not None:
            raise BadInput(f"problem {problem.id} is already resolved")
        problem.resolved_at, problem.solution = unit.now, solution
        still_open = [c for c in problem.cases if c.status != "resolved"]
        updates = [add_event(unit, case, "updated", note=solution).id for case in still_open]
        resolved: list[dict[str, Any]] = []
        freed = 0
        if resolve_cases:
            for case in still_open:
                resolved.append({"id": case.id, "status": case.status, "opened_at": iso(case.opened_at)})
                freed += close_case(unit, case, solution)
        promoted = [c.id for c in promote(unit, freed)]
        record(unit, "problem.resolved", problem.id, f"resolved problem {problem.id} ({problem.title})",
               {"events": updates, "resolved": resolved, "promoted": promoted})
        return problem_view(problem, [r["id"] for r in resolved], promoted)

    return desk.write(work)


def list_problems(desk: Desk) -> list[ProblemView]:
    """The TAM's problems, open ones first, then newest first."""

    def work(unit: Unit) -> list[ProblemView]:
        rows = unit.session.scalars(select(Problem).where(unit.mine(Problem.tam_id))).all()
        ordered = sorted(rows, key=lambda p: (p.resolved_at is not None, -p.id))
        return [problem_view(p) for p in ordered]

    return desk.read(work)


def show_problem(desk: Desk, problem_id: int | str) -> ProblemView:
    """One problem with its cases."""
    return desk.read(lambda unit: problem_view(_problem(unit, problem_id)))


# -- undo ------------------------------------------------------------------------


def unlink(unit: Unit, before: dict[str, Any]) -> None:
    """Undo links: each case back to the problem it had, its ``linked`` events gone."""
    for case_id, former in before["links"].items():
        case_of(unit, case_id).problem_id = former
    remove_events(unit, before["events"])


def discard_problem(unit: Unit, problem_id: int, before: dict[str, Any]) -> Problem:
    """Undo opening a problem: its links go, then the problem."""
    unlink(unit, before)
    problem = _problem(unit, problem_id)
    unit.session.delete(problem)
    unit.session.flush()
    return problem


def unresolve_problem(unit: Unit, problem_id: int, before: dict[str, Any]) -> Problem:
    """Undo resolving a problem: the cases the queue opened wait again, the cases resolved with it are as they were,
    the updates it sent are taken back, and the problem is open again."""
    for promoted in before["promoted"]:
        back_to_queue(unit, promoted)
    for case in before["resolved"]:
        undo_resolution(unit, case["id"], case["status"], case["opened_at"], None)
    remove_events(unit, before["events"])
    problem = _problem(unit, problem_id)
    problem.resolved_at = problem.solution = None
    unit.session.flush()
    return problem
