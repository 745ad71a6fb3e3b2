"""Who you are on a desk: ``--as TAM``, else your own choice for that desk, else its ``current_tam``.

On a database a team shares, the ``settings`` table is everyone's, so the TAM
you chose with ``tamdesk config set tam`` is kept in your own config folder
(``chosen.json``), keyed by the desk's URL without its password. A TAM is
found as a customer is (``Unit.customer``): id, email, exact name or a unique
start of it, any case or accents; a start several TAMs share is bad input
listing them. This module knows no use-case: ``Desk.open`` and ``services.team``
read it.
"""

from __future__ import annotations

import json
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tamdesk.domain.errors import BadInput
from tamdesk.domain.names import folded, named
from tamdesk.domain.values import MAX_NAME, looks_like_id, read_id, read_text, shown

if TYPE_CHECKING:
    from tamdesk.store.models import Tam

CHOSEN_FILE = "chosen.json"


def find_tam(session: Session, ref: str | int) -> Tam:
    """The TAM ``ref`` names (id, email, name or unique start of one); else bad input naming ``tamdesk tam list``."""
    from tamdesk.store.models import Tam  # here: opening a desk as its own TAM (every command) maps no class

    text = read_text(str(ref), "the TAM", limit=MAX_NAME, required=True)
    found = session.scalar(select(Tam).where(Tam.name_key == folded(text)))
    if found is None and looks_like_id(text):
        found = session.get(Tam, read_id(text, "TAM"))
    if found is None and "@" in text:
        found = session.scalar(select(Tam).where(func.lower(Tam.email) == text.casefold()))
    if found is not None:
        return found
    key = named(text, session.execute(select(Tam.id, Tam.name)).all(), "TAM")
    if key is None:
        raise BadInput(f"unknown TAM {shown(text)}; see 'tamdesk tam list'")
    return session.get_one(Tam, key)


def desk_key(url: str) -> str:
    """The desk a choice was made on: its URL without any password."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=None).render_as_string(hide_password=False)


def _chosen_path() -> Path:
    from tamdesk.resources import user_config_dir

    return user_config_dir() / CHOSEN_FILE


def _chosen_all() -> dict[str, int]:
    path = _chosen_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise BadInput(f"cannot read {path} ({error}): fix or remove it, then 'tamdesk config set tam' again") from None
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}


def chosen(url: str) -> int | None:
    """The id of the TAM you chose on the desk at ``url`` (``config set tam``), or None."""
    return _chosen_all().get(desk_key(url))


def choose(url: str, tam_id: int | None) -> None:
    """Keep ``tam_id`` as who you are on the desk at ``url`` (None forgets the choice)."""
    choices = _chosen_all()
    if tam_id is None:
        choices.pop(desk_key(url), None)
    else:
        choices[desk_key(url)] = tam_id
    path = _chosen_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(choices, indent=2, sort_keys=True) + "\n", encoding="utf-8")
