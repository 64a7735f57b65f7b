"""Foreign humanitarian missions: the SMDR's review of arriving providers (HUM-001..031).

DoDM 6025.13 Encl. 4 §8; RULES.md §8.  Provider rules are tested over the provider's
mission window ``[report_on, depart_on]`` (D7).  Roster-wide rules (the NGOs, copies
released to the host nation) take a :class:`MissionContext`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from ictb import dates
from ictb.findings import Finding, finding
from ictb.mission import (
    SERVICE_MEMBERS,
    ArrivingProvider,
    MissionRoster,
    NgoRole,
    ReleasedKind,
)
from ictb.model import Brief, Component
from ictb.rules import code_range, rule
from ictb.rules._record import normalize_category

PROVIDER_CODES = (
    code_range("HUM", 1, 7) | {"HUM-010", "HUM-014"} | code_range("HUM", 20, 23) | {"PRIV-010"}
)
MISSION_CODES = code_range("HUM", 11, 13) | {"HUM-030", "HUM-031"}
# Encl. 4 §8a: an ICTB that is not "complete" and valid for the mission window.
BLOCKING_ICTB_CODES = code_range("ICTB", 1, 13) | {
    "ICTB-020",
    "ICTB-021",
    "ICTB-026",
    "ICTB-030",
    "ICTB-031",
    "ICTB-032",
    "ICTB-040",
    "ICTB-043",
}


@dataclass(frozen=True)
class IctbReview:
    """What verifying and checking a provider's signed ICTB showed."""

    brief: Brief | None  # the signed content; None when missing or not verified
    findings: tuple[Finding, ...] = ()
    problem: str | None = None  # why there is no usable ICTB


@dataclass(frozen=True)
class ProviderContext:
    roster: MissionRoster
    provider: ArrivingProvider
    as_of: dt.date
    ictb: IctbReview | None = None

    @property
    def where(self) -> str:
        return f"/mission_roster/provider[{self.provider.id}]"

    @property
    def verified_by_smdr(self) -> bool:
        """Members of a cooperating-party NGO are outside SMDR verification (§8e)."""
        ngo = self.roster.ngo(self.provider.ngo)
        return not (ngo is not None and ngo.role is NgoRole.COOPERATING_PARTY)


@dataclass(frozen=True)
class MissionContext:
    roster: MissionRoster
    as_of: dt.date
    notes: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- authorization (§8)


