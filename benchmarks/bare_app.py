"""The floor for the Week screen's first frame: the same libraries, the same kinds of widgets, no data.

It imports what the Week screen's process needs (textual, sqlalchemy.orm,
arrow, holidays), composes a header, a tab row, an option list, side panels
and a footer, and fills them on mount from plain values.
"""

import arrow  # noqa: F401  (imported for its cost: the floor includes it)
import holidays  # noqa: F401
import sqlalchemy.orm  # noqa: F401
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static, Tabs


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("b", "bell", "Book call"), ("l", "bell", "Log time")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs("1 Week", "2 Caseload", "3 Customers", "4 Allowances", "5 Time")
        with Horizontal():
            yield OptionList(id="calls")
            with Vertical():
                yield Static(id="hours")
                yield Static(id="caseload")
                yield Static(id="warnings")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#calls", OptionList).add_options(f"Mon 09:{n:02} Customer {n} working session" for n in range(20))
        self.query_one("#hours", Static).update("\n".join(f"Customer {n:2} {'█' * n} {n / 2} h" for n in range(12)))
        self.query_one("#caseload", Static).update("Caseload 27/30")
        self.query_one("#warnings", Static).update("bare app ready")


if __name__ == "__main__":
    BareApp().run()
