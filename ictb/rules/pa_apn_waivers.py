"""PA and APN waivers (RULES.md §7.3: LIC-030..037).

DoDM 6025.13 Encl. 4 §1b(6)-(7): PAs and APNs may practise under the ASD(HA) waiver
instead of their own license, when its criteria are met and it is kept up at each
privilege renewal.  Waivers, the PA and APN blocks, the formal plan of supervision and
privilege events exist only in a credential record: rules that need them stay silent
without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import (
    ApnQualification,
    Component,
    CredentialKind,
    Discipline,
    PaQualification,
    PrivilegeEventType,
    Waiver,
    WaiverKind,
)
from ictb.rules import Context, rule
from ictb.rules._license import (
    _WAIVER_KIND,
    US_JURISDICTIONS,
    _days,
    _has_unrestricted,
    _in_force,
    _name,
    _unrestricted,
    _waiver_in_force,
    _waiver_text,
    _waivers,
    _when,
)
from ictb.rules._record import RECORD, _privileges
from ictb.rules.licensure import APN_MASTERS_REQUIRED_AFTER, PA_LEGACY_ACCREDITATION_BEFORE

# Encl. 4 §1b(6)(c)1: the PA program accreditors.
_ARC_PA = re.compile(r"arc[- ]?pa|accreditation review commission", re.IGNORECASE)
_LEGACY_PA = re.compile(
    r"cahea|caahep|committee on allied health|commission on accreditation of allied",
    re.IGNORECASE,
)

# Encl. 4 §1b(7)(c)2: master's level or above.
_MASTERS_OR_ABOVE = re.compile(
    r"master|doctor|\bm\.?s\.?n?\b|\bdnp\b|\bdnap\b|\bph\.?d\b|\bd\.?n\.?sc?\b|post[- ]master",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- §7.3 PA and APN waivers


def _pa_or_apn(ctx: Context) -> tuple[Discipline, WaiverKind] | None:
    """The provider's discipline and waiver kind when a PA or APN with a record."""
    provider = ctx.provider
    if provider is None or ctx.record is None or provider.discipline is None:
        return None
    kind = _WAIVER_KIND.get(provider.discipline)
    return (provider.discipline, kind) if kind is not None else None


def _days_without_own_license(ctx: Context) -> list[dt.date]:
    """The tested days with no current unrestricted US license of the provider's own."""
    return [day for day in _days(ctx) if not _has_unrestricted(ctx, day)]


def _privileges_current(ctx: Context, day: dt.date) -> bool:
    provider, priv = ctx.provider, ctx.privileges
    if provider is None or not provider.is_privileged or priv is None:
        return False
    return priv.granted_on is not None and dates.current_on(day, priv.granted_on, priv.expires_on)


def _latest(waivers: list[tuple[str, Waiver]]) -> tuple[str, Waiver]:
    return max(waivers, key=lambda pw: pw[1].dated or dt.date.min)


@rule("LIC-030")
def pa_apn_waiver_recorded(ctx: Context) -> Iterator[Finding]:
    """§1b(6), §1b(7): a privileged PA or APN without a license has a waiver in CCQAS."""
    found = _pa_or_apn(ctx)
    provider = ctx.provider
    if found is None or provider is None or not provider.is_privileged:
        return
    discipline, kind = found
    waivers = _waivers(ctx, kind)
    for day in _days_without_own_license(ctx):
        if any(_waiver_in_force(w, day) and w.in_ccqas is True for _, w in waivers):
            continue
        if not waivers:
            detail, where = f"no {kind.value.upper()} waiver is recorded", f"{RECORD}/waivers"
        else:
            # name the waiver in force (then it is missing from CCQAS), else the latest
            in_force = [(p, w) for p, w in waivers if _waiver_in_force(w, day)]
            where, waiver = in_force[0] if in_force else _latest(waivers)
            state = "is not in force" if not in_force else "is not recorded in CCQAS"
            detail = f"{_waiver_text(waiver)} {state}"
        yield finding(
            "LIC-030",
            f"the privileged {_name(discipline)} holds no current unrestricted license of "
            f"their own on {_when(ctx, day)}, and {detail}",
            where,
        )
        return


@rule("LIC-031")
def pa_apn_supervision(ctx: Context) -> Iterator[Finding]:
    """§1b(6)(b), §1b(7)(b): care without (waiver or license) and privileges needs a plan."""
    found = _pa_or_apn(ctx)
    record = ctx.record
    if found is None or record is None or record.formal_supervision_plan is not None:
        return
    discipline, kind = found
    waivers = [w for _, w in _waivers(ctx, kind)]
    for day in _days(ctx):
        authority = _has_unrestricted(ctx, day) or any(_waiver_in_force(w, day) for w in waivers)
        privileged = _privileges_current(ctx, day)
        if authority and privileged:
            continue
        missing = []
        if not authority:
            missing.append(f"a {kind.value.upper()} waiver or an unrestricted license of their own")
        if not privileged:
            missing.append("current clinical privileges")
        yield finding(
            "LIC-031",
            f"on {_when(ctx, day)} the {_name(discipline)} lacks {' and '.join(missing)}, "
            "and no formal plan of supervision is on file",
            f"{RECORD}/formal_supervision_plan",
        )
        return


