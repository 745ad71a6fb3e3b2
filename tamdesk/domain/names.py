"""Names as people type them: any case, any accents, or just the start of the name.

A TAM types ``tyrell`` for "Tyrell Corp" and ``cafe`` or ``café`` for "Café
Corp". The CLI reads a customer this way (``Unit.customer``); the desk's
customer field has its own type-ahead on top.
"""

from __future__ import annotations

from typing import Iterable, TypeVar

from tamdesk.domain.errors import BadInput
from tamdesk.domain.values import shown

Key = TypeVar("Key")

#: How many candidates an ambiguous name lists before "and N more".
SHOWN_MATCHES = 8


def folded(name: str) -> str:
    """``name`` without case or accents, for comparing: "Café Ibérica" is "cafe iberica"."""
    import unicodedata  # here: only a name that is not exact needs it, and every command imports this module

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def named(typed: str, names: Iterable[tuple[Key, str]], what: str) -> Key | None:
    """The key of the one name ``typed`` names: the whole name, else a unique start; None if none.

    Case and accents never count. A start that several names share is bad
    input listing them (exit 2), so a script never acts on a guess.
    """
    key = folded(typed)
    if not key:  # nothing but accents or spaces: the start of every name
        return None
    rows = [(k, n, folded(n)) for k, n in names]
    for found in ([r for r in rows if r[2] == key], [r for r in rows if r[2].startswith(key)]):
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            matches = sorted(n for _, n, _ in found)
            listed = ", ".join(matches[:SHOWN_MATCHES])
            more = f" and {len(matches) - SHOWN_MATCHES} more" if len(matches) > SHOWN_MATCHES else ""
            raise BadInput(f"{shown(typed)} matches {len(matches)} {what}s: {listed}{more}; type more of the name")
    return None
