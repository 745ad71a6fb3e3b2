"""PostgreSQL's knowledge base ranks and cuts its hits as SQLite's FTS5 does (L12, issue 19).

On PostgreSQL the database only finds the rows holding a word typed; the order
(FTS5's ``bm25``) and the snippet (FTS5's ``snippet``) are worked out in
``tamdesk.services.knowledge``. FTS5 itself is the oracle here: random titles
and notes, short and long, with sentences, go into an FTS5 table as migration
0006 makes it, and for random searches the order and every snippet must be
FTS5's. No server is needed: this runs in the SQLite pass.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from tamdesk.services.knowledge import WORD, _folded, bm25, fts_query, snippet

VOCABULARY = "proxy cache restart rebuild key token signing café login page blank mail service the a to of".split()


def _text(rng: random.Random, words: int) -> str:
    out = []
    for index in range(words):
        word = rng.choice(VOCABULARY)
        out.append(word.capitalize() if index == 0 or out[-1].endswith(".") else word)
        if rng.random() < 0.12:
            out[-1] += rng.choice([".", ",", ":"])
    return " ".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_the_order_and_the_snippets_are_fts5s(seed):
    rng = random.Random(seed)
    rows = [(rowid, _text(rng, rng.randint(1, 6)), _text(rng, rng.choice([0, 3, 8, 14, 30]))) for rowid in range(1, 40)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE knowledge USING fts5(title, body, tam UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO knowledge (rowid, tam, title, body) VALUES (?, 1, ?, ?)", rows)
    words = {rowid: [_folded(w) for w in WORD.findall(f"{title} {body}")] for rowid, title, body in rows}
    average = sum(map(len, words.values())) / len(rows)
    for _ in range(8):
        typed = " ".join(rng.sample(VOCABULARY, rng.randint(1, 3)))
        for column in (-1, 1):
            expected = db.execute(
                f"SELECT rowid, snippet(knowledge, {column}, '[', ']', '…', 12) FROM knowledge "
                "WHERE knowledge MATCH ? ORDER BY bm25(knowledge), rowid DESC",
                (fts_query(typed),),
            ).fetchall()
            phrases = [_folded(w) for w in WORD.findall(typed)]
            holding = [sum(phrase in found for found in words.values()) for phrase in phrases]
            hits = [r for r in rows if set(phrases) & set(words[r[0]])]
            ranked = sorted(hits, key=lambda r: (bm25(words[r[0]], phrases, holding, len(rows), average), -r[0]))
            got = [(rowid, snippet((title, body), set(phrases), column)) for rowid, title, body in ranked]
            assert got == expected, (typed, column)
