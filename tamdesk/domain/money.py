"""Money as people read it (SPEC E5): exact amounts in their currency's signs and separators.

Amounts are ``Decimal`` everywhere; only what a person reads is formatted, by
Babel, in the desk's locale (the same one ``humanize`` speaks).
"""

from __future__ import annotations

from decimal import Decimal

from tamdesk.domain.humanize import LOCALE


def for_people(amount: Decimal, currency: str) -> str:
    """``amount`` in ``currency`` as a person reads it: ``$52.50``, ``-$35.00``, ``€1,234.00``."""
    # Babel loads its locale data on first use (tens of milliseconds): only commands that print money pay it.
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale=LOCALE)
