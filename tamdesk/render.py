"""Pages and reports from templates: one Jinja2 environment over ``tamdesk/templates``.

Reports (a customer's page, the TAM's week) and other printed pages build their
data as plain values first and hand them to ``render``; the templates only lay
them out. HTML templates are escaped automatically, every other one (Markdown)
is not; a name a template uses but the context lacks is an error, never an
empty string (``StrictUndefined``).

Jinja2 is imported on the first ``render`` call, not when this module is
imported: the CLI's start must not pay for it (about 30 ms).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment() -> "Environment":
    """The one template environment, built on first use and kept."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape  # deferred: see the module docstring

    made = Environment(
        loader=PackageLoader("tamdesk", "templates"),
        # By the name's ending: "html" alone would miss "report.html.j2" (Jinja2 checks the last suffix).
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    made.filters["cell"] = markdown_cell
    return made


def markdown_cell(value: object) -> str:
    """``value`` as one cell of a Markdown table: its pipes escaped, its lines joined (a title may hold either)."""
    return " ".join(str(value).split()).replace("|", "\\|")


def render(template: str, **context: Any) -> str:
    """The text of ``template`` (a file name under ``tamdesk/templates``) filled from ``context``."""
    return environment().get_template(template).render(**context)
