"""The ways a request can fail, each with the exit code the CLI gives it.

``BadInput`` is input the desk cannot understand (exit 2). ``Refusal`` is input
it understands but a rule of SPEC forbids (exit 3); its message names the rule
and says what would be allowed instead. ``NeedsConfirmation`` is a refusal the
user may override on purpose (``--force`` on the CLI, a confirm button in the
TUI); the record then keeps that it was an exception.
"""

from __future__ import annotations


class TamdeskError(Exception):
    """Base of every error the desk reports to a person."""

    exit_code = 1

    @property
    def message(self) -> str:
        """The one-line message shown to the user."""
        return str(self)


class BadInput(TamdeskError):
    """Input that cannot be understood: a bad date, an unknown customer or zone."""

    exit_code = 2


class Refusal(TamdeskError):
    """A rule says no. ``rule`` is the SPEC id, ``instead`` what would be allowed."""

    exit_code = 3

    def __init__(self, rule: str, reason: str, instead: str | None = None) -> None:
        self.rule = rule
        self.reason = reason
        self.instead = instead
        text = f"{rule}: {reason}"
        if instead:
            text += f" {instead}"
        super().__init__(text)


class NeedsConfirmation(Refusal):
    """A rule asks before it lets a request through (over budget, out of hours).

    ``exception`` is the short label the record keeps once confirmed.
    """

    def __init__(self, rule: str, reason: str, exception: str, instead: str | None = None) -> None:
        self.exception = exception
        super().__init__(rule, reason, instead)


class Forbidden(TamdeskError):
    """What your role does not allow: another TAM's row changed by a manager, a TAM added by one who is not (exit 3).

    No rule of SPEC says so (roles are the team's, issue 19), so ``rule`` is None.
    """

    exit_code = 3
    rule = None


class Busy(TamdeskError):
    """Another process held the database for longer than the busy timeout."""

    exit_code = 4


def with_instead(error: Refusal, instead: str) -> Refusal:
    """The same refusal or question, saying ``instead`` what would be allowed."""
    if isinstance(error, NeedsConfirmation):
        return NeedsConfirmation(error.rule, error.reason, error.exception, instead)
    return Refusal(error.rule, error.reason, instead)


def combine_confirmations(
    pending: list[NeedsConfirmation], instead: str = "Confirm to book it as an exception with both marks kept."
) -> NeedsConfirmation:
    """One confirmation that asks for several at once (out of hours and over budget)."""
    if len(pending) == 1:
        return pending[0]
    return NeedsConfirmation(
        ", ".join(p.rule for p in pending),
        " ".join(p.reason for p in pending),
        exception="; ".join(p.exception for p in pending),
        instead=instead,
    )
