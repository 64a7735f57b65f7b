"""Privileges, appointments, NPDB queries, the credentials file and privilege status.

RULES.md §6.1-§6.6 (PRIV-001..060): DoDM 6025.13 Encl. 4 §3-§4, Encl. 7 §2 and the
Glossary.  Every checker reads its data through the :class:`Context`: the credential
record when one is given, else what the ICTB shows.  Appointments, privilege events,
the credentials file and PSV dates exist only in a credential record; the rules that
need them stay silent without one rather than guess.  Dates follow D1-D8 (``ictb.dates``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ictb import dates
from ictb.dates import ONE_DAY
from ictb.findings import Finding, finding
from ictb.model import (
    ActionBasis,
    Appointment,
    AppointmentType,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    DatabankQuery,
    Discipline,
    PracticeHistoryEntry,
    PrivilegeEvent,
    PrivilegeEventType,
    Privileges,
    Psv,
    PsvStatus,
    TrainingKind,
)
from ictb.rules import Context, rule
from ictb.rules.validity import blocking_event_on, blocking_intervals, effective_events

RECORD = "/credential_record"
BRIEF = "/ictb/brief"
E = PrivilegeEventType
A = AppointmentType

REGULAR, SUPERVISED, TEMPORARY = "regular", "supervised", "temporary"

# Interp. A10: the old words of Encl. 4 §5e ("provisional to defined privileges").
_CATEGORY_WORDS = {
    "regular": REGULAR,
    "defined": REGULAR,
    "supervised": SUPERVISED,
    "provisional": SUPERVISED,
    "temporary": TEMPORARY,
}

INITIAL_TYPES = frozenset({A.INITIAL, A.INITIAL_ACTIVE, A.INITIAL_AFFILIATE})

# Final actions that end a summary suspension (Encl. 7 §2g: "the final action is ...").
_FINAL_ACTIONS = frozenset({E.RESTRICTION, E.REDUCTION, E.SUSPENSION, E.REVOCATION, E.DENIAL})

# Events that show the provider was privileged on their date (PRIV-060).
_PRIVILEGING_EVENTS = frozenset(
    {E.GRANT, E.RENEWAL, E.MODIFICATION, E.CATEGORY_CHANGE, E.REINSTATEMENT}
)

# §3c(3)(g): the disciplines that can hold a DEA registration and so need one on file.
DEA_ELIGIBLE = frozenset(
    {Discipline.PHYSICIAN, Discipline.DENTIST, Discipline.PA, Discipline.APN, Discipline.PODIATRIST}
)

# §3c(1)(d): what the license history must list.
_LICENSE_KINDS = frozenset({CredentialKind.LICENSE, CredentialKind.REGISTRATION})
# §3c(1)(d)-(e): credentials that need PSV; each is re-verified when renewed.
_PSV_CREDENTIAL_KINDS = frozenset(
    {
        CredentialKind.LICENSE,
        CredentialKind.REGISTRATION,
        CredentialKind.CERTIFICATION,
        CredentialKind.BOARD,
    }
)

_NOTHING = frozenset({"", "none", "n/a", "na", "no", "nil"})


def normalize_category(text: str | None) -> str | None:
    """``regular``, ``supervised`` or ``temporary``; None when the text is none of them.

    Interp. A10: "provisional" means supervised and "defined" means regular.  Case,
    spacing and a trailing word "privileges" do not matter.
    """
    if text is None:
        return None
    words = " ".join(text.split()).casefold()
    words = words.removesuffix(" privileges").strip()
    return _CATEGORY_WORDS.get(words)


# ---------------------------------------------------------------- shared helpers


def _privileges(ctx: Context) -> tuple[Privileges | None, str]:
    """The privileges the rules judge, and where they came from."""
    if ctx.record is not None and ctx.record.privileges is not None:
        return ctx.record.privileges, f"{RECORD}/privileges"
    return ctx.brief.privileges, f"{BRIEF}/privileges"


def _needs_privileges(ctx: Context) -> bool:
    provider = ctx.provider
    return (provider is None or provider.is_privileged) and not ctx.brief.non_privileged


def _category(priv: Privileges | None) -> str | None:
    return normalize_category(priv.category) if priv is not None else None


def _describe(priv: Privileges) -> str:
    """The privileges as a message names them, e.g. 'the regular privileges granted ...'."""
    what = (priv.category or "unstated-category").strip()
    category = normalize_category(priv.category)
    if category is not None and category != what.casefold():
        what = f"{what} (= {category}, Interp. A10)"
    ccqas = f" ({priv.ccqas_id})" if priv.ccqas_id else ""
    granted = priv.granted_on or "on an unknown date"
    expiring = priv.expires_on or "on an unknown date"
    return f"the {what} privileges{ccqas} granted {granted}, expiring {expiring}"


def _appt_label(appt: Appointment) -> str:
    at = f" at {appt.dod_mtf}" if appt.dod_mtf else ""
    end = appt.end or "open"
    return f"the {appt.type.value.replace('_', '-')} appointment{at} ({appt.start}..{end})"


def _appt_where(index: int) -> str:
    return f"{RECORD}/appointments/appointment[{index}]"


def _event_where(index: int) -> str:
    return f"{RECORD}/privilege_events/event[{index}]"


def _event_label(event: PrivilegeEvent) -> str:
    return f"the {event.type.value.replace('_', ' ')} of {event.on}"


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days grouped into ``(first, last)`` runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _span(first: dt.date, last: dt.date) -> str:
    return str(first) if first == last else f"{first} to {last}"


def _overlaps(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date | None) -> bool:
    """Do the periods ``[start, end]`` and ``[first, last]`` share a day (None: open)?"""
    return (last is None or start <= last) and (end is None or first <= end)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


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
        # D2: a day is covered when granted_on <= day <= expires_on.
        uncovered = [
            day
            for day in _days(first, last)
            if not dates.current_on(day, priv.granted_on, priv.expires_on)
        ]
        for start, end in _runs(uncovered):
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
            f"{_span(sup.expires_on + ONE_DAY, last)} have no supervisor with current "
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
        if chain is not None and start <= chain[1] + ONE_DAY:
            chain = (chain[0], max(chain[1], end), max(chain[2], length))
            continue
        if chain is not None:
            yield chain
        chain = (start, end, length)
    if chain is not None:
        yield chain


# ---------------------------------------------------------------- §6.2 staff appointments


@rule("PRIV-020")
def initial_appointment_needed(ctx: Context) -> Iterator[Finding]:
    if ctx.record is None:
        return
    # Interp. A4: temporary appointments neither need to be initial nor count as a
    # prior appointment; the prior one may be at any DoD MTF.
    staff = [(i, a) for i, a in enumerate(ctx.record.appointments, 1) if a.type is not A.TEMPORARY]
    limit = ctx.policy.appointment_lapse_max_days
    for index, appt in staff:
        if appt.type in INITIAL_TYPES:
            continue
        prior = [p for _, p in staff if p is not appt and p.start < appt.start]
        if not prior:
            yield finding(
                "PRIV-020",
                f"{_appt_label(appt)} is the provider's first DoD MTF appointment on record "
                "and is not an initial appointment",
                _appt_where(index),
            )
            continue
        if any(p.end is None for p in prior):
            continue
        prior_end = max(p.end for p in prior if p.end is not None)
        gap = dates.lapse_days(prior_end, appt.start)  # D5
        if gap > limit:
            yield finding(
                "PRIV-020",
                f"{_appt_label(appt)} is not an initial appointment, but the previous DoD MTF "
                f"appointment ended {prior_end}: a lapse of {gap} days, more than {limit}",
                _appt_where(index),
            )


@rule("PRIV-021", "PRIV-022", "PRIV-023")
def appointment_terms(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None:
        return
    priv, _ = _privileges(ctx)
    for index, appt in enumerate(record.appointments, start=1):
        if appt.type in INITIAL_TYPES:
            months = ctx.policy.initial_appointment_max_months
            last_allowed = dates.month_limit_last_day(appt.start, months)  # D3
            if appt.end is not None and appt.end > last_allowed:
                yield finding(
                    "PRIV-021",
                    f"{_appt_label(appt)} runs longer than {months} months: the last day "
                    f"allowed is {last_allowed}",
                    _appt_where(index),
                )
        elif appt.type in (A.ACTIVE, A.AFFILIATE):
            problems = _staff_appointment_problems(ctx, record, appt, priv)
            if problems:
                yield finding(
                    "PRIV-022" if appt.type is A.ACTIVE else "PRIV-023",
                    f"{_appt_label(appt)}: {'; '.join(problems)}",
                    _appt_where(index),
                )


def _staff_appointment_problems(
    ctx: Context, record: CredentialRecord, appt: Appointment, priv: Privileges | None
) -> list[str]:
    """Encl. 4 §4c(2)-(3): at most 24 months, regular privileges, after an initial period."""
    problems = []
    months = ctx.policy.staff_appointment_max_months
    last_allowed = dates.month_limit_last_day(appt.start, months)  # D3
    if appt.end is not None and appt.end > last_allowed:
        problems.append(
            f"it runs longer than {months} months (the last day allowed is {last_allowed})"
        )
    # Only the current privileges' category is known, so only an appointment held
    # alongside them (or, with none, on the as-of date) can be judged on it.
    if priv is None or priv.granted_on is None:
        concurrent = dates.current_on(ctx.as_of, appt.start, appt.end)
    else:
        concurrent = _overlaps(appt.start, appt.end, priv.granted_on, priv.expires_on)
    if concurrent and _category(priv) != REGULAR:
        held = f"{priv.category} privileges" if priv and priv.category else "no privileges"
        problems.append(f"the provider holds {held}, not regular privileges")
    completed = any(
        a.type in INITIAL_TYPES and a.end is not None and a.end < appt.start
        for a in record.appointments
    )
    if not completed:
        problems.append("no initial appointment period was completed before it")
    return problems


@rule("PRIV-024", "PRIV-025")
def temporary_appointments(ctx: Context) -> Iterator[Finding]:
    if ctx.record is None:
        return
    priv, _ = _privileges(ctx)
    limit = ctx.policy.temporary_max_days
    for index, appt in enumerate(ctx.record.appointments, start=1):
        if appt.type is not A.TEMPORARY:
            continue
        where = _appt_where(index)
        if appt.end is not None and dates.inclusive_days(appt.start, appt.end) > limit:  # D4
            days = dates.inclusive_days(appt.start, appt.end)
            yield finding(
                "PRIV-024", f"{_appt_label(appt)} lasts {days} days, more than {limit}", where
            )
        # Only an appointment from the current grant on can be matched to privileges.
        earlier = (
            priv is not None
            and priv.granted_on is not None
            and (appt.end is not None and appt.end < priv.granted_on)
        )
        if not earlier and not _temporary_privileges_cover(priv, appt):
            yield finding(
                "PRIV-024",
                f"{_appt_label(appt)} is not matched by temporary privileges for the same "
                f"days ({_describe(priv) if priv else 'no privileges are recorded'})",
                where,
            )
        if _blank(appt.justification):
            yield finding(
                "PRIV-025",
                f"{_appt_label(appt)} records no emergency or pressing patient-care need",
                where,
            )


def _temporary_privileges_cover(priv: Privileges | None, appt: Appointment) -> bool:
    if priv is None or _category(priv) != TEMPORARY or appt.end is None:
        return False
    return dates.current_on(appt.start, priv.granted_on, priv.expires_on) and dates.current_on(
        appt.end, priv.granted_on, priv.expires_on
    )


# ---------------------------------------------------------------- §6.3 NPDB / HIPDB


def _query_used(query: DatabankQuery | None) -> tuple[dt.date | None, str]:
    """Interp. A5: the query made for this action when known, else the most recent one."""
    if query is None:
        return None, "none recorded"
    if query.action_query_on is not None:
        return query.action_query_on, "made for this action"
    return query.queried_on, "the most recent; no query for this action is recorded"


def _bank_where(ctx: Context, bank: str) -> str:
    if ctx.record is not None and getattr(ctx.record, bank) is not None:
        return f"{RECORD}/{bank}"
    return f"{BRIEF}/databank_queries/{bank}"


def _queries(ctx: Context) -> list[tuple[str, DatabankQuery | None, str]]:
    """(bank name, query, location) for the banks this action must have queried."""
    banks: list[tuple[str, DatabankQuery | None, str]] = [
        ("NPDB", ctx.npdb, _bank_where(ctx, "npdb"))
    ]
    # The HIPDB was merged into the NPDB (Interp. A5): one NPDB query can meet both.
    npdb = ctx.npdb
    if npdb is None or npdb.includes_hipdb is not True:
        banks.append(("HIPDB", ctx.hipdb, _bank_where(ctx, "hipdb")))
    return banks


@rule("PRIV-030", "PRIV-031")
def databank_queries(ctx: Context) -> Iterator[Finding]:
    priv, _ = _privileges(ctx)
    if not _needs_privileges(ctx) or priv is None or priv.granted_on is None:
        return
    granted = priv.granted_on
    for bank, query, where in _queries(ctx):
        on, which = _query_used(query)
        if on is None:
            yield finding(
                "PRIV-030",
                f"no {bank} query is recorded for {_describe(priv)}",
                where,
            )
            continue
        if on > granted:  # D8: a same-day query counts
            yield finding(
                "PRIV-030",
                f"the {bank} query used ({which}) is dated {on}, after the grant of "
                f"{_describe(priv)}: no {bank} query on or before {granted} is shown",
                where,
            )
        if priv.prev_action_on is not None and on < priv.prev_action_on:
            yield finding(
                "PRIV-031",
                f"the {bank} query used ({which}) is dated {on}, before the previous "
                f"privileging action of {priv.prev_action_on}: it belongs to an earlier "
                f"cycle, not to {_describe(priv)}",
                where,
            )


@rule("PRIV-032")
def ccqas_record(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    if priv is not None and _blank(priv.ccqas_id):
        yield finding("PRIV-032", f"{_describe(priv)} have no CCQAS record", f"{where}/ccqas_id")


# ---------------------------------------------------------------- §6.4 credentials file, PSV


@dataclass(frozen=True)
class _Grant:
    """A privileging or appointment decision that needed PSV first (§3b)."""

    what: str
    on: dt.date
    temporary: bool


@dataclass(frozen=True)
class _PsvItem:
    """A §3c(1)(a)-(g) item (Interp. A19) and its primary-source verification."""

    label: str
    where: str
    psv: Psv | None
    held_from: dt.date | None  # the item exists from this day (completed or effective)
    held_until: dt.date | None
    renewable: bool  # re-verified at each renewal, so CCQAS keeps the latest PSV date

    def held_on(self, day: dt.date) -> bool:
        return dates.current_on(day, self.held_from, self.held_until)

    def gap(self, grant: _Grant) -> str | None:
        """What is wrong with this item's PSV for ``grant``, or None when nothing is."""
        psv = self.psv
        if psv is None or psv.status is PsvStatus.ABSENT:
            return f"{self.label} had no primary-source verification before {grant.what}"
        if psv.primary is False:
            return f"{self.label} was verified only through a secondary source ({grant.what})"
        if psv.on is None:
            return (
                f"{self.label} has an undated verification, so PSV before {grant.what} is not shown"
            )
        # A renewed credential is verified again after the grant; the later date then
        # shows that re-verification, not a late first one.
        if psv.on > grant.on and not self.renewable:
            return f"{self.label} was primary-source verified on {psv.on}, after {grant.what}"
        return None