@rule("HUM-001", on=ProviderContext)
def authorization_in_time(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    if not ctx.verified_by_smdr:
        return
    auth = p.authorization
    complete = auth is not None and auth.by and auth.on and auth.specialty
    if complete and auth is not None and auth.on is not None and auth.on <= p.first_day:
        return
    if complete and auth is not None and auth.on is not None:
        yield finding(
            "HUM-001",
            f"the SMDR's authorization of {auth.on} comes after the first clinical day "
            f"{p.first_day}",
            f"{ctx.where}/authorization",
        )
    elif ctx.as_of >= p.first_day:
        yield finding(
            "HUM-001",
            f"no complete SMDR authorization (SMDR, date, specialty) although clinical "
            f"duties began on {p.first_day}",
            f"{ctx.where}/authorization",
        )


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


@rule("HUM-002", "PRIV-010", on=ProviderContext)
def authorization_scope(ctx: ProviderContext) -> Iterator[Finding]:
    auth, brief = ctx.provider.authorization, ctx.ictb.brief if ctx.ictb else None
    if auth is None or brief is None or brief.provider is None:
        return
    specialty = brief.provider.specialty
    if auth.specialty and specialty and not _same(auth.specialty, specialty):
        yield finding(
            "HUM-002",
            f"the SMDR authorized {auth.specialty!r}, but the ICTB's clinical specialty is "
            f"{specialty!r} (Interp. A13)",
            f"{ctx.where}/authorization/specialty",
        )
    category = normalize_category(brief.privileges.category) if brief.privileges else None
    if auth.independent and category == "supervised":
        for code in ("HUM-002", "PRIV-010"):
            yield finding(
                code,
                "the SMDR authorization grants independent practice to a provider whose "
                "privileges are supervised",
                f"{ctx.where}/authorization/independent",
            )


# ---------------------------------------------------------------- DoD providers (§8a)


@rule("HUM-003", "HUM-004", "HUM-006", on=ProviderContext)
def readiness_certification(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    if not p.is_dod:
        return
    mrc = p.mrc
    if mrc is None or (mrc.issued_on is None and mrc.expires_on is None):
        if p.component in SERVICE_MEMBERS and p.deploy_program:
            yield finding(
                "HUM-004",
                f"no medical readiness certification needed: deployed through the "
                f"{p.deploy_program}",
                f"{ctx.where}/deploy_program",
            )
        else:
            civilian = (
                ""
                if p.component in SERVICE_MEMBERS
                else " (the deployment-program exemption is for service members only, Interp. A14)"
            )
            yield finding(
                "HUM-003",
                f"no medical readiness certification{civilian}",
                f"{ctx.where}/mrc",
            )
        return
    if mrc.expires_on is None:
        yield finding(
            "HUM-006",
            "the medical readiness certification has no expiry date, so whether it is "
            "current cannot be decided",
            f"{ctx.where}/mrc",
        )
        return
    if not dates.current_on(p.report_on, mrc.issued_on, mrc.expires_on):
        yield finding(
            "HUM-003",
            f"the medical readiness certification ({mrc.issued_on or '?'} to {mrc.expires_on}) "
            f"is not current on the report date {p.report_on}",
            f"{ctx.where}/mrc",
        )


@rule("HUM-005", on=ProviderContext)
def complete_ictb(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    if not p.is_dod:
        return
    review = ctx.ictb
    if review is None or review.problem:
        why = review.problem if review and review.problem else "no ICTB is named in the roster"
        yield finding("HUM-005", f"no complete, valid ICTB: {why}", f"{ctx.where}/ictb")
        return
    blocking = sorted(
        {
            f.code
            for f in review.findings
            if f.code in BLOCKING_ICTB_CODES and f.severity.value == "error"
        }
    )
    if blocking:
        yield finding(
            "HUM-005",
            f"the ICTB is not complete and valid for {p.report_on}..{p.depart_on}: "
            f"{', '.join(blocking)}",
            f"{ctx.where}/ictb",
        )


@rule("HUM-007", on=ProviderContext)
def other_providers(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    # A foreign national licensed in a US jurisdiction is not a foreign provider (HUM-023)
    # and is judged as DoD, NGO or other: here, other.
    if not p.is_dod and p.component is not Component.NGO_MEMBER and not p.is_foreign:
        yield finding(
            "HUM-007",
            f"a {p.component.value.replace('_', ' ')} provider is neither DoD, NGO nor foreign: "
            "no documentation is prescribed; review credentials equal to an ICTB",
            f"{ctx.where}/component",
        )


# ---------------------------------------------------------------- NGOs (§8d-e, §8g)


@rule("HUM-010", "HUM-014", on=ProviderContext)
def ngo_member(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    ngo = ctx.roster.ngo(p.ngo)
    if ngo is None:
        if p.ngo or p.component is Component.NGO_MEMBER:
            # An unknown NGO (or none) cannot have documented its member (§8d).
            named = f"the roster names no NGO {p.ngo!r}" if p.ngo else "no NGO is named"
            yield finding(
                "HUM-010",
                f"an NGO member, but {named}: no Medical Director documentation can be relied on",
                f"{ctx.where}/ngo",
            )
        return
    if ngo.role is NgoRole.COOPERATING_PARTY:
        yield finding(
            "HUM-014",
            f"a member of {ngo.name}, a cooperating party: outside SMDR verification (its "
            "Medical Director is responsible)",
            ctx.where,
        )
    elif ctx.provider.ngo_docs_ok is not True:
        yield finding(
            "HUM-010",
            f"{ngo.name}'s Medical Director has not documented this member's education, "
            "training, licensing and current clinical competence",
            f"{ctx.where}/ngo_docs_ok",
        )


@rule("HUM-011", "HUM-012", "HUM-013", on=MissionContext)
def ngo_roles(ctx: MissionContext) -> Iterator[Finding]:
    for ngo in ctx.roster.ngos:
        where = f"/mission_roster/ngo[{ngo.id}]"
        if ngo.role is NgoRole.COOPERATING_PARTY:
            if ngo.in_dod_facility_or_platform:
                yield finding(
                    "HUM-011",
                    f"{ngo.name} gives care in or on a DoD facility or platform, so it must be a "
                    "participant, not a cooperating party",
                    where,
                )
            if not ngo.md_assurance:
                yield finding(
                    "HUM-012",
                    f"no assurance from {ngo.name}'s Medical Director accepting responsibility "
                    "for verifying and monitoring its members",
                    where,
                )
        if not ngo.mou_role_stated:
            yield finding(
                "HUM-013",
                f"the DoD-NGO MOU does not state {ngo.name}'s role (participant or cooperating "
                "party)",
                where,
            )


# ---------------------------------------------------------------- foreign providers (§8f)


@rule("HUM-020", "HUM-021", "HUM-022", "HUM-023", on=ProviderContext)
def foreign_providers(ctx: ProviderContext) -> Iterator[Finding]:
    p = ctx.provider
    if p.component is Component.FOREIGN and p.us_license:
        yield finding(
            "HUM-023",
            "licensed in a US jurisdiction, so not a foreign provider whatever the nationality",
            ctx.where,
        )
        return
    if not p.is_foreign:
        return
    fp = p.foreign
    if fp is None or not fp.country_license:
        yield finding(
            "HUM-020",
            f"no license or certification from an official agency of "
            f"{(fp.country if fp else None) or 'the provider’s country'}",
            f"{ctx.where}/foreign",
        )
    docs = fp.docs if fp else None
    missing = [
        name
        for name in ("training", "license", "education", "specialty", "competencies")
        if not (docs is not None and getattr(docs, name))
    ]
    if missing:
        yield finding(
            "HUM-021",
            f"the request lacks supporting documentation of {', '.join(missing)} (to the "
            "extent practicable)",
            f"{ctx.where}/foreign/docs",
        )
    duties = fp.duties_start if fp else None
    if duties is not None and (fp is None or fp.observed is None or fp.observed.end >= duties):
        yield finding(
            "HUM-022",
            f"clinical duties start {duties} without an observed practice period completed "
            "before them",
            f"{ctx.where}/foreign/observed",
        )


# ---------------------------------------------------------------- host-nation copies (§8b-c)


@rule("HUM-030", "HUM-031", on=MissionContext)
def host_nation_copies(ctx: MissionContext) -> Iterator[Finding]:
    release = ctx.roster.host_nation_release
    if release is None:
        return
    for index, doc in enumerate(release.documents, start=1):
        where = f"/mission_roster/host_nation_release/document[{index}]"
        if doc.kind in (ReleasedKind.DIPLOMA, ReleasedKind.STATE_LICENSE):
            if not release.required_by_hn or not release.return_or_protect_requested:
                lacking = (
                    "no recorded host-nation requirement"
                    if not release.required_by_hn
                    else "no request to return or protect them"
                )
                yield finding(
                    "HUM-030",
                    f"a {doc.kind.value.replace('_', ' ')} of {doc.provider} was released with "
                    f"{lacking}",
                    where,
                )
        elif doc.redacted is not True:
            yield finding(
                "HUM-031",
                f"the ICTB of {doc.provider} released or queued for the host nation is not "
                "redacted (Encl. 4 §8c)",
                where,
            )
