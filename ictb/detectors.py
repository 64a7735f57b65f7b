"""Detectors for personal identifiers in text (RULES.md §10 and §15).

Used by ``build``/``sign`` (RED-020/021, identifiers hiding in free text) and by
host-nation redaction (RED-001..007).  Matches carry a category and a strength, never
the matched text, so a report can never echo an identifier.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ictb.model import Address

STRONG = "strong"
WEAK = "weak"

SSN = "ssn"
DOB = "dob"
HOME_ADDRESS = "home_address"
DEA = "dea"


@dataclass(frozen=True)
class Match:
    category: str
    strength: str
    start: int
    end: int
    why: str


# ---------------------------------------------------------------- validators


def ssn_is_well_formed(ssn: str) -> bool:
    """SSA's never-assigned rules (POMS RM 10201.035) on a 9-digit SSN, separators allowed.

    Area 000, 666 and 900-999, group 00 and serial 0000 are never assigned, nor the
    advertising range 987-65-4320..4329 and the misused 078-05-1120.
    """
    digits = re.sub(r"[-. ]", "", ssn)
    if not re.fullmatch(r"\d{9}", digits):
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return False
    return not (digits.startswith("98765432") or digits == "078051120")


DEA_PATTERN = re.compile(r"\b([A-Z][A-Z9]\d{7})(-[0-9A-Z]{1,10})?\b")
DEA_REGISTRANT_TYPES = frozenset("ABFGMPRX")


def dea_check_digit(base: str) -> int:
    """The check digit for the six digits after the two letters of a DEA number."""
    d = [int(c) for c in base[2:8]]
    return ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10


def dea_is_valid(number: str) -> bool:
    """Format, registrant-type letter and check digit; a ``-suffix`` is ignored."""
    core = number.strip().upper().split("-", 1)[0]
    if not re.fullmatch(r"[A-Z][A-Z9]\d{7}", core):
        return False
    return core[0] in DEA_REGISTRANT_TYPES and dea_check_digit(core) == int(core[8])


def npi_check_digit(base9: str) -> int:
    """Luhn check digit of the first nine NPI digits, with the 80840 prefix (sum + 24)."""
    total = 24
    for index, char in enumerate(reversed(base9)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    return bool(re.fullmatch(r"[12]\d{9}", npi)) and npi_check_digit(npi[:9]) == int(npi[9])


# ---------------------------------------------------------------- value formats

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def ssn_formats(ssn: str) -> set[str]:
    digits = re.sub(r"\D", "", ssn)
    if len(digits) != 9:
        return {ssn}
    a, g, s = digits[:3], digits[3:5], digits[5:]
    return {digits, f"{a}-{g}-{s}", f"{a} {g} {s}", f"{a}.{g}.{s}"}


def date_formats(day: dt.date) -> set[str]:
    """The common written forms of a date (RULES.md §10 DOB list, and a few more)."""
    mon = _MONTHS[day.month - 1]
    return {
        day.isoformat(),
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day.day} {mon.title()} {day.year}",
        f"{day.day:02d} {mon.title()} {day.year}",
        f"{day.day:02d}{mon}{day.year}",
        f"{day.day}{mon}{day.year}",
        f"{day.year}{day.month:02d}{day.day:02d}",
        f"{day.month:02d}-{day.day:02d}-{day.year}",
        day.strftime("%B ") + f"{day.day}, {day.year}",
        f"{day.day} " + day.strftime("%B ") + str(day.year),
        f"{day.day:02d} " + day.strftime("%B ") + str(day.year),
    }


def address_lines(address: Address) -> set[str]:
    return {line for line in address.lines if len(line.strip()) >= 6}


@dataclass(frozen=True)
class KnownValues:
    """The provider's own identifiers, searched for in every common format."""

    ssn: str | None = None
    dob: dt.date | None = None
    home_address: tuple[Address, ...] = ()
    dea: tuple[str, ...] = ()

    def patterns(self) -> tuple[tuple[str, str], ...]:
        """(category, written form) of every known value; computed once per instance."""
        return self._patterns

    @cached_property
    def _patterns(self) -> tuple[tuple[str, str], ...]:
        forms: list[tuple[str, str]] = []
        if self.ssn:
            forms += [(SSN, form) for form in sorted(ssn_formats(self.ssn))]
        if self.dob:
            forms += [(DOB, form) for form in sorted(date_formats(self.dob))]
        for address in self.home_address:
            forms += [(HOME_ADDRESS, line) for line in sorted(address_lines(address))]
        forms += [(DEA, number.split("-", 1)[0]) for number in self.dea]
        return tuple(forms)


