"""Privilege categories and durations (RULES.md §6.1), and current competence (§6.6).

PRIV-001..012 and PRIV-060: DoDM 6025.13 Encl. 4 §4b and the Glossary.  The rest of §6
is in ``appointments`` (§6.2), ``databank`` (§6.3), ``credentials_file`` (§6.4) and
``privilege_status`` (§6.5).  Every checker reads its data through the :class:`Context`:
the credential record when one is given, else what the ICTB shows.  Appointments,
privilege events, the credentials file and PSV dates exist only in a credential record;
the rules that need them stay silent without one rather than guess.  Dates follow D1-D8
(``ictb.dates``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import AppointmentType, PrivilegeEventType, Privileges
from ictb.rules import Context, rule
from ictb.rules._record import (
    BRIEF,
    RECORD,
    REGULAR,
    SUPERVISED,
    TEMPORARY,
    _appt_label,
    _appt_where,
    _blank,
    _category,
    _describe,
    _event_label,
    _needs_privileges,
    _overlaps,
    _privileges,
)
from ictb.rules._record import normalize_category as normalize_category  # public here too
from ictb.rules.validity import blocking_intervals, effective_events

E = PrivilegeEventType
A = AppointmentType

# Events that show the provider was privileged on their date (PRIV-060).
_PRIVILEGING_EVENTS = frozenset(
    {E.GRANT, E.RENEWAL, E.MODIFICATION, E.CATEGORY_CHANGE, E.REINSTATEMENT}
)

_NOTHING = frozenset({"", "none", "n/a", "na", "no", "nil"})


# ---------------------------------------------------------------- helpers


def _uncovered(
    first: dt.date, last: dt.date, granted: dt.date | None, expires: dt.date | None
) -> list[tuple[dt.date, dt.date]]:
    """D2: the runs ``(first, last)`` of days in ``[first, last]`` outside
    ``granted..expires``: before the grant, after the expiry (one run when they meet).
    Worked out from the ends, not day by day, so a period of any length costs the same."""
    runs = []
    if granted is not None and first < granted:
        runs.append((first, min(last, dates.day_before(granted))))
    if expires is not None and last > expires:
        runs.append((max(first, dates.day_after(expires)), last))
    if len(runs) == 2 and runs[1][0] <= dates.day_after(runs[0][1]):
        runs = [(runs[0][0], max(runs[0][1], runs[1][1]))]
    return runs


def _span(first: dt.date, last: dt.date) -> str:
    return str(first) if first == last else f"{first} to {last}"


# ---------------------------------------------------------------- §6.1 categories, durations


@rule("PRIV-001")
def care_without_privileges(ctx: Context) -> Iterator[Finding]:
    """Every assignment day (D7), or the as-of date without one, needs current privileges."""
    if not _needs_privileges(ctx):
        return
    priv, where = _privileges(ctx)
    if ctx.periods:
        windows = [(f"assignment period {p.start}..{p.end}", p.start, p.end) for p in ctx.periods]
    else:
        windows = [("the as-of date", ctx.as_of, ctx.as_of)]
    for name, first, last in windows:
        if priv is None:
            yield finding(
                "PRIV-001",
                f"no clinical privileges are recorded for a provider who needs them ({name})",
                where,
            )
            continue
        for start, end in _uncovered(first, last, priv.granted_on, priv.expires_on):
            yield finding(
                "PRIV-001",
                f"no current privileges on {_span(start, end)} ({name}): the days fall outside "
                f"{_describe(priv)}",
                where,
            )


@rule("PRIV-002")
def category_known(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    # A missing category is ICTB-006's finding; an unknown word is this rule's.
    if priv is None or _blank(priv.category) or _category(priv) is not None:
        return
    yield finding(
        "PRIV-002",
        f"the privilege category {priv.category!r} is not regular, supervised or temporary "
        f"(legacy 'provisional' and 'defined' are mapped first, Interp. A10); "
        f"privileges granted {priv.granted_on or 'on an unknown date'}",
        f"{where}/category",
    )


@rule("PRIV-003", "PRIV-004", "PRIV-011")
def privilege_duration(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    if priv is None or priv.granted_on is None or priv.expires_on is None:
        return
    category = _category(priv)
    start, end = priv.granted_on, priv.expires_on
    if category in (REGULAR, SUPERVISED):
        # D3 (Interp. A2): end <= anniversary(start, 24 months) - 1 day.
        months = ctx.policy.privilege_max_months
        last_allowed = dates.month_limit_last_day(start, months)
        if end > last_allowed:
            yield finding(
                "PRIV-003" if category == REGULAR else "PRIV-004",
                f"{_describe(priv)} run longer than {months} months: the last day allowed "
                f"is {last_allowed}",
                f"{where}/expires_on",
            )
    elif category == TEMPORARY:
        # D4 (Interp. A3): calendar days counted inclusively.
        limit = ctx.policy.temporary_max_days
        days = dates.inclusive_days(start, end)
        if days > limit:
            yield finding(
                "PRIV-011",
                f"{_describe(priv)} last {days} days, more than {limit}",
                f"{where}/expires_on",
            )


@rule("PRIV-005", "PRIV-006", "PRIV-007", "PRIV-008")
def supervision(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    if priv is None:
        return
    supervised = _category(priv) == SUPERVISED
    sup = priv.supervisor
    if supervised and (sup is None or _blank(sup.name)):
        yield finding("PRIV-005", f"{_describe(priv)} name no supervisor", f"{where}/supervisor")
    elif supervised and sup is not None:
        yield from _supervisor_current(ctx, priv, where)
    plan = priv.plan
    parts = {
        "scope of care permitted": plan.scope if plan else None,
        "level of supervision": plan.level.value if plan and plan.level else None,
        "identity of the supervisor": plan.supervisor if plan else None,
        "evaluation criteria": plan.criteria if plan else None,
        "frequency of evaluation": plan.frequency if plan else None,
    }
    missing = [name for name, value in parts.items() if _blank(value)]
    if len(missing) == len(parts):
        if supervised:
            yield finding(
                "PRIV-007", f"{_describe(priv)} have no plan of supervision", f"{where}/plan"
            )
    elif missing:
        # Glossary "plan of supervision": all five parts, whatever the category.
        yield finding(
            "PRIV-008",
            f"the plan of supervision for {_describe(priv)} lacks: {', '.join(missing)}",
            f"{where}/plan",
        )


def _supervisor_current(ctx: Context, priv: Privileges, where: str) -> Iterator[Finding]:
    """PRIV-006: the named supervisor holds regular privileges on every supervised day."""
    sup = priv.supervisor
    assert sup is not None
    who = f"the supervisor {sup.name} of {_describe(priv)}"
    if normalize_category(sup.category) != REGULAR:
        held = f"{sup.category!r} privileges" if sup.category else "no recorded category"
        yield finding("PRIV-006", f"{who} holds {held}, not regular", f"{where}/supervisor")
        return
    # D7: an expiry-type test on the last supervised day being evaluated.
    last = ctx.window_last_day()
    if priv.expires_on is not None:
        last = min(last, priv.expires_on)
    if sup.expires_on is None:
        yield finding(
            "PRIV-006",
            f"{who} has no recorded privilege expiry, so current regular privileges through "
            f"{last} cannot be shown",
            f"{where}/supervisor",
        )
    elif sup.expires_on < last:
        yield finding(
            "PRIV-006",
            f"{who} holds regular privileges only to {sup.expires_on}; the supervised day(s) "
            f"{_span(dates.day_after(sup.expires_on), last)} have no supervisor with current "
            "regular privileges",
            f"{where}/supervisor",
        )


@rule("PRIV-009")
def supervised_with_appointment(ctx: Context) -> Iterator[Finding]:
    priv, _ = _privileges(ctx)
    if ctx.record is None or priv is None or _category(priv) != SUPERVISED:
        return
    start = priv.granted_on or ctx.as_of
    for index, appt in enumerate(ctx.record.appointments, start=1):
        if _overlaps(appt.start, appt.end, start, priv.expires_on):
            yield finding(
                "PRIV-009",
                f"{_appt_label(appt)} is a medical staff appointment held with "
                f"{_describe(priv)}; supervised providers may not be appointed",
                _appt_where(index),
            )


@rule("PRIV-010")
def supervised_shown_independent(ctx: Context) -> Iterator[Finding]:
    shown = [_privileges(ctx)]
    if ctx.brief.privileges is not None and ctx.brief.privileges != shown[0][0]:
        shown.append((ctx.brief.privileges, f"{BRIEF}/privileges"))  # the ICTB says otherwise
    for priv, where in shown:
        if priv is not None and _category(priv) == SUPERVISED and priv.independent is True:
            yield finding(
                "PRIV-010",
                f"{_describe(priv)} are shown as independent practice; supervised privileges "
                "never allow it",
                f"{where}/independent",
            )


@rule("PRIV-012")
def temporary_infrequent(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    temporary = priv is not None and _category(priv) == TEMPORARY
    if temporary and priv is not None and _blank(priv.justification):
        yield finding(
            "PRIV-012",
            f"{_describe(priv)} record no pressing patient need",
            f"{where}/justification",
        )
    # Interp. A3: back-to-back or overlapping temporary grants.  A temporary appointment
    # is granted with temporary privileges for its days (§4c(4)), so it marks one too.
    grants: list[tuple[dt.date, dt.date]] = []
    if temporary and priv is not None and priv.granted_on and priv.expires_on:
        grants.append((priv.granted_on, priv.expires_on))
    if ctx.record is not None:
        grants += [
            (a.start, a.end)
            for a in ctx.record.appointments
            if a.type is A.TEMPORARY and a.end is not None
        ]
    limit = ctx.policy.temporary_max_days
    for first, last, longest in _chains(grants):
        days = dates.inclusive_days(first, last)
        if days > limit and days > longest:
            yield finding(
                "PRIV-012",
                f"back-to-back or overlapping temporary grants run {days} days in a row "
                f"({first}..{last}), more than {limit}: temporary privileges should be "
                "infrequent",
                where if ctx.record is None else f"{RECORD}/appointments",
            )


def _chains(
    spans: list[tuple[dt.date, dt.date]],
) -> Iterator[tuple[dt.date, dt.date, int]]:
    """Merge overlapping or adjacent spans: (first, last, length of the longest member)."""
    chain: tuple[dt.date, dt.date, int] | None = None
    for start, end in sorted(spans):
        length = dates.inclusive_days(start, end)
        if chain is not None and start <= dates.day_after(chain[1]):
            chain = (chain[0], max(chain[1], end), max(chain[2], length))
            continue
        if chain is not None:
            yield chain
        chain = (start, end, length)
    if chain is not None:
        yield chain


# ---------------------------------------------------------------- §6.6 current competence


@rule("PRIV-060")
def current_competence(ctx: Context) -> Iterator[Finding]:
    if not _needs_privileges(ctx):
        return
    years = ctx.policy.current_competence_years
    evidence = sorted(_competence_evidence(ctx), key=lambda pair: pair[1])
    # Glossary "current competence": "at any time within the past 2 years".  The day
    # exactly 2 years before (D6 anniversary) is still inside the look-back.
    if evidence and ctx.as_of <= dates.anniversary(evidence[-1][1], 12 * years):
        return
    priv, where = _privileges(ctx)
    latest = f"the latest is {evidence[-1][0]} on {evidence[-1][1]}" if evidence else "none"
    yield finding(
        "PRIV-060",
        f"in the {years} years before {ctx.as_of} the provider had no privileges, no practice "
        f"under a written plan of supervision and no completed graduate professional "
        f"education ({latest})",
        where if priv is not None else (RECORD if ctx.record is not None else BRIEF),
    )


def _competence_evidence(ctx: Context) -> Iterator[tuple[str, dt.date]]:
    """(what, the latest day it shows) for each sign of recent privileged practice."""
    as_of = ctx.as_of
    events = effective_events(ctx.events, as_of, ctx.policy)
    priv, _ = _privileges(ctx)
    if priv is not None and priv.granted_on is not None and priv.granted_on <= as_of:
        # Privileges out of effect (abeyance, suspension, revocation) are no permission
        # to practise, so step back over such days: to the day before each block.
        day: dt.date | None = min(priv.expires_on or as_of, as_of)
        blocks = blocking_intervals(events)
        while day is not None and day >= priv.granted_on:
            block = next((b for b in blocks if b.contains(day)), None)
            if block is None:
                break
            day = None if block.start == dt.date.min else dates.day_before(block.start)
        if day is not None and day >= priv.granted_on:
            yield f"privileges ({priv.category})", day
    for event in ctx.events:
        if event.type in _PRIVILEGING_EVENTS and event.on <= as_of:
            yield _event_label(event), event.on
    record = ctx.record
    if record is not None:
        for appt in record.appointments:
            if appt.start <= as_of:
                yield _appt_label(appt), min(appt.end or as_of, as_of)
        plan = record.formal_supervision_plan
        if plan is not None and plan.written:
            yield "a written plan of supervision", as_of
    education = record.education if record is not None else (ctx.brief.education or ())
    for training in education:
        if training.completed_on is not None and training.completed_on <= as_of:
            yield (training.title or training.kind.value), training.completed_on
    reserve = record.reserve if record is not None else ctx.brief.reserve
    if reserve is not None:
        tour = reserve.last_tour
        if tour is not None and (tour.end or tour.start) is not None:
            last = tour.end or tour.start
            assert last is not None
            yield "the last clinical tour", min(last, as_of)
        if (reserve.civ_privileges or "").strip().casefold() not in _NOTHING:
            yield "current civilian privileges", as_of
