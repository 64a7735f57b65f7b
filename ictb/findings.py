"""One finding type and one report type, returned by every checker.

Every rule code comes from the catalog (``ictb/data/rules.json``, generated from the
project's rule catalog); a checker cannot invent a code, a severity or a citation.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any


class Severity(enum.Enum):
    """How much a finding weighs in the verdict (RULES.md §1.1)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(enum.Enum):
    """The bottom line for one document."""

    VALID = "valid"
    NEEDS_REVIEW = "needs review"
    INVALID = "invalid"


@dataclass(frozen=True)
class Rule:
    """A catalogued rule: stable code, default severity, what it checks, its citation."""

    code: str
    severity: Severity
    title: str
    source: str


@cache
def catalog() -> dict[str, Rule]:
    """All rules by code, loaded once from the packaged catalog."""
    raw = json.loads(resources.files("ictb").joinpath("data/rules.json").read_text("utf-8"))
    return {
        entry["code"]: Rule(
            code=entry["code"],
            severity=Severity(entry["severity"]),
            title=entry["title"],
            source=entry["source"],
        )
        for entry in raw["rules"]
    }


@dataclass(frozen=True)
class Finding:
    """One observation about a document.

    ``message`` never contains a sensitive value (SSN, date of birth, home address,
    DEA number): checkers name the field, not its content.
    """

    code: str
    severity: Severity
    message: str
    location: str | None
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location,
            "source": self.source,
        }


def finding(
    code: str,
    message: str,
    location: str | None = None,
    *,
    severity: Severity | None = None,
) -> Finding:
    """Create a finding for a catalogued code; severity and citation come from the catalog."""
    rule = catalog()[code]  # KeyError here is a programming error, caught by the tests
    return Finding(code, severity or rule.severity, message, location, rule.source)


@dataclass(frozen=True)
class Report:
    """Every finding about one document, plus facts a command wants to show."""

    document: str
    findings: tuple[Finding, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def verdict(self) -> Verdict:
        if self.errors:
            return Verdict.INVALID
        if self.warnings:
            return Verdict.NEEDS_REVIEW
        return Verdict.VALID

    def accepted(self, *, strict: bool = False) -> bool:
        """Exit-code view of the verdict: warnings reject only with ``strict``."""
        verdict = self.verdict
        return verdict is Verdict.VALID or (verdict is Verdict.NEEDS_REVIEW and not strict)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def with_findings(self, extra: Iterable[Finding]) -> Report:
        return Report(self.document, (*self.findings, *extra), dict(self.facts))

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "verdict": self.verdict.value,
            "counts": {s.value: sum(f.severity is s for f in self.findings) for s in Severity},
            "findings": [f.as_dict() for f in sort_findings(self.findings)],
            **self.facts,
        }


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_findings(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Errors first, then warnings, then info; by code within each, stable otherwise."""
    return iter(sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.code)))
