"""The date conventions (RULES.md D1-D8) at the ends of the calendar, and date parsing.

A document may hold any date from 0001-01-01 to 9999-12-31; the arithmetic of the rules
saturates there instead of overflowing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ictb import dates

D = dt.date
MAX, MIN = dt.date.max, dt.date.min


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (D(2026, 11, 22), 30, D(2026, 12, 22)),
        (D(2026, 11, 22), -30, D(2026, 10, 23)),
        (MAX, 1, MAX),
        (D(9999, 12, 1), 30, D(9999, 12, 31)),
        (D(9999, 12, 1), 31, MAX),
        (MIN, -1, MIN),
        (D(1, 1, 2), -2, MIN),
        (D(2026, 11, 22), 10**12, MAX),  # more days than a timedelta holds
        (D(2026, 11, 22), -(10**12), MIN),
    ],
)
def test_add_days_saturates_at_the_ends_of_the_calendar(
    day: dt.date, days: int, expected: dt.date
) -> None:
    assert dates.add_days(day, days) == expected


def test_day_before_and_after() -> None:
    assert dates.day_after(D(2026, 12, 31)) == D(2027, 1, 1)
    assert dates.day_before(D(2027, 1, 1)) == D(2026, 12, 31)
    assert dates.day_after(MAX) == MAX
    assert dates.day_before(MIN) == MIN


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 2, 29), 12, D(2025, 3, 1)),  # D3: no 29 February, the 1st of March
        (D(2026, 1, 31), 1, D(2026, 3, 1)),
        (D(9998, 1, 1), 24, MAX),  # beyond the calendar
        (D(9999, 12, 31), 1, MAX),
        (D(9999, 11, 30), 1, D(9999, 12, 30)),
        (D(1, 6, 1), -120, MIN),  # ten years back from year 1
        (D(2, 3, 1), -12, D(1, 3, 1)),
    ],
)
def test_anniversary_saturates(start: dt.date, months: int, expected: dt.date) -> None:
    assert dates.anniversary(start, months) == expected


def test_month_limit_last_day_beyond_the_calendar_is_the_last_day() -> None:
    # An anniversary that falls on the calendar's last day still ends the day before...
    assert dates.month_limit_last_day(D(9997, 12, 31), 24) == D(9999, 12, 30)
    # ...but one beyond the calendar is never reached.
    assert dates.month_limit_last_day(D(9998, 6, 1), 24) == MAX
    assert dates.month_limit_last_day(D(2026, 11, 22), 24) == D(2028, 11, 21)


def test_years_elapsed_beyond_the_calendar_never_has() -> None:
    assert not dates.years_elapsed(D(9998, 6, 1), 2, MAX)
    assert dates.years_elapsed(D(9997, 12, 31), 2, MAX)
    assert dates.years_elapsed(D(2020, 1, 1), 2, D(2022, 1, 1))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-22T14:30:00", dt.datetime(2026, 11, 22, 14, 30, tzinfo=dt.UTC)),
        ("2026-11-22T14:30:00+05:00", dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)),
        ("0001-01-01T00:00:00+14:00", dt.datetime.min.replace(tzinfo=dt.UTC)),
        ("9999-12-31T23:59:59-14:00", dt.datetime.max.replace(tzinfo=dt.UTC)),
    ],
)
def test_as_utc_saturates(moment: str, expected: dt.datetime) -> None:
    assert dates.as_utc(dt.datetime.fromisoformat(moment)) == expected


@pytest.mark.parametrize("text", ["2026-11-22", " 2026-11-22 ", "9999-12-31", "0001-01-01"])
def test_parse_date_takes_yyyy_mm_dd(text: str) -> None:
    assert dates.parse_date(text).isoformat() == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-W48-7",  # an ISO week date: date.fromisoformat takes it, the schemas do not
        "20261122",
        "2026-11-22Z",
        "2026-11-22+14:00",
        "2026-11-22T00:00:00",
        "10000-01-01",
        "-0001-01-01",
        "0000-01-01",
        "2026-02-29",
        "2026-1-7",
        "\u0662\u0660\u0662\u0666-11-22",  # other digits
    ],
)
def test_parse_date_refuses_everything_else_without_echoing_it(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD") as refused:
        dates.parse_date(text)
    assert not text.strip() or text.strip() not in str(refused.value)
