"""The date conventions of the rule catalog (RULES.md §1.2, D1-D8).

Dates are calendar dates without a time of day; periods include both ends.

A document may hold any date from 0001-01-01 to 9999-12-31, so date arithmetic here
saturates at the ends of the calendar (``date.min``, ``date.max``) instead of
overflowing: the rules use :func:`add_days`, :func:`day_before`, :func:`day_after` and
:func:`anniversary`, never ``date + timedelta`` directly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

ONE_DAY = dt.timedelta(days=1)

# A date as the schemas' ``Date`` type writes it (xsd/common.xsd).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` days, saturating at ``date.min`` and ``date.max``."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def day_before(day: dt.date) -> dt.date:
    """The previous day (``date.min`` stays ``date.min``)."""
    return add_days(day, -1)


def day_after(day: dt.date) -> dt.date:
    """The next day (``date.max`` stays ``date.max``)."""
    return add_days(day, 1)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC (a moment without a time zone is taken as UTC), saturating at
    the ends of the calendar: 0001-01-01T00:00:00+14:00 is before the first UTC moment."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        end = dt.datetime.max if moment.year == dt.MAXYEAR else dt.datetime.min
        return end.replace(tzinfo=dt.UTC)


def _anniversary(start: dt.date, months: int) -> dt.date | None:
    """D3 as :func:`anniversary`, or None when that day is outside the calendar."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        # e.g. 29 February in a common year, or 31st in a 30-day month (never December,
        # so the next month is in the same year)
        return dt.date(year, month + 1, 1)


def anniversary(start: dt.date, months: int) -> dt.date:
    """D3: the same day of the month ``months`` later; the 1st of the next month if absent.

    Beyond the end (or before the start) of the calendar: ``date.max`` (``date.min``).
    """
    found = _anniversary(start, months)
    if found is not None:
        return found
    return dt.date.max if months > 0 else dt.date.min


def month_limit_last_day(start: dt.date, months: int) -> dt.date:
    """D3: the last day allowed for an N-month limit: ``anniversary(start, N) - 1 day``
    (``date.max`` when that anniversary is beyond the calendar: no day exceeds it)."""
    found = _anniversary(start, months)
    if found is None:
        return dt.date.max if months > 0 else dt.date.min
    return day_before(found)


def inclusive_days(start: dt.date, end: dt.date) -> int:
    """D4: calendar days from ``start`` to ``end``, both counted."""
    return (end - start).days + 1


def lapse_days(prior_end: dt.date, new_start: dt.date) -> int:
    """D5: days with no appointment between two appointments."""
    return (new_start - prior_end).days - 1


def years_elapsed(event: dt.date, years: int, day: dt.date) -> bool:
    """D6: have ``years`` years passed since ``event`` on ``day``?"""
    found = _anniversary(event, 12 * years)
    if found is None:  # beyond the calendar: not yet (or, going back, long since)
        return years < 0
    return day >= found


def current_on(day: dt.date, effective: dt.date | None, expires: dt.date | None) -> bool:
    """D2: an item is current on ``day`` when ``effective <= day <= expires``."""
    if effective is not None and day < effective:
        return False
    return expires is None or day <= expires


def parse_date(text: str) -> dt.date:
    """An ISO 8601 calendar date written ``YYYY-MM-DD`` (``2026-11-22``), as the schemas'
    ``Date`` type takes it: surrounding spaces aside, nothing else (no week date, no
    time zone, no other digits); ValueError otherwise, without the text."""
    value = text.strip(" \t\r\n")
    if not ISO_DATE.fullmatch(value):
        raise ValueError("not a date of the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a calendar date (YYYY-MM-DD)") from None


def last_day(days: Iterable[dt.date]) -> dt.date | None:
    return max(days, default=None)
