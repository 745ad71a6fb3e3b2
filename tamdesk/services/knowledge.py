"""The knowledge base: full-text search over cases and problems, best first (L12).

SQLite FTS5 holds every case's title and resolution note and every problem's
title and solution (table ``knowledge``, kept in step by the triggers of
migration 0006). A search reads the words typed, any of which may match,
ranks hits with ``bm25`` (best first) and shows the matching words with
``snippet()``. Opening a case suggests the closest past resolutions: the same
search, over resolved cases with a note and solved problems only.

PostgreSQL has no FTS5 (migration 0006 gives it a table of each row's words
with a GIN index): there the database finds the rows holding any word typed,
and this module ranks them with FTS5's own bm25 and cuts FTS5's snippet, so
that both stores give the same hits in the same order.
"""

from __future__ import annotations

import math
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
    if unit.session.get_bind().dialect.name == "postgresql":
        return _ranked_here(unit, typed, limit, only, column, params)
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


#: PostgreSQL: the rows holding any word typed, with what bm25 and the snippet read (migration 0006's words).
WORD_HITS = """
SELECT knowledge.rowid, customers.name AS customer, knowledge.title, knowledge.body, knowledge.words
FROM knowledge
LEFT JOIN cases ON knowledge.rowid % 2 = 0 AND cases.id = knowledge.rowid / 2
LEFT JOIN customers ON customers.id = cases.customer_id
LEFT JOIN problems ON knowledge.rowid % 2 = 1 AND problems.id = knowledge.rowid / 2
WHERE knowledge.words && CAST(:words AS text[]) AND knowledge.tam = :tam {only}
"""
#: How many rows hold each word, over the whole table (as FTS5 counts for bm25's IDF), and the table's size.
WORD_COUNTS = """
SELECT (SELECT count(*) FROM knowledge), (SELECT coalesce(sum(cardinality(words)), 0) FROM knowledge),
       ARRAY(SELECT (SELECT count(*) FROM knowledge WHERE words @> ARRAY[word]) FROM unnest(CAST(:words AS text[])) AS word)
"""
#: FTS5's bm25 constants.
K1, B = 1.2, 0.75
SNIPPET_MARKS, ELLIPSIS, SNIPPET_WORDS = ("[", "]"), "…", 12


def _ranked_here(unit: Unit, typed: str, limit: int, only: str, column: int, params: dict[str, Any]) -> list[Hit]:
    """The hits of a PostgreSQL desk, ranked and cut as FTS5 does (see the module's notes)."""
    session = unit.session
    # The words typed, read as the triggers read the rows' (lower case, no accents): FTS5's phrases, one a word.
    phrases: list[str] = list(session.scalar(text("SELECT knowledge_words(:typed, '')"), {"typed": typed}))
    rows = session.execute(text(WORD_HITS.format(only=only)), {"words": phrases, "tam": unit.tam.id, **params}).all()
    if not rows:
        return []
    total, tokens, holding = session.execute(text(WORD_COUNTS), {"words": phrases}).one()
    ranked = sorted(rows, key=lambda r: (bm25(r.words, phrases, holding, total, tokens / total), -r.rowid))
    return [
        Hit("problem" if r.rowid % 2 else "case", r.rowid // 2, r.customer, r.title, snippet((r.title, r.body), set(phrases), column))
        for r in ranked[:limit]
    ]


def bm25(words: list[str], phrases: list[str], holding: list[int], rows: int, average: float) -> float:
    """FTS5's ``bm25()`` of one row: minus the sum, over the phrases, of IDF times the saturated frequency."""
    score = 0.0
    for phrase, count in zip(phrases, holding):
        idf = math.log((rows - count + 0.5) / (count + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        frequency = words.count(phrase)
        score += idf * (frequency * (K1 + 1.0)) / (frequency + K1 * (1 - B + B * len(words) / average))
    return -1.0 * score  # FTS5 returns minus the score: the best hit sorts first


def _folded(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def snippet(columns: tuple[str, ...], phrases: set[str], column: int = BEST_COLUMN, size: int = SNIPPET_WORDS) -> str:
    """FTS5's ``snippet()``: the best window of ``size`` words of the best column (or ``column``), hits marked.

    A window scores 1000 per phrase it holds and 1 per repeat; it is moved to centre
    its hits, and a window from a sentence's start scores 100 more (120 from the text's).
    """
    best = (0, column if column >= 0 else 0, 0)  # (score, column, first word)
    spans = [[(m.start(), m.end(), _folded(m.group())) for m in WORD.finditer(value)] for value in columns]
    for index, words in enumerate(spans):
        if column >= 0 and index != column:
            continue
        hits = [at for at, (_, _, word) in enumerate(words) if word in phrases]
        firsts = _sentence_starts(columns[index], words)
        for at in hits:
            score, start = _window(words, hits, at, size, adjust=True)
            if score > best[0]:
                best = (score, index, start)
            if len(words) > size and firsts:
                first = max(f for f in firsts if f <= at) if any(f <= at for f in firsts) else firsts[0]
                if first < at:
                    score, _ = _window(words, hits, first, size, adjust=False)
                    score += 120 if first == 0 else 100
                    if score > best[0]:
                        best = (score, index, first)
    _, index, start = best
    value, words = columns[index], spans[index]
    if not words:
        return ""
    end = min(start + size, len(words)) - 1
    out = [ELLIPSIS] if start > 0 else []
    cursor = 0 if start == 0 else words[start][0]
    for at in range(start, end + 1):
        begin, finish, word = words[at]
        out.append(value[cursor:begin])
        out.append(f"{SNIPPET_MARKS[0]}{value[begin:finish]}{SNIPPET_MARKS[1]}" if word in phrases else value[begin:finish])
        cursor = finish
    out.append(value[cursor:] if end >= len(words) - 1 else ELLIPSIS)
    return "".join(out)


def _window(words: list, hits: list[int], start: int, size: int, *, adjust: bool) -> tuple[int, int]:
    """FTS5's score of the window of ``size`` words from ``start``, and where it begins once its hits are centred."""
    seen: set[str] = set()
    score, first, last = 0, -1, -1
    for at in hits:
        if start <= at < start + size:
            word = words[at][2]
            score += 1 if word in seen else 1000
            seen.add(word)
            first = at if first < 0 else first
            last = at + 1  # just past the hit, as FTS5 counts it
    if not adjust:
        return score, start
    moved = first - (size - (last - first)) // 2
    if moved + size > len(words):
        moved = len(words) - size
    return score, max(moved, 0)


def _sentence_starts(value: str, words: list) -> list[int]:
    """The words that begin a sentence, as FTS5's snippet reads them: the first, and any after ". " or ": "."""
    starts = [0] if words else []
    for at in range(1, len(words)):
        between = value[words[at - 1][1] : words[at][0]]
        stripped = between.rstrip(" \t\n\r")
        if stripped != between and stripped.endswith((".", ":")):
            starts.append(at)
    return starts
