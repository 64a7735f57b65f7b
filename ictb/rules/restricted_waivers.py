"""Restricted-license waivers (RULES.md §7.2: LIC-020..023).

DoDM 6025.13 Encl. 4 §1b(2)-(5): a provider whose only current licenses are restricted
needs a Service SG waiver, for a purely administrative or financial limit, ending with
the licensure period it waives.  Waivers exist only in a credential record: without one
these rules stay silent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ictb.findings import Finding, finding
from ictb.model import Discipline, Restriction, Waiver, WaiverKind
from ictb.rules import Context, rule
from ictb.rules._license import (
    CLINICAL_LIMITS,
    _dated,
    _days,
    _has_unrestricted,
    _restriction,
    _us_licenses,
    _waiver_in_force,
    _waiver_text,
    _waivers,
    _when,
)

# A restriction tied to a military fee exemption is removed by paying the standard
# license fee (§1b(1), §1b(3)(a)).
FEE_REMOVABLE = frozenset({Restriction.MILITARY_EXEMPT})

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
