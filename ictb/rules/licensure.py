"""Licensure: the license requirement (RULES.md §7.1: LIC-001..009).

DoDM 6025.13 Encl. 4 §1a-b: a listed provider needs a current, valid, unrestricted
license from a US jurisdiction (§1a, §1b(1)), or an applicable waiver, or works under a
written plan of supervision (§1a(5)).  The waivers themselves are judged in
``restricted_waivers`` (§7.2, §1b(2)-(5)) and ``pa_apn_waivers`` (§7.3, §1b(6)-(7));
the dated policy facts of Encl. 4 §1 are all kept here.

A license must stay current through the assignment, so currency is tested on the as-of
date and on the last day of the window (D2, D7).  Waivers, the formal plan of
supervision and privilege events exist only in a credential record: rules that need
them stay silent without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ictb.findings import Finding, finding
from ictb.model import (
    LICENSED_DISCIPLINES,
    Component,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    Discipline,
    IssuerType,
    WaiverKind,
)
from ictb.rules import Context, rule
from ictb.rules._license import (
    _CURRENT_STATUSES,
    _WAIVER_KIND,
    CLINICAL_LIMITS,
    US_JURISDICTIONS,
    _dated,
    _days,
    _in_force,
    _is_license,
    _name,
    _restriction,
    _unrestricted,
    _us_licenses,
    _waiver_in_force,
    _waivers,
    _when,
)
from ictb.rules._record import BRIEF, RECORD

# ---------------------------------------------------------------- dated policy facts

# Encl. 4 §1a(2): occupational therapists had 2 years from the manual's publication
# (29 Oct 2013) to obtain a license.  D6: the 2 years have passed on the anniversary,
# so from this day an OT needs a license like every other listed discipline.
OT_GRACE_ENDED_ON = dt.date(2015, 10, 29)

# Encl. 4 §1b(6)(c)1: CAHEA or CAAHEP accreditation counts only for programs completed
# "prior to 2001" (D8: strictly before this day).
PA_LEGACY_ACCREDITATION_BEFORE = dt.date(2001, 1, 1)

# Encl. 4 §1b(7)(c)2: APNs "completing their respective programs after December 31,
# 2001" must be prepared at the master's level or above (D8: strictly after this day).
APN_MASTERS_REQUIRED_AFTER = dt.date(2001, 12, 31)

# ---------------------------------------------------------------- vocabulary

# Encl. 4 §1a(3) lists PAs and APNs, but §7.3 (their waivers) judges them, not LIC-001/002.
_LICENSE_REQUIRED = LICENSED_DISCIPLINES - _WAIVER_KIND.keys()

# Encl. 4 §1a(5): "a licensed person of the same or a similar discipline".  Same is
# always accepted; these are the similar ones (the supervising or collaborating
# physician of §1b(6)-(7), nursing, dental, behavioral health).
_BEHAVIORAL = frozenset(
    {
        Discipline.CLINICAL_PSYCHOLOGIST,
        Discipline.SOCIAL_WORKER,
        Discipline.MENTAL_HEALTH_COUNSELOR,
        Discipline.PROFESSIONAL_COUNSELOR,
        Discipline.MARRIAGE_FAMILY_THERAPIST,
        Discipline.SUD_COUNSELOR,
    }
)
SIMILAR_SUPERVISORS: dict[Discipline, frozenset[Discipline]] = {
    Discipline.PA: frozenset({Discipline.PHYSICIAN}),
    Discipline.APN: frozenset({Discipline.PHYSICIAN}),
    Discipline.RN: frozenset({Discipline.APN}),
    Discipline.LPN: frozenset({Discipline.RN, Discipline.APN}),
    Discipline.DENTAL_HYGIENIST: frozenset({Discipline.DENTIST}),
    **{d: _BEHAVIORAL for d in _BEHAVIORAL},
}


# ---------------------------------------------------------------- helpers


def _base(ctx: Context) -> str:
    return RECORD if ctx.record is not None else BRIEF


def _located(ctx: Context) -> list[tuple[Credential, str]]:
    """``ctx.credentials``, each with the path it came from."""
    held = ctx.credentials
    if ctx.record is not None:
        paths = [f"{RECORD}/credentials/credential[{i}]" for i in range(1, len(held) + 1)]
    else:
        brief = ctx.brief
        sections = (
            ("licensure", brief.licensure),
            ("board_certifications", brief.boards),
            ("life_support", brief.life_support),
        )
        paths = [
            f"{BRIEF}/{section}/credential[{i}]"
            for section, listing in sections
            if listing is not None
            for i in range(1, len(listing.credentials) + 1)
        ]
    return list(zip(held, paths, strict=True))


def _where(ctx: Context, credential: Credential) -> str:
    return next(path for c, path in _located(ctx) if c is credential)


def _authorizing_documents(ctx: Context, day: dt.date) -> list[Credential]:
    """Licenses and other authorizing documents in force on ``day`` (Gloss.)."""
    return [
        c
        for c in ctx.credentials
        if _in_force(ctx, c, day)
        and (
            _is_license(c)
            or (
                c.kind in (CredentialKind.REGISTRATION, CredentialKind.CERTIFICATION)
                and c.authorizing is True
            )
        )
    ]


def _lapse(credential: Credential, day: dt.date) -> str:
    """Why ``credential`` is not in force on ``day`` (D2, Gloss. "license")."""
    if credential.status is not None and credential.status not in _CURRENT_STATUSES:
        return credential.status.value
    if credential.effective_on is not None and day < credential.effective_on:
        return f"not effective until {credential.effective_on}"
    if credential.expires_on is not None and day > credential.expires_on:
        return f"expires {credential.expires_on}"
    return "current"


def _why_not(credential: Credential, day: dt.date) -> str:
    """Why a license does not meet the US license requirement on ``day``."""
    if credential.authorizing is False:
        return "does not authorize practice in the discipline"
    if credential.issuer_type is IssuerType.FOREIGN:
        return "foreign"
    if credential.issuer_type not in US_JURISDICTIONS:
        kind = credential.issuer_type.value if credential.issuer_type else "not recorded"
        return f"not from a US jurisdiction (issuer type {kind})"
    return _lapse(credential, day)


def _written_plan(record: CredentialRecord) -> bool:
    plan = record.formal_supervision_plan
    return plan is not None and plan.written is True


# ---------------------------------------------------------------- §7.1 license requirement


@rule("LIC-001")
def license_required(ctx: Context) -> Iterator[Finding]:
    """§1a, §1b(1): a current US license, else a waiver or a written plan of supervision."""
    provider, record = ctx.provider, ctx.record
    if provider is None or record is None:  # waivers and the plan are record-only
        return
    discipline = provider.discipline
    if discipline is None or discipline not in _LICENSE_REQUIRED or _written_plan(record):
        return
    restricted_waivers = [w for _, w in _waivers(ctx, WaiverKind.RESTRICTED_LICENSE)]
    for day in _days(ctx):
        if discipline is Discipline.OCCUPATIONAL_THERAPIST and day < OT_GRACE_ENDED_ON:
            continue
        if _us_licenses(ctx, day) or any(_waiver_in_force(w, day) for w in restricted_waivers):
            continue
        licenses = [c for c in ctx.credentials if c.kind is CredentialKind.LICENSE]
        held = "; ".join(f"{c.label()}: {_why_not(c, day)}" for c in licenses)
        yield finding(
            "LIC-001",
            f"the {_name(discipline)} holds no current license from a US jurisdiction on "
            f"{_when(ctx, day)} ({held or 'no license is recorded'}), and has no "
            "restricted-license waiver in force and no written plan of supervision",
            f"{RECORD}/credentials",
        )
        return


@rule("LIC-002")
def unrestricted_license(ctx: Context) -> Iterator[Finding]:
    """§1a, §1b(1): at least one current US license must be unrestricted, or waived."""
    provider = ctx.provider
    if provider is None or ctx.record is None:  # the waiver is record-only
        return
    if provider.discipline is None or provider.discipline not in _LICENSE_REQUIRED:
        return
    waivers = [w for _, w in _waivers(ctx, WaiverKind.RESTRICTED_LICENSE)]
    for day in _days(ctx):
        held = _us_licenses(ctx, day)
        if not held or any(_unrestricted(c) for c in held):
            continue  # no license at all is LIC-001
        if any(_waiver_in_force(w, day) for w in waivers):
            continue
        listed = "; ".join(f"{c.label()}: {_restriction(c)}, {_dated(c)}" for c in held)
        yield finding(
            "LIC-002",
            f"on {_when(ctx, day)} every current US license is restricted ({listed}) "
            "and no restricted-license waiver is in force",
            _where(ctx, held[0]),
        )
        return


@rule("LIC-003")
def additional_restricted_licenses(ctx: Context) -> Iterator[Finding]:
    """§1b(1): restricted (e.g. military-exemption) licenses beside an unrestricted one."""
    held = _us_licenses(ctx, ctx.as_of)
    if not any(_unrestricted(c) for c in held):
        return
    for credential, where in _located(ctx):
        if credential not in held or _unrestricted(credential):
            continue
        if credential.restriction in CLINICAL_LIMITS:
            continue  # a clinical limit is LIC-004, not an allowed extra
        yield finding(
            "LIC-003",
            f"besides an unrestricted license the provider holds {credential.label()} "
            f"({_restriction(credential)}, {_dated(credential)}); this is allowed",
            where,
        )


@rule("LIC-004")
def license_actions(ctx: Context) -> Iterator[Finding]:
    """§3c(1)(d), §5f(10): suspended, revoked or board-limited licenses need review."""
    for credential, where in _located(ctx):
        if credential.kind is not CredentialKind.LICENSE:
            continue
        problems = []
        if credential.status in (CredentialStatus.SUSPENDED, CredentialStatus.REVOKED):
            problems.append(f"is {credential.status.value}")
        if credential.restriction in CLINICAL_LIMITS:
            problems.append(f"carries a licensing-board limit ({_restriction(credential)})")
        if problems:
            yield finding(
                "LIC-004",
                f"{credential.label()} {' and '.join(problems)} ({_dated(credential)}); "
                "this is other relevant information for review even if another license "
                "meets the requirement",
                where,
            )


@rule("LIC-005")
def nurse_licensure_compact(ctx: Context) -> Iterator[Finding]:
    """§1a(1): an RN or LPN multistate (NLC) license meets the statutory requirement."""
    provider = ctx.provider
    if provider is None or provider.discipline not in (Discipline.RN, Discipline.LPN):
        return
    held = _us_licenses(ctx, ctx.as_of)
    for credential, where in _located(ctx):
        if credential.multistate is True and credential in held:
            yield finding(
                "LIC-005",
                f"{credential.label()} is a multistate Nurse Licensure Compact license "
                f"({_dated(credential)}); it meets the licensure requirement",
                where,
            )


# Encl. 4 §1a(2): dietitians register with the Commission on Dietetic Registration.
def _is_cdr(credential: Credential) -> bool:
    body = (credential.body or "").strip().casefold()
    text = f"{body} {credential.issuer or ''}".casefold()
    return body == "cdr" or "commission on dietetic registration" in text


@rule("LIC-006")
def dietitian_registration(ctx: Context) -> Iterator[Finding]:
    """§1a(2): dietitians keep a current CDR registration through the assignment."""
    provider = ctx.provider
    if provider is None or provider.discipline is not Discipline.DIETITIAN:
        return
    registrations = [
        c for c in ctx.credentials if c.kind is CredentialKind.REGISTRATION and _is_cdr(c)
    ]
    for day in _days(ctx):
        if any(_in_force(ctx, c, day) for c in registrations):
            continue
        held = "; ".join(f"{c.label()}: {_lapse(c, day)}" for c in registrations)
        yield finding(
            "LIC-006",
            "the dietitian has no current Commission on Dietetic Registration (CDR) "
            f"registration on {_when(ctx, day)} ({held or 'none is recorded'})",
            f"{_base(ctx)}/credentials",
        )
        return


@rule("LIC-007")
def sud_counselor_certification(ctx: Context) -> Iterator[Finding]:
    """§1a(2): SUD counselors "may require certification or registration"."""
    provider = ctx.provider
    if provider is None or provider.discipline is not Discipline.SUD_COUNSELOR:
        return
    # A license is the stronger form of the same permission, so it counts too.
    kinds = (CredentialKind.CERTIFICATION, CredentialKind.REGISTRATION, CredentialKind.LICENSE)
    if not any(c.kind in kinds for c in ctx.credentials):
        yield finding(
            "LIC-007",
            "the substance-use-disorder counselor has no certification or registration recorded",
            f"{_base(ctx)}/credentials",
        )


@rule("LIC-008")
def supervision_plan(ctx: Context) -> Iterator[Finding]:
    """§1a(5): without a license, only under a written plan with a licensed similar supervisor."""
    provider, record = ctx.provider, ctx.record
    if provider is None or record is None or record.formal_supervision_plan is None:
        return  # no plan at all is LIC-001 (listed disciplines) or LIC-031 (PA, APN)
    plan = record.formal_supervision_plan
    foreign_ok = provider.component is Component.FOREIGN  # Gloss. "other authorizing document"
    unlicensed_days = [
        day
        for day in _days(ctx)
        if not any(
            foreign_ok or c.issuer_type is not IssuerType.FOREIGN
            for c in _authorizing_documents(ctx, day)
        )
    ]
    if not unlicensed_days:
        return
    problems = []
    if plan.written is not True:
        problems.append("the plan is not written")
    if plan.supervisor_licensed is not True:
        problems.append("the supervisor is not shown to be licensed")
    own = provider.discipline
    theirs = (plan.supervisor_discipline or "").strip()
    if own is not None and own not in (Discipline.OTHER, Discipline.UNLICENSED):
        similar = {own.value, *(d.value for d in SIMILAR_SUPERVISORS.get(own, ()))}
        if theirs.casefold() not in similar:
            problems.append(
                f"the supervisor's discipline ({theirs or 'not recorded'}) is not the same "
                f"as or similar to the provider's ({_name(own)})"
            )
    if problems:
        yield finding(
            "LIC-008",
            f"the provider holds no license or other authorizing document on "
            f"{_when(ctx, unlicensed_days[0])} and practises under a plan of supervision, "
            f"but {'; '.join(problems)}",
            f"{RECORD}/formal_supervision_plan",
        )


@rule("LIC-009")
def foreign_only(ctx: Context) -> Iterator[Finding]:
    """§1b(1): a foreign license does not meet the US-jurisdiction requirement."""
    provider = ctx.provider
    if provider is None or provider.component is Component.FOREIGN:
        return  # a foreign provider on a humanitarian mission is judged by HUM-020 (§8f)
    waiver_kind = _WAIVER_KIND.get(provider.discipline) if provider.discipline else None
    for day in _days(ctx):
        if waiver_kind is not None:
            if ctx.record is None:
                return  # whether a PA or APN waiver replaces the license is record-only
            if any(_waiver_in_force(w, day) for _, w in _waivers(ctx, waiver_kind)):
                continue
        documents = _authorizing_documents(ctx, day)
        if documents and all(c.issuer_type is IssuerType.FOREIGN for c in documents):
            named = "; ".join(f"{c.label()}, {_dated(c)}" for c in documents)
            yield finding(
                "LIC-009",
                f"on {_when(ctx, day)} the only license or authorizing document is foreign "
                f"({named}); it does not meet the US-jurisdiction requirement",
                _where(ctx, documents[0]),
            )
            return
