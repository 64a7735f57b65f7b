"""The date conventions of the rule catalog (RULES.md §1.2, D1-D8).

Dates are calendar dates without a time of day; periods include both ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

ONE_DAY = dt.timedelta(days=1)


def anniversary(start: dt.date, months: int) -> dt.date:
    """D3: the same day of the month ``months`` later; the 1st of the next month if absent."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        # e.g. 29 February in a common year, or 31st in a 30-day month
        return dt.date(year + month // 12, month % 12 + 1, 1)


def month_limit_last_day(start: dt.date, months: int) -> dt.date:
    """D3: the last day allowed for an N-month limit: ``anniversary(start, N) - 1 day``."""
    return anniversary(start, months) - ONE_DAY


def inclusive_days(start: dt.date, end: dt.date) -> int:
    """D4: calendar days from ``start`` to ``end``, both counted."""
    return (end - start).days + 1


def lapse_days(prior_end: dt.date, new_start: dt.date) -> int:
    """D5: days with no appointment between two appointments."""
    return (new_start - prior_end).days - 1


def years_elapsed(event: dt.date, years: int, day: dt.date) -> bool:
    """D6: have ``years`` years passed since ``event`` on ``day``?"""
    return day >= anniversary(event, 12 * years)


def current_on(day: dt.date, effective: dt.date | None, expires: dt.date | None) -> bool:
    """D2: an item is current on ``day`` when ``effective <= day <= expires``."""
    if effective is not None and day < effective:
        return False
    return expires is None or day <= expires


def parse_date(text: str) -> dt.date:
    """An ISO 8601 calendar date (``2026-11-22``); ValueError otherwise."""
    value = text.strip()
    if len(value) != 10:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {text!r}")
    return dt.date.fromisoformat(value)


def last_day(days: Iterable[dt.date]) -> dt.date | None:
    return max(days, default=None)
