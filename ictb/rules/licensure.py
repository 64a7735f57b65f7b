"""Licensure (RULES.md §7.1-§7.3: LIC-001..009, LIC-020..023, LIC-030..037).

DoDM 6025.13 Encl. 4 §1: a listed provider needs a current, valid, unrestricted license
from a US jurisdiction (§1a, §1b(1)); a provider whose only licenses are restricted needs
a Service SG waiver (§1b(2)-(5)); PAs and APNs may practise under the ASD(HA) waiver
instead of their own license (§1b(6)-(7)).

A license must stay current through the assignment, so currency is tested on the as-of
date and on the last day of the window (D2, D7).  Waivers, the PA and APN blocks, the
formal plan of supervision and privilege events exist only in a credential record: rules
that need them stay silent without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import (
    LICENSED_DISCIPLINES,
    ApnQualification,
    Component,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    Discipline,
    IssuerType,
    PaQualification,
    PrivilegeEventType,
    Restriction,
    Waiver,
    WaiverKind,
)
from ictb.rules import Context, rule
from ictb.rules.validity import valid_confirmation

RECORD = "/credential_record"
BRIEF = "/ictb/brief"

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

# Encl. 4 §1b(1); Gloss. "license": a State, DC, or a Commonwealth, territory or
# possession of the United States.
US_JURISDICTIONS = frozenset(
    {IssuerType.STATE, IssuerType.DC, IssuerType.TERRITORY, IssuerType.POSSESSION}
)

# Gloss. "license": a current license is active, not revoked, suspended or lapsed.
_CURRENT_STATUSES = (None, CredentialStatus.ACTIVE)

# Limits that touch clinical competence: never waivable (§1b(2)), and when a board
# imposes them they are "other relevant information" (§5f(10); LIC-004).
CLINICAL_LIMITS = frozenset({Restriction.SUPERVISION, Restriction.COMPETENCY})

# A restriction tied to a military fee exemption is removed by paying the standard
# license fee (§1b(1), §1b(3)(a)).
FEE_REMOVABLE = frozenset({Restriction.MILITARY_EXEMPT})

_RESTRICTION_TEXT = {
    Restriction.FEDERAL_ONLY: "practice in federal facilities only",
    Restriction.CONFINED: "practice within confined limits",
    Restriction.MILITARY_EXEMPT: "military-exemption category",
    Restriction.ADMIN_FINANCIAL: "administrative or financial limit",
    Restriction.SUPERVISION: "practice under supervision",
    Restriction.COMPETENCY: "clinical-competency limit",
}

# Encl. 4 §1a(3) lists PAs and APNs, but §7.3 (their waivers) judges them, not LIC-001/002.
_WAIVER_KIND = {Discipline.PA: WaiverKind.PA, Discipline.APN: WaiverKind.APN}
_LICENSE_REQUIRED = LICENSED_DISCIPLINES - _WAIVER_KIND.keys()

# Encl. 4 §1b(4)(b): the restricted-license waiver is granted by the Service SG (the Navy
# SG is also Chief, Bureau of Medicine and Surgery).
_SURGEON_GENERAL = re.compile(
    r"surgeon general|(?<![a-z])sg(?![a-z])|bureau of medicine and surgery|bumed", re.IGNORECASE
)

# Encl. 4 §1b(3)(a)-(b): paying the "standard license (renewal) fee" and a position that
# is "entirely administrative" are not unusual circumstances.  ``basis`` is free text, so
# only these phrasings are recognised.
_UNACCEPTABLE_BASIS = re.compile(
    r"standard (?:[\w-]+ ){0,3}fee|administrative[- ]only|entirely administrative"
    r"|administrative (?:position|duties|role|billet)"
    r"|not involv\w* (?:the provision of )?patient care",
    re.IGNORECASE,
)

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

_SHORT_NAMES = {
    Discipline.RN: "RN",
    Discipline.LPN: "LPN/LVN",
    Discipline.PA: "PA",
    Discipline.APN: "APN",
    Discipline.SUD_COUNSELOR: "substance-use-disorder counselor",
}


# ---------------------------------------------------------------- shared helpers


def _name(discipline: Discipline) -> str:
    return _SHORT_NAMES.get(discipline, discipline.value.replace("_", " "))


def _days(ctx: Context) -> tuple[dt.date, ...]:
    """D7: a license must be current on the as-of date and on the window's last day."""
    return tuple(sorted({ctx.as_of, ctx.window_last_day()}))