@rule("LIC-032")
def pa_apn_waiver_date(ctx: Context) -> Iterator[Finding]:
    """§1b(6)-(7): the waiver is dated the day the current privileges were granted."""
    found = _pa_or_apn(ctx)
    priv = ctx.privileges
    if found is None or priv is None or priv.granted_on is None:
        return
    waivers = _waivers(ctx, found[1])
    if not waivers:
        return  # LIC-030 reports a missing waiver
    where, waiver = _latest(waivers)
    if waiver.dated != priv.granted_on:
        yield finding(
            "LIC-032",
            f"{_waiver_text(waiver)} is not dated {priv.granted_on}, the grant date of the "
            "current privileges (the waiver was not updated at renewal)",
            where,
        )


def _pa_failures(pa: PaQualification | None, days: list[dt.date]) -> list[str]:
    """The §1b(6)(c) criteria that fail on any of ``days``."""
    if pa is None:
        return ["the PA qualifications (§1b(6)(c)) are not recorded"]
    failures = []
    accreditor, completed = pa.program_accreditor or "", pa.program_completed_on
    if _LEGACY_PA.search(accreditor) and not _ARC_PA.search(accreditor):
        if completed is None or completed >= PA_LEGACY_ACCREDITATION_BEFORE:
            failures.append(
                f"(1) the program accredited by {accreditor} was completed "
                f"{completed or 'on an unrecorded date'}; CAHEA or CAAHEP counts only "
                f"before {PA_LEGACY_ACCREDITATION_BEFORE.year}"
            )
    elif not _ARC_PA.search(accreditor):
        failures.append(
            f"(1) the program accreditor ({accreditor or 'not recorded'}) is not ARC-PA "
            "(or CAHEA or CAAHEP before 2001)"
        )
    if pa.pance_passed is not True:
        failures.append("(2) passing the PANCE (NCCPA) is not recorded")
    lapsed = [d for d in days if not dates.current_on(d, None, pa.nccpa_expires_on)]
    if pa.nccpa_expires_on is None:
        failures.append("(3) the NCCPA certification expiry is not recorded")
    elif lapsed:
        failures.append(
            f"(3) the NCCPA certification expires {pa.nccpa_expires_on}, before {lapsed[0]}"
        )
    return failures


def _apn_failures(ctx: Context, apn: ApnQualification | None, days: list[dt.date]) -> list[str]:
    """The §1b(7)(c) criteria that fail on any of ``days``."""
    if apn is None:
        return ["the APN qualifications (§1b(7)(c)) are not recorded"]
    failures = []
    # (1) an RN and/or APN license: the RN license counts here even though it does not
    # authorize advanced practice.
    unlicensed = [
        d
        for d in days
        if not any(
            c.kind is CredentialKind.LICENSE
            and c.issuer_type in US_JURISDICTIONS
            and _unrestricted(c)
            and _in_force(ctx, c, d)
            for c in ctx.credentials
        )
    ]
    if apn.license_ok is not True or unlicensed:
        day = f" on {unlicensed[0]}" if unlicensed else ""
        failures.append(
            f"(1) no current, active, valid, unrestricted RN or APN license is shown{day}"
        )
    if not (apn.program or "").strip():
        failures.append("(2) the accredited CNP, CNM, CRNA or CNS program is not recorded")
    degree = apn.degree_level or ""
    if not _MASTERS_OR_ABOVE.search(degree):
        if apn.completed_on is None:
            failures.append(
                f"(3) the program completion date is not recorded and the degree "
                f"({degree or 'not recorded'}) is below the master's level"
            )
        elif apn.completed_on > APN_MASTERS_REQUIRED_AFTER:
            failures.append(
                f"(3) the program was completed {apn.completed_on}, after "
                f"{APN_MASTERS_REQUIRED_AFTER}, without a master's degree or higher "
                f"({degree or 'degree not recorded'})"
            )
    if apn.exam_passed is not True:
        failures.append("(4) passing the national certifying examination is not recorded")
    if apn.ce_ok is not True:
        failures.append("(5) continuing education meeting the certifier's requirement is not shown")
    lapsed = [d for d in days if not dates.current_on(d, None, apn.cert_expires_on)]
    if apn.cert_expires_on is None:
        failures.append("(6) the national certification expiry is not recorded")
    elif lapsed:
        failures.append(
            f"(6) the national certification expires {apn.cert_expires_on}, before {lapsed[0]}"
        )
    return failures