def _grants(ctx: Context, record: CredentialRecord) -> list[_Grant]:
    grants = []
    priv, _ = _privileges(ctx)
    if priv is not None and priv.granted_on is not None:
        temporary = _category(priv) == TEMPORARY
        grants.append(_Grant(_describe(priv), priv.granted_on, temporary))
    grants += [_Grant(_appt_label(a), a.start, a.type is A.TEMPORARY) for a in record.appointments]
    return grants


def _is_ecfmg(text: str | None) -> bool:
    folded = (text or "").casefold()
    return "ecfmg" in folded or "educational commission for foreign medical" in folded


def _psv_items(record: CredentialRecord) -> list[_PsvItem]:
    items = [
        _PsvItem(
            training.title or training.kind.value,
            f"{RECORD}/education/training[{i}]",
            training.psv,
            training.completed_on,
            None,
            renewable=False,
        )
        for i, training in enumerate(record.education, start=1)
    ]
    ecfmg_needed = record.provider.fmg is True and (
        (record.provider.fmg_school_country or "").strip().casefold() not in ("canada", "ca")
    )
    ecfmg_found = False
    for i, cred in enumerate(record.credentials, start=1):
        where = f"{RECORD}/credentials/credential[{i}]"
        if any(_is_ecfmg(t) for t in (cred.title, cred.issuer, cred.body)):
            ecfmg_found = True
            # §3c(1)(c): verified once, and needed before any grant.
            items.append(_PsvItem(cred.label(), where, cred.psv, None, None, renewable=False))
        elif cred.kind in _PSV_CREDENTIAL_KINDS:
            items.append(
                _PsvItem(cred.label(), where, cred.psv, cred.effective_on, cred.expires_on, True)
            )
    if ecfmg_needed and not ecfmg_found:
        items.append(
            _PsvItem(
                "the ECFMG certificate of a foreign medical graduate",
                f"{RECORD}/credentials",
                None,
                None,
                None,
                renewable=False,
            )
        )
    return items


