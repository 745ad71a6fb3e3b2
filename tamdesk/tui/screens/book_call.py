"""Book a call: customer by type-ahead, date and time in the customer's zone, live preview.

The preview is judged in a worker when what it judges changes (customer, start,
length, review), not at every key: typing on in a name that already names the
customer, or the agenda, asks for no new judgement (a refused slot's judgement
searches weeks ahead for the next free time, T8).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static
from textual.worker import Worker, WorkerState

from tamdesk.domain.durations import read_duration
from tamdesk.domain.errors import BadInput, NeedsConfirmation
from tamdesk.services.calls import SlotPreview, book_call, preview_slot
from tamdesk.tui.formatting import city, span
from tamdesk.tui.screens.form import PickCustomerDialog, field
from tamdesk.tui.widgets.customer_picker import CustomerPicker
from tamdesk.tui.widgets.static_text import show_text
from tamdesk.tui.widgets.text_field import TextField


@dataclass(frozen=True)
class CallForm:
    """What the book dialog says."""

    customer: str
    start: str
    minutes: int
    review: bool
    agenda: str


def read_minutes(text: str) -> int:
    """The length field as whole minutes: B5's one reading, a bare number counting minutes."""
    return read_duration(text, bare="minutes")


def preview_text(preview: SlotPreview) -> Text:
    """Where the slot falls for both sides, and what the rules will say about it."""
    theirs, mine = ZoneInfo(preview.customer_tz), ZoneInfo(preview.tam_tz)
    end = preview.start + timedelta(minutes=preview.minutes)
    text = Text()
    text.append(f"{preview.start.astimezone(theirs):%a %d %b} {span(preview.start, end, theirs)} {city(preview.customer_tz)}")
    text.append(f"  =  {preview.start.astimezone(mine):%a %d %b} {span(preview.start, end, mine)} your time ({city(preview.tam_tz)})\n", style="bold")
    verdict = preview.verdict
    answer = preview.answer  # what saving would say: the same checks (T8), so ✓ means it books as it stands
    if answer is not None and not isinstance(answer, NeedsConfirmation):
        text.append(f"✗ {answer.message}\n", style="bold red")
        return text
    if verdict.outside:
        label = f"critical period {verdict.critical_period}" if verdict.critical_period else "will ask to confirm (T4)"
        text.append(f"⚑ {', '.join(verdict.outside)}: {label}\n", style="magenta")
    if verdict.time_off:
        text.append(f"⚑ during your {', '.join(verdict.time_off)}: will ask to confirm (T4)\n", style="magenta")
    if verdict.workday:
        text.append(f"⚑ {', '.join(verdict.workday)}: will ask to confirm (T8)\n", style="magenta")
    total = (preview.week.total_minutes + preview.minutes) / 60
    if preview.over_budget:
        text.append(f"▲ {preview.customer} would be at {total:.1f} h of {preview.week.cap_hours:g} h this week: "
                    "will ask to confirm (B2)\n", style="bold red")
    if answer is None:
        text.append(f"✓ inside business hours; {preview.customer} at {total:.1f} h of {preview.week.cap_hours:g} h this week\n",
                    style="green")
    elif answer.instead:
        text.append(f"  {answer.instead}\n", style="dim")
    return text


class BookCallDialog(PickCustomerDialog):
    """Book a call with a customer."""

    TITLE_TEXT = "Book a call"
    SUBMIT_LABEL = "Book"
    CONFIRM_LABEL = "Book anyway"
    #: The form the preview shown (or on its way) judges, agenda left out; None when no preview stands.
    judged: CallForm | None = None

    def fields(self) -> ComposeResult:
        tomorrow = self.today + timedelta(days=1)
        yield from self.customer_field()
        yield Static("", id="customer-hint", classes="hint")
        yield from field("Date (customer's zone)", TextField(f"{tomorrow:%Y-%m-%d}", placeholder="YYYY-MM-DD", id="date", compact=True))
        yield from field("Time (customer's zone)", TextField("10:00", placeholder="HH:MM", id="time", compact=True))
        yield from field("Length in minutes (at most 60, S1)", TextField("60", id="minutes", compact=True))
        yield Checkbox("Quarterly review (S8)", id="review", compact=True)
        yield from field("Agenda", TextField(placeholder="what the call is for", id="agenda", compact=True))
        yield Static("", id="preview")

    def customers_loaded(self) -> None:
        self._update_preview()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "preview" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            event.stop()
            preview = self.query_one("#preview", Static)
            if event.state == WorkerState.SUCCESS:
                show_text(preview, preview_text(worker.result))
            else:
                self.judged = None  # judged again at the next change: the failure may not stand
                show_text(preview, Text(f"… {getattr(worker.error, 'message', worker.error)}", style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        picker = self.query_one(CustomerPicker)
        name = picker.customer
        hint = self.query_one("#customer-hint", Static)
        customers = self.customers
        if name is None or name not in customers:
            show_text(hint, "")
            return
        chosen = customers[name]
        show_text(hint, f"→ {chosen.name} · {chosen.plan} · {chosen.tz} · hours {chosen.business_hours}")
        try:
            form = self.read_form()
        except BadInput as error:
            self.judged = None
            show_text(self.query_one("#preview", Static), Text(f"… {error.message}", style="dim"))
            return
        judged = replace(form, agenda="")  # the agenda is no part of the judgement
        if judged == self.judged:
            return  # the preview shown, or on its way, is this one
        self.judged = judged
        desk = self.desk
        self.run_worker(
            lambda: preview_slot(desk, form.customer, form.start, form.minutes, review=form.review),
            thread=True, exclusive=True, group="preview", exit_on_error=False,
        )

    def read_form(self) -> CallForm:
        customer = self.query_one(CustomerPicker).chosen()
        day = self.query_one("#date", Input).value.strip()
        clock = self.query_one("#time", Input).value.strip()
        if not day or not clock:
            raise BadInput("type the date (YYYY-MM-DD) and the time (HH:MM) in the customer's zone")
        return CallForm(
            customer=customer,
            start=f"{self.typed_date('#date')} {clock}",
            minutes=read_minutes(self.query_one("#minutes", Input).value),
            review=self.query_one("#review", Checkbox).value,
            agenda=self.query_one("#agenda", Input).value,
        )

    def attempt(self, form: CallForm, confirmed: bool) -> str:
        change = book_call(
            self.desk, form.customer, form.start, minutes=form.minutes, review=form.review,
            agenda=form.agenda, force=confirmed,
        )
        call = change.call
        done = f"Booked call {call.id}: {call.title} with {call.customer}, {call.start.astimezone(ZoneInfo(call.tz)):%a %d %b %H:%M} {city(call.tz)}"
        return done + (f" ({change.note})" if change.note else "") + "."