def _when(ctx: Context, day: dt.date) -> str:
    what = "the as-of date" if day == ctx.as_of else "the last day of the assignment"
    return f"{day} ({what})"


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


def _in_force(ctx: Context, credential: Credential, day: dt.date) -> bool:
    """D2 with the Glossary: active (or no status given) and current on ``day``.

    A credential that expired in the interim counts as current through the new expiry of
    a valid renewal confirmation (D2, Encl. 4 §5e), so these rules agree with ICTB-028.
    """
    expires = credential.expires_on
    if expires is not None and day > expires:
        confirmed = valid_confirmation(credential, ctx, day)
        if confirmed is not None and confirmed.new_expires_on is not None:
            return dates.current_on(day, credential.effective_on, confirmed.new_expires_on)
    return credential.status in _CURRENT_STATUSES and dates.current_on(
        day, credential.effective_on, expires
    )


def _is_license(credential: Credential) -> bool:
    """A license that authorizes practice in the provider's discipline (Gloss. "license")."""
    return credential.kind is CredentialKind.LICENSE and credential.authorizing is not False


def _unrestricted(credential: Credential) -> bool:
    return credential.restriction in (None, Restriction.NONE)


def _us_licenses(ctx: Context, day: dt.date) -> list[Credential]:
    """Current licenses from a US jurisdiction on ``day``, restricted or not."""
    return [
        c
        for c in ctx.credentials
        if _is_license(c) and c.issuer_type in US_JURISDICTIONS and _in_force(ctx, c, day)
    ]


def _has_unrestricted(ctx: Context, day: dt.date) -> bool:
    return any(_unrestricted(c) for c in _us_licenses(ctx, day))


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


def _restriction(credential: Credential) -> str:
    value = credential.restriction
    return _RESTRICTION_TEXT.get(value, "unrestricted") if value is not None else "unrestricted"


def _dated(credential: Credential) -> str:
    if credential.expires_on is None:
        return "no expiry date"
    return f"expires {credential.expires_on}"


def _waivers(ctx: Context, kind: WaiverKind) -> list[tuple[str, Waiver]]:
    """The record's waivers of ``kind``, with their paths (none without a record)."""
    record = ctx.record
    if record is None:
        return []
    return [
        (f"{RECORD}/waivers/waiver[{i}]", w)
        for i, w in enumerate(record.waivers, start=1)
        if w.kind is kind
    ]


def _waiver_in_force(waiver: Waiver, day: dt.date) -> bool:
    return dates.current_on(day, waiver.dated, waiver.expires_on)


def _waiver_text(waiver: Waiver) -> str:
    kind = {WaiverKind.RESTRICTED_LICENSE: "restricted-license"}.get(
        waiver.kind, waiver.kind.value.upper()
    )
    return (
        f"the {kind} waiver dated {waiver.dated or '(no date)'}"
        f" expiring {waiver.expires_on or '(no expiry)'}"
    )


def _written_plan(record: CredentialRecord) -> bool:
    plan = record.formal_supervision_plan
    return plan is not None and plan.written is True


def _privileges_location(ctx: Context) -> str:
    if ctx.record is not None and ctx.record.privileges is not None:
        return f"{RECORD}/privileges"
    return f"{BRIEF}/privileges"


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


# ---------------------------------------------------------------- §7.2 restricted-license waivers


def _relied_restricted_waivers(ctx: Context) -> list[tuple[str, Waiver, dt.date]]:
    """Restricted-license waivers in force on a day with no unrestricted US license.

    Each comes with its path and the first such day.
    """
    out: dict[str, tuple[str, Waiver, dt.date]] = {}
    for day in _days(ctx):
        if _has_unrestricted(ctx, day):
            continue
        for where, waiver in _waivers(ctx, WaiverKind.RESTRICTED_LICENSE):
            if _waiver_in_force(waiver, day) and where not in out:
                out[where] = (where, waiver, day)
    return list(out.values())