# ---------------------------------------------------------------- scanning

_SSN_SHAPE = re.compile(r"(?<![\d-])\d{3}[-. ]\d{2}[-. ]\d{4}(?![\d-])")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_SSN_LABEL = re.compile(r"\b(SSN|SSAN|social\s+security(\s+(no|number|#))?)\b\W{0,5}$", re.I)
_DEA_LABEL = re.compile(
    r"\bDEA\b(\s*(registration|reg\.?))?(\s*(no\.?|number|#))?[^A-Za-z0-9]{0,10}$", re.I
)
_DOB_LABEL = re.compile(r"(\bDOB\b|\bD\.O\.B\.|date\s+of\s+birth|\bborn\b)", re.I)
_DATE_SHAPE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s?[A-Za-z]{3,9}\s?\d{4}|\d{8}"
    r"|[A-Z][a-z]+ \d{1,2}, \d{4})\b"
)
# "home address 12 Elm", "home: 12 Elm", "residence - 12 Elm": a label, then a street number.
_HOME_LABEL = re.compile(
    r"\b(home|residence|residential)(\s+(address|addr\.?)\s*[:\-]?|\s*[:\-])\s*\d{1,6}\s+\w+",
    re.I,
)


_DIGIT = re.compile(r"\d")


def scan(text: str, known: KnownValues | None = None) -> list[Match]:
    """Every identifier-like run in ``text``, strongest reading first per span."""
    found: list[Match] = []
    if known is not None:
        folded = text.casefold()
        for category, form in known.patterns():
            start = folded.find(form.casefold())
            while start >= 0:
                found.append(Match(category, STRONG, start, start + len(form), "known value"))
                start = folded.find(form.casefold(), start + 1)
    if not _DIGIT.search(text):
        # Every pattern below needs a digit (an SSN, a DEA number, a date, a street
        # number): most free text has none, and skipping them halves the scan time.
        return _dedupe(found)
    for m in _SSN_SHAPE.finditer(text):
        found.append(Match(SSN, STRONG, m.start(), m.end(), "SSN pattern"))
    for m in _NINE_DIGITS.finditer(text):
        labelled = _SSN_LABEL.search(text[max(0, m.start() - 30) : m.start()])
        strength = STRONG if labelled else WEAK
        found.append(
            Match(
                SSN, strength, m.start(), m.end(), "labelled SSN" if labelled else "9-digit number"
            )
        )
    for m in DEA_PATTERN.finditer(text):
        labelled = _DEA_LABEL.search(text[max(0, m.start() - 25) : m.start()])
        valid = dea_is_valid(m.group(0))
        if valid or labelled:
            why = "DEA number with valid check digit" if valid else "labelled DEA number"
            found.append(Match(DEA, STRONG, m.start(), m.end(), why))
        else:
            found.append(Match(DEA, WEAK, m.start(), m.end(), "DEA-shaped string"))
    for label in _DOB_LABEL.finditer(text):
        window = text[label.end() : label.end() + 20 + 20]
        date = _DATE_SHAPE.search(window)
        if date and date.start() <= 20:
            start = label.end() + date.start()
            found.append(Match(DOB, STRONG, start, start + len(date.group(0)), "labelled date"))
    for m in _HOME_LABEL.finditer(text):
        found.append(Match(HOME_ADDRESS, STRONG, m.start(), m.end(), "labelled home address"))
    return _dedupe(found)


def _dedupe(matches: Iterable[Match]) -> list[Match]:
    best: dict[tuple[int, int, str], Match] = {}
    for match in matches:
        key = (match.start, match.end, match.category)
        if key not in best or match.strength == STRONG:
            best[key] = match
    return sorted(best.values(), key=lambda m: (m.start, m.category))
