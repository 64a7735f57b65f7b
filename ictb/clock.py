"""Today and now: the one place that reads the real clock.

Every date a command works on comes from a :class:`Clock` passed in: the CLI carries
one in its context and the library takes dates (or a clock) as arguments.  Nothing
else reads the system time, so a run can be pinned to any day (tests, reproducing a
report) and the verdicts do not move because the calendar did.  ruff's banned-api
stops ``date.today()``, ``datetime.now()`` and ``time.time()`` everywhere but here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Now, in UTC, to the second."""
        ...

    def today(self) -> dt.date:
        """Today's date where the user is."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The machine's clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)

    def today(self) -> dt.date:
        return dt.date.today()


@dataclass(frozen=True)
class FixedClock:
    """A clock that always says ``at`` (an aware datetime)."""

    at: dt.datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a fixed clock needs an aware datetime")

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC).replace(microsecond=0)

    def today(self) -> dt.date:
        return self.at.date()