@rule("PRIV-040", "PRIV-041")
def primary_source_verification(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None:
        return
    grants = _grants(ctx, record)
    for item in _psv_items(record):
        failed = [
            (grant, why)
            for grant in grants
            if item.held_on(grant.on)
            for why in [item.gap(grant)]
            if why is not None
        ]
        if not failed:
            continue
        # Interp. A21: an error for regular/supervised privileges or a staff
        # appointment; only a warning where nothing but temporary grants is affected.
        firm = [(grant, why) for grant, why in failed if not grant.temporary]
        _, why = min(firm or failed, key=lambda pair: pair[0].on)  # the earliest grant
        yield finding("PRIV-040" if firm else "PRIV-041", why, item.where)


@rule("PRIV-042")
def license_history(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    entries = record.credentials_file.license_history
    where = f"{RECORD}/credentials_file/license_history"
    for cred in record.credentials:
        if cred.kind in _LICENSE_KINDS and not any(
            _same_license(cred.issuer, cred.number, e.issuer, e.number) for e in entries
        ):
            yield finding(
                "PRIV-042",
                f"the license history does not list {cred.label()}",
                where,
            )
    for index, entry in enumerate(entries, start=1):
        reasons = []
        if entry.status not in (None, CredentialStatus.ACTIVE):
            reasons.append(entry.status.value)
        if entry.disciplined:
            reasons.append("disciplined")
        if reasons and _blank(entry.explanation):
            yield finding(
                "PRIV-042",
                f"the license history entry {entry.issuer or index} is {' and '.join(reasons)} "
                "but has no explanation",
                f"{where}/entry[{index}]",
            )


def _number(text: str | None) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _same_license(
    issuer: str | None, number: str | None, other_issuer: str | None, other_number: str | None
) -> bool:
    if _number(number) and _number(other_number):
        return _number(number) == _number(other_number)
    a, b = (issuer or "").casefold(), (other_issuer or "").casefold()
    return bool(a and b) and (a in b or b in a)


@rule("PRIV-043")
def practice_gaps(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    # §3c(1)(f): back 10 years, or to the qualifying degree if that is later.
    start = dates.anniversary(ctx.as_of, -120)
    degrees = [
        t.completed_on
        for t in record.education
        if t.kind is TrainingKind.DEGREE and t.completed_on is not None
    ]
    if degrees:
        start = max(start, max(degrees))
    limit = ctx.policy.practice_gap_max_days  # Interp. A22
    where = f"{RECORD}/credentials_file/practice_history"
    for first, last, following in _practice_gaps(
        record.credentials_file.practice_history, start, ctx.as_of
    ):
        days = dates.inclusive_days(first, last)
        explained = following is not None and not _blank(following.explanation)
        if days > limit and not explained:
            yield finding(
                "PRIV-043",
                f"the practice chronology has an unexplained gap of {days} days "
                f"({first}..{last}), more than {limit}",
                where,
            )


def _practice_gaps(
    entries: tuple[PracticeHistoryEntry, ...], start: dt.date, end: dt.date
) -> Iterator[tuple[dt.date, dt.date, PracticeHistoryEntry | None]]:
    """Days in ``[start, end]`` no entry covers: (first, last, the entry that follows)."""
    cursor = start
    for entry in sorted(entries, key=lambda e: e.start):
        if entry.start > end:
            break
        if entry.start > cursor:
            yield cursor, entry.start - ONE_DAY, entry
        covered_to = entry.end if entry.end is not None else end
        cursor = max(cursor, covered_to + ONE_DAY)
    if cursor <= end:
        yield cursor, end, None


@rule("PRIV-044")
def credentials_file_items(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None or not _needs_privileges(ctx):
        return
    file = record.credentials_file
    provider = record.provider
    dea_needed = (
        provider.discipline in DEA_ELIGIBLE
        and not file.dea_exception
        and not any(c.kind is CredentialKind.DEA for c in record.credentials)
    )
    wanted = {
        "(b) statement of ability and proof of current competence": file.ability_statement,
        "(c) DHHS and TRICARE sanction-list query": file.sanction_query_on,
        "(d) confirmed health-status statement": file.health_statement_confirmed,
        "(e) two competency letters": len(file.competency_letters) >= 2,
        "(f) continuing-education evidence": file.ce_current,
        "(g) DEA certificate (or an ASD(HA) exception)": not dea_needed,
        "(h) NPI": not _blank(file.npi),
        "(i) FBI background check": file.fbi_check_on,
        "(i) State criminal-history check": file.state_check_on,
        "(j) signed consent to inspection": file.consent_signed,
        "(k) signed accuracy attestation": file.accuracy_signed,
        "(l) signed agreement to follow the bylaws": file.bylaws_signed,
    }
    missing = [name for name, value in wanted.items() if value in (None, False)]
    if missing:
        yield finding(
            "PRIV-044",
            f"the credentials file lacks §3c(3) item(s): {'; '.join(missing)}",
            f"{RECORD}/credentials_file",
        )


@rule("PRIV-045")
def competency_letters(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    for index, letter in enumerate(record.credentials_file.competency_letters, start=1):
        who = f"the competency letter from {letter.author or f'author {index}'}"
        problems = []
        if letter.specialty_match is False:
            problems.append("is not from the same or a similar specialty")
        elif letter.specialty_match is None:
            problems.append("does not show it is from the same or a similar specialty")
        # §3c(3)(e): "the period of time and/or the last time" observed.
        if _blank(letter.observed_period) and letter.last_observed_on is None:
            problems.append("gives neither the period observed nor the last date observed")
        if problems:
            yield finding(
                "PRIV-045",
                f"{who} {' and '.join(problems)}",
                f"{RECORD}/credentials_file/competency_letter[{index}]",
            )


# ---------------------------------------------------------------- §6.5 privilege status


def _event_last_day(event: PrivilegeEvent, events: tuple[PrivilegeEvent, ...]) -> dt.date | None:
    """The last day an event is in effect: ``ended_on`` or the day before a reinstatement."""
    end = event.ended_on
    later = sorted(e.on for e in events if e.type is E.REINSTATEMENT and e.on > event.on)
    if later and (end is None or later[0] <= end):
        end = later[0] - ONE_DAY
    return end


@rule("PRIV-050")
def restrictions(ctx: Context) -> Iterator[Finding]:
    if ctx.record is None:
        return
    priv, _ = _privileges(ctx)
    events = ctx.events
    # D7: in effect on the as-of date or on any assignment day.
    windows = [(ctx.as_of, ctx.as_of), *((p.start, p.end) for p in ctx.periods)]
    for index, event in enumerate(events, start=1):
        if event.type is not E.RESTRICTION:
            continue
        last = _event_last_day(event, events)
        if not any(_overlaps(event.on, last, first, end) for first, end in windows):
            continue
        problems = []
        if priv is None or priv.restricted is not True:
            problems.append("the privilege list does not show it")
        if event.supervision_arranged is not True:
            problems.append("no supervision arrangement is recorded")
        if problems:
            yield finding(
                "PRIV-050",
                f"{_event_label(event)} is in effect but {' and '.join(problems)}",
                _event_where(index),
            )


@rule("PRIV-051")
def abeyance_notice(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.abeyance_max_days
    for index, event in enumerate(ctx.events, start=1):
        if event.type is not E.ABEYANCE:
            continue
        notice = event.notice
        problems = []
        if notice is None or notice.on is None:
            problems.append("no written notice")
        if notice is None or _blank(notice.reason):
            problems.append("no reason")
        if notice is None or notice.term_days is None:
            problems.append("no term in calendar days")
        elif notice.term_days > limit:
            problems.append(f"a stated term of {notice.term_days} days, more than {limit}")
        if problems:
            yield finding(
                "PRIV-051", f"{_event_label(event)} has {', '.join(problems)}", _event_where(index)
            )


@rule("PRIV-052")
def abeyance_became_suspension(ctx: Context) -> Iterator[Finding]:
    """Day 31 of an abeyance with no disposition is a summary suspension (Encl. 7 §2b).

    The conversion is the one ``validity.effective_events`` makes for ICTB-030/031, so
    the two areas cannot disagree about it.
    """
    events = ctx.events
    converted = [
        e
        for e in effective_events(events, ctx.as_of, ctx.policy)
        if all(e is not x for x in events)
    ]
    days = ctx.policy.abeyance_max_days
    for index, event in enumerate(events, start=1):
        if event.type is not E.ABEYANCE:
            continue
        day_after = event.on + dt.timedelta(days=days)
        if any(c.on == day_after for c in converted):
            yield finding(
                "PRIV-052",
                f"{_event_label(event)} reached day {days + 1} on {day_after} with no "
                f"disposition: it is a summary suspension from {day_after}",
                _event_where(index),
            )


@rule("PRIV-053")
def summary_suspension_length(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.summary_suspension_max_days
    events = effective_events(ctx.events, ctx.as_of, ctx.policy)  # with PRIV-052's
    for interval in blocking_intervals(events):
        event = interval.event
        if event.type is not E.SUMMARY_SUSPENSION or event.on > ctx.as_of:
            continue
        # It lasts until its end, a reinstatement or the final action; at most to as-of.
        finals = [e.on for e in events if e.type in _FINAL_ACTIONS and e.on > event.on]
        ends = [ctx.as_of, *([interval.end] if interval.end else [])]
        ends += [day - ONE_DAY for day in finals]
        last = min(ends)
        days = dates.inclusive_days(event.on, last)  # D4
        if days <= limit:
            continue
        # Interp. A12: each further 6-month (180-day) interval needs its own approval.
        interval_no = (days - 1) // limit
        approvals = [x for x in event.extensions if x.approved_by_service_on <= last]
        if len(approvals) < interval_no:
            begun = event.on + dt.timedelta(days=limit * interval_no)
            yield finding(
                "PRIV-053",
                f"the summary suspension of {event.on} has lasted {days} calendar days "
                f"(to {last}), more than {limit}, with {len(approvals)} Service-level "
                f"extension approval(s) recorded: none covers the interval begun {begun}",
                _where_of(event, ctx.events),
            )


def _where_of(event: PrivilegeEvent, events: tuple[PrivilegeEvent, ...]) -> str:
    for index, candidate in enumerate(events, start=1):
        if candidate is event:
            return _event_where(index)
    return f"{RECORD}/privilege_events"  # the summary suspension an abeyance became


@rule("PRIV-054")
def not_adverse(ctx: Context) -> Iterator[Finding]:
    for index, event in enumerate(ctx.events, start=1):
        if event.type is E.ABEYANCE:
            text = (
                f"{_event_label(event)} is not an adverse privileging action and is not "
                "reportable to the NPDB"
            )
        elif event.type is E.SUMMARY_SUSPENSION:
            text = (
                f"{_event_label(event)} is not an adverse privileging action; it is "
                "reportable to the NPDB only if the final action is"
            )
        else:
            continue
        if event.npdb_reported_on is not None:
            text += f" (an NPDB report dated {event.npdb_reported_on} is recorded against it)"
        yield finding("PRIV-054", text, _event_where(index))


@rule("PRIV-055")
def npdb_report(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.npdb_report_max_days
    for index, event in enumerate(ctx.events, start=1):
        adverse = (
            event.type in _FINAL_ACTIONS and event.basis is not ActionBasis.FACILITY_LIMITATION
        )
        if not adverse or event.final_on is None:
            continue
        # D4: the decision day is day 1, so the last day allowed is final_on + limit - 1.
        last_allowed = event.final_on + dt.timedelta(days=limit - 1)
        reported = event.npdb_reported_on
        if reported is None and ctx.as_of > last_allowed:
            late = "no NPDB report is recorded"
        elif reported is not None and reported > last_allowed:
            late = f"the NPDB report is dated {reported}"
        else:
            continue
        yield finding(
            "PRIV-055",
            f"{_event_label(event)} became final on {event.final_on}; {late}, not within "
            f"{limit} calendar days (by {last_allowed})",
            _event_where(index),
        )


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
        # to practise, so step back over such days.
        day = min(priv.expires_on or as_of, as_of)
        while day >= priv.granted_on and blocking_event_on(events, day) is not None:
            day -= ONE_DAY
        if day >= priv.granted_on:
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
