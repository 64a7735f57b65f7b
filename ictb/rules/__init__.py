"""The rule engine: every checker is a function of a :class:`Context`.

A rule area is one module that registers its checkers with :func:`rule`; adding an
area is adding a module to ``AREAS``, never a change to the engine.  Each checker
declares the codes it may emit, so a command can ask for exactly its rule set (RULES.md
§13) and the engine runs only the checkers that can contribute.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ictb.findings import Finding
from ictb.model import (
    Brief,
    Credential,
    CredentialRecord,
    DatabankQuery,
    Distribution,
    GainingGrant,
    Period,
    PrivilegeEvent,
    Privileges,
    Provider,
    RenewalConfirmation,
)
from ictb.policy import Policy

AREAS = (
    "ictb.rules.content",
    "ictb.rules.freetext",
    "ictb.rules.validity",
    "ictb.rules.privileges",  # RULES.md §6.1 and §6.6
    "ictb.rules.appointments",  # §6.2
    "ictb.rules.databank",  # §6.3
    "ictb.rules.credentials_file",  # §6.4
    "ictb.rules.privilege_status",  # §6.5
    "ictb.rules.licensure",  # §7.1
    "ictb.rules.restricted_waivers",  # §7.2
    "ictb.rules.pa_apn_waivers",  # §7.3
    "ictb.rules.release",
    "ictb.rules.humanitarian",
    "ictb.rules.dhs",
)


@dataclass(frozen=True)
class Context:
    """What the rules may look at."""

    brief: Brief
    as_of: dt.date
    policy: Policy
    record: CredentialRecord | None = None
    extra_periods: tuple[Period, ...] = ()
    purpose: str = "check"  # "build", "sign" or "check": a few rules differ by use
    confirmations: tuple[RenewalConfirmation, ...] = ()
    distribution: Distribution | None = None  # None: the sender's record was not given
    grant: GainingGrant | None = None
    superseded_by: str | None = None  # id of a later ICTB that names this one
    release: bool = False  # evaluated as a host-nation release copy (Encl. 4 §8c)

    @property
    def periods(self) -> tuple[Period, ...]:
        """The ICTB's periods, and the further ones asked about that it does not name."""
        named = {(p.start, p.end) for p in self.brief.periods}
        extra = tuple(p for p in self.extra_periods if (p.start, p.end) not in named)
        return (*self.brief.periods, *extra)

    def window_last_day(self) -> dt.date:
        """D7: expiry-type tests use the last day of the assignment (or the as-of date)."""
        return max((p.end for p in self.periods), default=self.as_of)

    # What the rules read: the credential record when one is given (it is the fuller
    # source), else what the ICTB itself shows.

    @property
    def provider(self) -> Provider | None:
        return self.record.provider if self.record is not None else self.brief.provider

    @property
    def privileges(self) -> Privileges | None:
        if self.record is not None and self.record.privileges is not None:
            return self.record.privileges
        return self.brief.privileges

    @property
    def credentials(self) -> tuple[Credential, ...]:
        if self.record is not None:
            return self.record.credentials
        brief = self.brief
        return tuple(
            c
            for listing in (brief.licensure, brief.boards, brief.life_support)
            if listing is not None
            for c in listing.credentials
        )

    @property
    def events(self) -> tuple[PrivilegeEvent, ...]:
        """Privilege status history: only a credential record carries it."""
        return self.record.privilege_events if self.record is not None else ()

    @property
    def npdb(self) -> DatabankQuery | None:
        if self.record is not None and self.record.npdb is not None:
            return self.record.npdb
        return self.brief.npdb

    @property
    def hipdb(self) -> DatabankQuery | None:
        if self.record is not None and self.record.hipdb is not None:
            return self.record.hipdb
        return self.brief.hipdb


# A checker takes the context of its document type: a ``Context`` for ICTB rules, a
# ``PacketContext`` for DHS packets, ``ProviderContext``/``MissionContext`` for missions.
# Each checker is registered with its context type and only ever runs on that type.
Checker = Callable[[Any], Iterable[Finding]]


@dataclass
class _Registry:
    checkers: list[tuple[frozenset[str], type, Checker]] = field(default_factory=list)
    loaded: bool = False


_REGISTRY = _Registry()


def rule(*codes: str, on: type | None = None) -> Callable[[Checker], Checker]:
    """Register a checker that may emit ``codes`` about a context of type ``on``.

    ``on`` defaults to :class:`Context` (an ICTB); the packet and mission rules name
    their own context types, so one code may be checked on several document types.
    """

    def register(checker: Checker) -> Checker:
        _REGISTRY.checkers.append((frozenset(codes), on or Context, checker))
        return checker

    return register


def _load() -> None:
    if not _REGISTRY.loaded:
        for module in AREAS:
            importlib.import_module(module)
        _REGISTRY.loaded = True


def registered_codes() -> frozenset[str]:
    _load()
    return frozenset().union(*(codes for codes, _, _ in _REGISTRY.checkers))


def evaluate(context: Any, codes: Iterable[str]) -> list[Finding]:
    """Run the checkers that can emit any of ``codes``; keep only findings of ``codes``."""
    _load()
    wanted = frozenset(codes)
    out: list[Finding] = []
    for emits, kind, checker in _REGISTRY.checkers:
        if emits & wanted and isinstance(context, kind):
            out.extend(found for found in checker(context) if found.code in wanted)
    return out


def code_range(prefix: str, first: int, last: int) -> frozenset[str]:
    return frozenset(f"{prefix}-{n:03d}" for n in range(first, last + 1))


# RULES.md §13: what `build` applies before writing (the PRIV and LIC areas join it as
# they are implemented), and what `sign` refuses on.
BUILD_CODES = (
    code_range("ICTB", 1, 15) | {"ICTB-032", "RED-020", "RED-021"} | code_range("PRIV", 1, 60)
)
SIGN_BLOCKING = code_range("ICTB", 1, 14) | {"ICTB-032", "RED-020"}
