"""The knowledge base: full-text search over cases and problems, best first (L12).

SQLite FTS5 holds every case's title and resolution note and every problem's
title and solution (table ``knowledge``, kept in step by the triggers of
migration 0006). A search reads the words typed, any of which may match,
ranks hits with ``bm25`` (best first) and shows the matching words with
``snippet()``. Opening a case suggests the closest past resolutions: the same
search, over resolved cases with a note and solved problems only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import read_text
from tamdesk.services.desk import Desk, Unit

#: Words of a search: letters and digits (FTS5's own syntax is never read from what the TAM typed).
WORD = re.compile(r"\w+")
#: ``snippet()``'s marks around a matching word, its ellipsis and how many words it shows.
SNIPPET = "'[', ']', '…', 12"
#: The columns a snippet comes from: the best matching one (a search), or the resolution itself (a suggestion).
BEST_COLUMN, BODY = -1, 1
#: A row's rowid says what it is (migration 0006): a case's id times two, a problem's times two plus one.
HITS = f"""
SELECT knowledge.rowid % 2 AS problem, knowledge.rowid / 2 AS id, customers.name AS customer, knowledge.title,
       snippet(knowledge, {{column}}, {SNIPPET}) AS snippet
FROM knowledge
LEFT JOIN cases ON knowledge.rowid % 2 = 0 AND cases.id = knowledge.rowid / 2
LEFT JOIN customers ON customers.id = cases.customer_id
LEFT JOIN problems ON knowledge.rowid % 2 = 1 AND problems.id = knowledge.rowid / 2
WHERE knowledge MATCH :query AND knowledge.tam = :tam {{only}}
ORDER BY bm25(knowledge), knowledge.rowid DESC
LIMIT :limit
"""
#: Past resolutions only: resolved cases with a note, problems with a solution, never the case just opened.
RESOLUTIONS = (
    "AND ((cases.status = 'resolved' AND cases.resolution_note IS NOT NULL) OR problems.solution IS NOT NULL) "
    "AND knowledge.rowid != :leave_out * 2"
)


@dataclass(frozen=True)
class Hit:
    """A case or a problem the search found, with its matching words in brackets."""

    kind: str  # "case" or "problem"
    id: int
    customer: str | None
    title: str
    snippet: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "customer": self.customer, "title": self.title, "snippet": self.snippet}


def fts_query(typed: str) -> str | None:
    """FTS5's query for what the TAM typed: any of its words, each quoted; None when it has no word."""
    words = WORD.findall(typed)
    return " OR ".join(f'"{word}"' for word in words) or None


def _hits(unit: Unit, typed: str, limit: int, only: str = "", column: int = BEST_COLUMN, **params: Any) -> list[Hit]:
    query = fts_query(typed)
    if query is None:
        return []
    rows = unit.session.execute(
        text(HITS.format(only=only, column=column)), {"query": query, "tam": unit.tam.id, "limit": limit, **params}
    ).all()
    return [Hit("problem" if r.problem else "case", r.id, r.customer, r.title, r.snippet) for r in rows]


def search(desk: Desk, typed: str, limit: int = 10) -> list[Hit]:
    """Cases and problems whose title, resolution note or solution hold any of the words typed, best first (L12)."""
    typed = read_text(typed, "the search", required=True)
    if fts_query(typed) is None:
        raise BadInput(f"nothing to search for in {typed!r}: type a word")
    return desk.read(lambda unit: _hits(unit, typed, limit))


def closest_resolutions(desk: Desk, title: str, *, leave_out: int = 0, limit: int = 3) -> list[Hit]:
    """The past resolutions closest to a case's ``title``: what opening a case suggests (L12)."""
    return desk.read(lambda unit: _hits(unit, title, limit, RESOLUTIONS, BODY, leave_out=leave_out))
