"""Medical staff appointments (RULES.md §6.2: PRIV-020..025).

DoDM 6025.13 Encl. 4 §4c.  Appointments exist only in a credential record, so these
rules stay silent without one.  Dates follow D3-D5 (``ictb.dates``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import Appointment, AppointmentType, CredentialRecord, Privileges
from ictb.rules import Context, rule
from ictb.rules._record import (
    REGULAR,
    TEMPORARY,
    _appt_label,
    _appt_where,
    _blank,
    _category,
    _describe,
    _overlaps,
    _privileges,
)

A = AppointmentType

INITIAL_TYPES = frozenset({A.INITIAL, A.INITIAL_ACTIVE, A.INITIAL_AFFILIATE})


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
