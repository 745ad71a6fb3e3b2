"""P3, S4, S8: obligations and warnings on their period edges, plain data and a fixed today."""

from datetime import date

from tamdesk.domain.obligations import forfeit_warning, obligation_state, review_warning
from tamdesk.domain.periods import month_of, quarter_of

NOV = month_of(date(2026, 11, 1))
Q4 = quarter_of(date(2026, 11, 1))


def test_p3_an_unmet_obligation_is_due_through_its_last_day_and_missed_the_day_after():
    # P3: due in every period, met by its activity; the due date is the period's last day,
    # so on 30 Nov November's review is still due and from 1 Dec it is missed.
    assert obligation_state(NOV, False, date(2026, 11, 1)) == "due"
    assert obligation_state(NOV, False, date(2026, 11, 30)) == "due"
    assert obligation_state(NOV, False, date(2026, 12, 1)) == "missed"
    assert obligation_state(NOV, True, date(2026, 12, 1)) == "met"
    assert obligation_state(NOV, True, date(2026, 11, 2)) == "met"


def test_s8_the_review_warning_runs_from_the_quarter_s_last_month_to_its_last_day():
    # S8: warn "when the quarter's last month has begun and no review is booked":
    # Q4's last month is December, so from 1 Dec to 31 Dec, never on 30 Nov nor 1 Jan.
    def warned(today, booked=False):
        return review_warning("Acme", Q4, today, booked, "Quarterly review")

    assert warned(date(2026, 11, 30)) is None
    first = warned(date(2026, 12, 1))
    assert first is not None and (first.customer, first.rule) == ("Acme", "S8")
    assert first.text == "no quarterly review booked in 2026-Q4, which ends 31 Dec."
    assert warned(date(2026, 12, 31)) is not None
    assert warned(date(2027, 1, 1)) is None
    assert warned(date(2026, 12, 15), booked=True) is None


def test_s4_the_forfeit_warning_counts_sessions_and_business_days_in_words():
    # S4: "sessions left versus business days left"; nothing to lose, nothing to say.
    assert forfeit_warning("Acme", NOV, 0, 5) is None
    one = forfeit_warning("Acme", NOV, 1, 1)
    assert (one.customer, one.rule) == ("Acme", "S4")
    assert one.text == "1 session left in 2026-11, 1 business day left; unused sessions are forfeited after 30 Nov."
    two = forfeit_warning("Acme", NOV, 2, 3)
    assert two.text == "2 sessions left in 2026-11, 3 business days left; unused sessions are forfeited after 30 Nov."
