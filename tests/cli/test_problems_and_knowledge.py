"""Problems (L6, L11) and the knowledge base (L12) through the real command line.

The desk runs in Madrid (UTC+1 in November); NOW is Monday 23 November 2026, 08:00 there, 07:00 UTC.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import changes_nothing


@pytest.fixture
def acme(run):
    """Acme with three cases: 1 and 2 open, 3 resolved with its own note."""
    assert run("customer", "add", "Acme", "--plan", "tam-a", "--tz", "America/New_York", "--country", "US")[0] == 0
    for title in ("Login fails", "Login slow", "Login page blank"):
        assert run("case", "open", "Acme", title, "--severity", "high")[0] == 0
    assert run("case", "resolve", "3", "--note", "cleared the CDN cache")[0] == 0
    return run


def case(run, number: int) -> dict:
    return json.loads(run("case", "show", str(number), "--json")[1])


def test_problem_open_prints_its_id_and_lists_its_cases(acme):
    code, out, err = acme("problem", "open", "SSO tokens expire early", "--case", "1", "--case", "3")
    assert (code, out) == (0, "1\n"), err
    problem = json.loads(acme("problem", "show", "1", "--json")[1])
    assert (problem["title"], problem["status"], problem["solution"]) == ("SSO tokens expire early", "open", None)
    assert [(c["id"], c["status"]) for c in problem["cases"]] == [(1, "open"), (3, "resolved")]
    assert case(acme, 1)["problem"] == 1 and case(acme, 2)["problem"] is None
    assert [e["kind"] for e in case(acme, 1)["events"]][-1] == "linked"
    assert acme("problem", "link", "1", "2")[0] == 0
    assert [c["id"] for c in json.loads(acme("problem", "list", "--json")[1])[0]["cases"]] == [1, 2, 3]


def test_resolving_a_problem_sends_its_solution_as_an_update_to_every_linked_open_case(acme):
    # L11: cases 1 and 2 are open, 3 was resolved before: only 1 and 2 hear of the solution; none is resolved.
    assert acme("problem", "open", "SSO tokens expire early", "--case", "1", "--case", "2", "--case", "3")[0] == 0
    code, out, err = acme("problem", "resolve", "1", "--note", "rotate the signing key", "--now", "2026-11-23T10:00:00+01:00")
    assert code == 0, err
    assert "update to case 1, 2" in out
    for number in (1, 2):
        last = case(acme, number)["events"][-1]
        assert (last["kind"], last["at"], last["note"]) == ("updated", "2026-11-23T09:00:00+00:00", "rotate the signing key")
        assert case(acme, number)["status"] == "open"
    assert case(acme, 3)["events"][-1]["kind"] == "linked"  # resolved before: no update
    problem = json.loads(acme("problem", "show", "1", "--json")[1])
    assert (problem["status"], problem["resolved_at"], problem["solution"]) == (
        "resolved", "2026-11-23T09:00:00+00:00", "rotate the signing key",
    )


def test_resolve_cases_resolves_the_linked_open_cases_with_the_solution_as_their_note(acme):
    assert acme("problem", "open", "SSO tokens expire early", "--case", "1", "--case", "3")[0] == 0
    code, out, _ = acme("problem", "resolve", "1", "--note", "rotate the signing key", "--resolve-cases")
    assert code == 0 and "resolved case 1 with it" in out
    first = case(acme, 1)
    assert (first["status"], first["resolution_note"]) == ("resolved", "rotate the signing key")
    assert [e["kind"] for e in first["events"]][-2:] == ["updated", "resolved"]
    assert case(acme, 2)["status"] == "open"  # not linked
    assert case(acme, 3)["resolution_note"] == "cleared the CDN cache"  # resolved before, left as it was


def test_kb_search_finds_a_case_by_a_word_of_its_resolution_note_with_the_word_marked(acme):
    hits = json.loads(acme("kb", "search", "cdn", "--json")[1])
    assert hits == [{"kind": "case", "id": 3, "customer": "Acme", "title": "Login page blank",
                     "snippet": "cleared the [CDN] cache"}]


def test_kb_search_ranks_the_closest_first(acme):
    # bm25 (FTS5) adds a score per matching word: with notes of equal length and titles that do not match,
    # the note holding both words typed ranks above the one holding one of them; a note with neither is no hit.
    for title, note in (("Outage one", "restart the proxy service"), ("Outage two", "rebuild the proxy service"),
                        ("Outage six", "rebuild the mail service")):
        assert acme("case", "open", "Acme", title, "--severity", "normal")[0] == 0
    for number, note in ((4, "rebuild the proxy service"), (5, "restart the proxy service"), (6, "rebuild the mail service")):
        assert acme("case", "resolve", str(number), "--note", note)[0] == 0
    hits = json.loads(acme("kb", "search", "proxy restart", "--json")[1])
    assert [h["id"] for h in hits] == [5, 4]
    assert json.loads(acme("kb", "search", "proxy restart", "--limit", "1", "--json")[1])[0]["id"] == 5


def test_kb_search_finds_a_problem_by_its_solution_and_ignores_accents(acme):
    assert acme("problem", "open", "Tokens expire early")[0] == 0
    assert acme("problem", "resolve", "1", "--note", "rotate the signing key in the café")[0] == 0
    hits = json.loads(acme("kb", "search", "signing", "--json")[1])
    assert hits == [{"kind": "problem", "id": 1, "customer": None, "title": "Tokens expire early",
                     "snippet": "rotate the [signing] key in the café"}]
    assert [h["id"] for h in json.loads(acme("kb", "search", "cafe", "--json")[1])] == [1]
    code, out, _ = acme("kb", "search", "signing")
    assert code == 0 and "problem" in out and "[signing]" in out


def test_opening_a_case_suggests_the_closest_past_resolutions_on_stderr(acme):
    # Case 3 ("Login page blank", resolved with a note) is a past resolution; cases 1 and 2 are open: not suggested.
    code, out, err = acme("case", "open", "Acme", "Blank page after login", "--severity", "normal")
    assert (code, out) == (0, "4\n")
    assert "closest past resolutions" in err and "case 3 (Acme: Login page blank): cleared the CDN cache" in err
    assert "case 1 " not in err and "case 2 " not in err and "case 4 " not in err
    code, out, err = acme("case", "open", "Acme", "Printer jams", "--severity", "normal", "--json")
    assert code == 0 and json.loads(out)["id"] == 5 and "closest" not in err  # nothing close, nothing said


BAD = [
    (["problem", "open", "  "], 2, "cannot be empty"),
    (["problem", "open", "X", "--case", "77"], 2, "unknown case"),
    (["problem", "link", "9", "1"], 2, "unknown problem"),
    (["problem", "link", "1", "1", "77"], 2, "unknown case"),
    (["problem", "resolve", "1"], 2, "--note"),
    (["problem", "resolve", "2", "--note", "again"], 2, "already resolved"),
    (["problem", "show", "9"], 2, "unknown problem"),
    (["kb", "search", "!!"], 2, "type a word"),
    (["kb", "search", "x", "--limit", "0"], 2, "--limit"),
]


@pytest.mark.parametrize("args, code, words", BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_bad_problem_and_kb_input_exits_2_and_changes_nothing(acme, db_url, args, code, words):
    assert acme("problem", "open", "Open one")[0] == 0
    assert acme("problem", "open", "Solved one")[0] == 0
    assert acme("problem", "resolve", "2", "--note", "fixed")[0] == 0
    got, _, err = changes_nothing(acme, db_url, *args)
    assert got == code, err
    assert words in err
