"""Helpers the LIC rule modules share: license currency, restrictions and waivers.

Used by ``licensure`` (RULES.md §7.1), ``restricted_waivers`` (§7.2) and
``pa_apn_waivers`` (§7.3).  A license must stay current through the assignment, so
currency is tested on the as-of date and on the last day of the window (D2, D7).
Waivers exist only in a credential record: without one there are none.
"""

from __future__ import annotations

import datetime as dt

from ictb import dates
from ictb.model import (
    Credential,
    CredentialKind,
    CredentialStatus,
    Discipline,
    IssuerType,
    Restriction,
    Waiver,
    WaiverKind,
)
from ictb.rules import Context
from ictb.rules._record import RECORD
from ictb.rules.validity import valid_confirmation

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

_RESTRICTION_TEXT = {
    Restriction.FEDERAL_ONLY: "practice in federal facilities only",
    Restriction.CONFINED: "practice within confined limits",
    Restriction.MILITARY_EXEMPT: "military-exemption category",
    Restriction.ADMIN_FINANCIAL: "administrative or financial limit",
    Restriction.SUPERVISION: "practice under supervision",
    Restriction.COMPETENCY: "clinical-competency limit",
}

# The waiver that may replace a PA's or APN's own license (§1b(6)-(7), RULES.md §7.3).
_WAIVER_KIND = {Discipline.PA: WaiverKind.PA, Discipline.APN: WaiverKind.APN}

_SHORT_NAMES = {
    Discipline.RN: "RN",
    Discipline.LPN: "LPN/LVN",
    Discipline.PA: "PA",
    Discipline.APN: "APN",
    Discipline.SUD_COUNSELOR: "substance-use-disorder counselor",
}


def _name(discipline: Discipline) -> str:
    return _SHORT_NAMES.get(discipline, discipline.value.replace("_", " "))


def _days(ctx: Context) -> tuple[dt.date, ...]:
    """D7: a license must be current on the as-of date and on the window's last day."""
    return tuple(sorted({ctx.as_of, ctx.window_last_day()}))


def _when(ctx: Context, day: dt.date) -> str:
    what = "the as-of date" if day == ctx.as_of else "the last day of the assignment"
    return f"{day} ({what})"


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