@rule("LIC-033", "LIC-034")
def pa_apn_criteria(ctx: Context) -> Iterator[Finding]:
    """§1b(6)(c), §1b(7)(c): the waiver criteria, when the waiver is relied on."""
    found = _pa_or_apn(ctx)
    record = ctx.record
    if found is None or record is None:
        return
    discipline, kind = found
    waivers = _waivers(ctx, kind)
    days = _days_without_own_license(ctx)
    if not waivers or not days:
        return  # no waiver is LIC-030; with their own license the waiver is not relied on
    if discipline is Discipline.PA:
        code, where, failures = "LIC-033", f"{RECORD}/pa", _pa_failures(record.pa, days)
    else:
        code, where, failures = "LIC-034", f"{RECORD}/apn", _apn_failures(ctx, record.apn, days)
    if failures:
        yield finding(
            code,
            f"the {_name(discipline)} waiver is relied on (no unrestricted license of their "
            f"own on {_when(ctx, days[0])}) but a criterion fails: {'; '.join(failures)}",
            where,
        )


@rule("LIC-035")
def npsc_waiver(ctx: Context) -> Iterator[Finding]:
    """§1b(6)(b), §1b(7)(b): the waiver does not apply to non-personal services contractors."""
    found = _pa_or_apn(ctx)
    provider = ctx.provider
    if found is None or provider is None or provider.component is not Component.NPSC_CONTRACTOR:
        return
    discipline, kind = found
    waivers = _waivers(ctx, kind)
    days = _days_without_own_license(ctx)
    if waivers and days:
        where, waiver = _latest(waivers)
        yield finding(
            "LIC-035",
            f"the non-personal services contractor {_name(discipline)} relies on "
            f"{_waiver_text(waiver)} (no unrestricted license of their own on "
            f"{_when(ctx, days[0])}); the waiver does not apply to them and they must meet "
            "the licensing rules of the state where the MTF is",
            where,
        )


@rule("LIC-036")
def pa_apn_waiver_at_renewal(ctx: Context) -> Iterator[Finding]:
    """§1b(6)(a), §1b(7)(a): renew only when the criteria are met; denial ends the waiver."""
    found = _pa_or_apn(ctx)
    record = ctx.record
    if found is None or record is None:
        return
    discipline, kind = found
    waivers = _waivers(ctx, kind)
    if not waivers:
        return
    events = ctx.events
    renewals = [
        (i, e) for i, e in enumerate(events, start=1) if e.type is PrivilegeEventType.RENEWAL
    ]
    block = record.pa if discipline is Discipline.PA else record.apn
    if renewals and block is not None:
        # Only the latest renewal: the record holds today's qualifications, not past ones.
        index, renewal = max(renewals, key=lambda ie: ie[1].on)
        on = [renewal.on]
        failures = (
            _pa_failures(record.pa, on)
            if discipline is Discipline.PA
            else _apn_failures(ctx, record.apn, on)
        )
        if failures:
            yield finding(
                "LIC-036",
                f"privileges were renewed on {renewal.on} while a {_name(discipline)} waiver "
                f"criterion was unmet: {'; '.join(failures)}",
                f"{RECORD}/privilege_events/event[{index}]",
            )
    for event in events:
        if event.type is not PrivilegeEventType.DENIAL:
            continue
        for where, waiver in waivers:
            granted_before = waiver.dated is None or waiver.dated <= event.on
            if granted_before and _waiver_in_force(waiver, ctx.as_of):
                yield finding(
                    "LIC-036",
                    f"privileges were not approved on {event.on}, but {_waiver_text(waiver)} "
                    f"is still shown as active on {ctx.as_of} (it lapses, and adverse-action "
                    "procedures must start)",
                    where,
                )


@rule("LIC-037")
def apn_renewal_review(ctx: Context) -> Iterator[Finding]:
    """§1b(7)(a): at renewal the review of the APN waiver criteria is documented in CCQAS."""
    found = _pa_or_apn(ctx)
    record = ctx.record
    if found is None or record is None or found[0] is not Discipline.APN:
        return
    if not _waivers(ctx, WaiverKind.APN):
        return
    priv = ctx.privileges
    renewed = any(e.type is PrivilegeEventType.RENEWAL for e in ctx.events) or (
        priv is not None and priv.prev_action_on is not None
    )
    apn = record.apn
    if renewed and (apn is None or apn.renewal_review_in_ccqas is not True):
        granted = f" (granted {priv.granted_on})" if priv is not None and priv.granted_on else ""
        yield finding(
            "LIC-037",
            f"the APN's privileges were renewed{granted} but the review of the APN waiver "
            "criteria is not documented in CCQAS",
            f"{RECORD}/apn" if apn is not None else _privileges(ctx)[1],
        )
