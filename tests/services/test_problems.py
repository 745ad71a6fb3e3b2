"""Problems and the caseload queue (L11 with C2): resolving a problem's cases frees places the queue takes; undo gives them back."""

from __future__ import annotations


from tamdesk.services.cases import list_cases, open_case
from tamdesk.services.problems import open_problem, resolve_problem
from tamdesk.services.undo import undo
from tests.conftest import table_rows


def test_resolving_a_problems_cases_opens_as_many_queued_cases_and_undo_puts_all_back(desk, customer):
    customer("Acme")
    desk.catalogue = desk.catalogue._replace(caseload_cap=2)  # C1 with a cap of 2, to fill it quickly
    one, two = (open_case(desk, "Acme", title, "high").id for title in ("Proxy down", "Proxy slow"))
    queued = [open_case(desk, "Acme", title, "normal", queue=True).id for title in ("Export breaks", "Report slow")]
    problem = open_problem(desk, "Proxy leaks", [one, two]).id
    before = {name: rows for name, rows in table_rows(desk).items() if name not in ("journal", "settings")}

    # Two open cases resolved with the problem free two places: both queued cases open, in queue order (C2).
    view = resolve_problem(desk, problem, "patched the proxy", resolve_cases=True)
    assert (view.resolved_cases, view.promoted) == ((one, two), tuple(queued))
    assert {c.id: c.status for c in list_cases(desk)} == {one: "resolved", two: "resolved", queued[0]: "open", queued[1]: "open"}

    assert undo(desk).kind == "problem.resolved"
    assert {name: rows for name, rows in table_rows(desk).items() if name not in ("journal", "settings")} == before
