"""A customer field with type-ahead: the first match is suggested as you type.

What is typed resolves to one customer by the whole name, else by a unique
start, else by a unique part of the name (any case, any accents, as the CLI
reads names: ``tamdesk.domain.names``): ``umb`` is Umbrella GmbH, ``iberica``
Contoso Ibérica.
"""

from __future__ import annotations

from typing import Sequence

from textual.suggester import SuggestFromList

from tamdesk.domain.errors import BadInput
from tamdesk.domain.names import folded
from tamdesk.tui.widgets.text_field import TextField


def match_customer(text: str, names: Sequence[str]) -> str:
    """The one customer ``text`` names; bad input listing the candidates otherwise."""
    typed = folded(text)
    if not typed:
        raise BadInput("choose a customer: type part of the name")
    for rule in (lambda n: n == typed, lambda n: n.startswith(typed), lambda n: typed in n):
        found = [name for name in names if rule(folded(name))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise BadInput(f"{text.strip()!r} matches {', '.join(found[:5])}: type more of the name")
    raise BadInput(f"no customer matches {text.strip()!r}")


class CustomerPicker(TextField):
    """Type part of a customer's name; → or tab takes the suggestion."""

    def __init__(self, names: Sequence[str] = (), value: str | None = None, **kwargs: object) -> None:
        super().__init__(value=value or "", placeholder="type part of a customer's name", **kwargs)  # type: ignore[arg-type]
        self.set_names(names)

    def set_names(self, names: Sequence[str]) -> None:
        """The customers to choose from."""
        self.names = list(names)
        self.suggester = SuggestFromList(self.names, case_sensitive=False)

    @property
    def customer(self) -> str | None:
        """The customer the field names now, if exactly one."""
        try:
            return match_customer(self.value, self.names)
        except BadInput:
            return None

    def chosen(self) -> str:
        """The customer the field names; bad input saying why not."""
        return match_customer(self.value, self.names)