@rule("LIC-020")
def waiver_authority(ctx: Context) -> Iterator[Finding]:
    """§1b(4)(a)-(b): granted by the Service SG, in CCQAS, for a requirement on the list."""
    for where, waiver, day in _relied_restricted_waivers(ctx):
        problems = []
        if waiver.in_ccqas is not True:
            problems.append("it is not recorded in CCQAS")
        if not _SURGEON_GENERAL.search(waiver.granted_by or ""):
            problems.append(
                f"it was not granted by the Service SG (granted by "
                f"{waiver.granted_by or 'an unrecorded authority'})"
            )
        if waiver.state_on_asdha_list is not True:
            problems.append(
                "the state or requirement is not on the ASD(HA) list of waivable "
                "administrative or financial requirements"
            )
        if problems:
            yield finding(
                "LIC-020",
                f"{_waiver_text(waiver)} is relied on from {_when(ctx, day)}, but "
                f"{'; '.join(problems)}",
                where,
            )


@rule("LIC-021")
def waiver_period(ctx: Context) -> Iterator[Finding]:
    """§1b(4)(b): the waiver ends with the licensure period; a renewal needs a new waiver."""
    waivers = _waivers(ctx, WaiverKind.RESTRICTED_LICENSE)
    if not waivers:
        return  # no waiver at all is LIC-002
    for day in _days(ctx):
        if _has_unrestricted(ctx, day):
            continue
        restricted = _us_licenses(ctx, day)
        in_force = [(p, w) for p, w in waivers if _waiver_in_force(w, day)]
        ends = {c.expires_on for c in restricted}
        if any(w.expires_on is not None and w.expires_on in ends for _, w in in_force):
            continue
        licenses = "; ".join(f"{c.label()}, {_dated(c)}" for c in restricted)
        if in_force:
            where, waiver = in_force[0]
            yield finding(
                "LIC-021",
                f"{_waiver_text(waiver)} does not end with the licensure period it waives "
                f"on {_when(ctx, day)} ({licenses or 'no current restricted license'})",
                where,
            )
            return
        lapsed = [(p, w) for p, w in waivers if w.expires_on is not None and w.expires_on < day]
        if lapsed and restricted:
            where, waiver = max(lapsed, key=lambda pw: pw[1].expires_on or dt.date.min)
            yield finding(
                "LIC-021",
                f"the license was renewed or its period ended after {_waiver_text(waiver)}, "
                f"and there is no new waiver on {_when(ctx, day)} ({licenses})",
                where,
            )
            return


@rule("LIC-022")
def waiver_basis(ctx: Context) -> Iterator[Finding]:
    """§1b(3)(a)-(b): a fee or an administrative position is not an unusual circumstance."""
    provider = ctx.provider
    for where, waiver, day in _relied_restricted_waivers(ctx):
        problems = []
        basis = waiver.basis or ""
        if _UNACCEPTABLE_BASIS.search(basis):
            problems.append(f"it rests on {basis!r}")
        if provider is not None and provider.discipline is Discipline.PHYSICIAN:
            removable = [c for c in _us_licenses(ctx, day) if c.restriction in FEE_REMOVABLE]
            problems.extend(
                f"the physician holds {c.label()} ({_restriction(c)}), whose restriction "
                "paying the standard license fee would remove"
                for c in removable
            )
        if problems:
            yield finding(
                "LIC-022",
                f"{_waiver_text(waiver)} is not justified: {'; '.join(problems)}",
                where,
            )


@rule("LIC-023")
def waiver_category(ctx: Context) -> Iterator[Finding]:
    """§1b(2): only purely administrative or financial limits may be waived."""
    for where, waiver, day in _relied_restricted_waivers(ctx):
        restricted = _us_licenses(ctx, day)
        # the license the waiver covers is the one whose period it matches (LIC-021)
        covered = [c for c in restricted if c.expires_on == waiver.expires_on] or restricted
        for credential in covered:
            if credential.restriction in CLINICAL_LIMITS:
                yield finding(
                    "LIC-023",
                    f"{_waiver_text(waiver)} waives {credential.label()}, whose category "
                    f"limit ({_restriction(credential)}) touches clinical competence and is "
                    "not purely administrative or financial",
                    where,
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
            f"{RECORD}/apn" if apn is not None else _privileges_location(ctx),
        )
