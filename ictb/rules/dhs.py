"""DHS detailee and contractor packets (DHS-001..040; RULES.md §9).

Only these rules apply to a packet: the DoD requirements (unrestricted license, NPDB,
privilege durations, ICTB) are not DHS requirements (Interp. A28).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ictb.detailee import (
    AgencyType,
    Packet,
    PersonType,
    Qualification,
    QualificationKind,
    Requirement,
    VerificationResult,
)
from ictb.findings import Finding, finding
from ictb.model import IssuerType
from ictb.rules import code_range, rule

PKT = "/detailee_packet"
DHS_CODES = code_range("DHS", 1, 40)

# DHS §IV.D: "a State or U.S. Territory or Possession"; DC accepted as state-equivalent (A25).
US_ISSUERS = frozenset(
    {IssuerType.STATE, IssuerType.DC, IssuerType.TERRITORY, IssuerType.POSSESSION}
)
NOT_FEDERAL = frozenset(
    {AgencyType.STATE, AgencyType.LOCAL, AgencyType.PRIVATE, AgencyType.FOREIGN}
)


@dataclass(frozen=True)
class PacketContext:
    packet: Packet
    as_of: dt.date

    @property
    def in_scope(self) -> bool:
        """DHS-001 and DHS-002 end the evaluation: nothing else applies."""
        p = self.packet
        return not (p.serving_component == "USCG" or p.services_for_uscg) and p.purpose_healthcare

    @property
    def detailee(self) -> bool:
        return self.packet.person.person_type is PersonType.DETAILEE

    @property
    def relies_on_others(self) -> bool:
        return self.packet.person.person_type in (PersonType.DETAILEE, PersonType.CONTRACTOR)


@cache
def named_bodies() -> frozenset[str]:
    raw = json.loads(resources.files("ictb").joinpath("data/dhs.json").read_text("utf-8"))
    lists = ("named_bodies", "abms_member_boards", "abns_member_boards", "ada_recognized_boards")
    return frozenset(body.casefold() for key in lists for body in raw[key])


# ---------------------------------------------------------------- scope (§II, §IV.C)


@rule("DHS-001", on=PacketContext)
def uscg_out_of_scope(ctx: PacketContext) -> Iterator[Finding]:
    p = ctx.packet
    if p.serving_component == "USCG" or p.services_for_uscg:
        yield finding(
            "DHS-001",
            "health services by, for or on behalf of the US Coast Guard are outside the DHS "
            "MQM directive: route this packet under DoD, TRICARE and USCG directives",
            f"{PKT}/serving_component",
        )


@rule("DHS-002", on=PacketContext)
def not_healthcare(ctx: PacketContext) -> Iterator[Finding]:
    p = ctx.packet
    if not p.purpose_healthcare and not (p.serving_component == "USCG" or p.services_for_uscg):
        yield finding(
            "DHS-002",
            "the detail or contract does not include health care services, so no MQM "
            "credential check is needed",
            f"{PKT}/purpose_healthcare",
        )


# ---------------------------------------------------------------- detailees (§VI.D)


@rule("DHS-010", "DHS-011", on=PacketContext)
def detailing_agency(ctx: PacketContext) -> Iterator[Finding]:
    agency = ctx.packet.detailing_agency
    if not (ctx.in_scope and ctx.detailee) or agency is None:
        return
    name = agency.name or "the detailing organization"
    if agency.type in NOT_FEDERAL:
        yield finding(
            "DHS-010",
            f"{name} is a {agency.type.value} organization: §VI.D reliance is only for "
            "detailees from other federal agencies",
            f"{PKT}/detailing_agency/type",
        )
    elif agency.type is AgencyType.DHS_COMPONENT:
        yield finding(
            "DHS-011",
            f"{name} is itself a DHS component (an intra-DHS detail): route the person to "
            "ASHA/CMO credentialing",
            f"{PKT}/detailing_agency/type",
        )


@rule("DHS-012", "DHS-013", "DHS-014", "DHS-015", "DHS-016", on=PacketContext)
def verification(ctx: PacketContext) -> Iterator[Finding]:
    if not (ctx.in_scope and ctx.detailee):
        return
    p = ctx.packet
    home, verif, copy = p.home_credentialing, p.verification, p.cmo_copy
    missing = [
        what
        for what, value in (
            ("agency", home.agency if home else None),
            ("date", home.on if home else None),
            ("scope", home.scope if home else None),
        )
        if not value
    ]
    if missing:
        yield finding(
            "DHS-012",
            "no complete record of the detailing agency's credentialing of the detailee "
            f"(missing {', '.join(missing)})",
            f"{PKT}/home_credentialing",
        )
    if verif is not None and verif.result is VerificationResult.NOT_CONFIRMED:
        yield finding(
            "DHS-012",
            "the detailing agency's answer does not confirm its credentialing of the detailee",
            f"{PKT}/verification/result",
        )
    requested = verif.requested_on if verif else None
    if requested is None:
        yield finding(
            "DHS-013",
            "the component did not ask the detailing agency to verify its credentialing",
            f"{PKT}/verification/requested_on",
        )
    elif p.care_start is not None and requested > p.care_start:
        yield finding(
            "DHS-014",
            f"verification was requested on {requested}, after the detailee began delivering "
            f"care on {p.care_start}",
            f"{PKT}/verification/requested_on",
        )
    # Confirmed means an answer that confirms, dated: a date alone on a pending result
    # is not a confirmation.
    confirmed = (
        verif.confirmed_on
        if verif is not None and verif.result is VerificationResult.CONFIRMED
        else None
    )
    if (
        requested is not None
        and (confirmed is None or confirmed > ctx.as_of)
        and not (verif is not None and verif.result is VerificationResult.NOT_CONFIRMED)
    ):
        yield finding(
            "DHS-015",
            f"verification requested on {requested} has not been confirmed by {ctx.as_of}",
            f"{PKT}/verification/confirmed_on",
        )
    gaps = [
        what
        for what, value in (
            ("date", copy.on if copy else None),
            ("recipient", copy.recipient if copy else None),
        )
        if not value
    ]
    if requested is not None and (
        gaps or (confirmed is not None and copy is not None and copy.includes_response is False)
    ):
        what = f"no {' or '.join(gaps)} recorded" if gaps else "the response is not included"
        yield finding(
            "DHS-016",
            f"the copy of the verification to the ASHA/CMO is incomplete: {what}",
            f"{PKT}/cmo_copy",
        )


# ---------------------------------------------------------------- qualifications (§V.B.2)


def _meets(qualification: Qualification, requirement: Requirement) -> bool:
    if qualification.kind is not requirement.kind:
        return False
    wanted = (requirement.body or "").casefold()
    return not wanted or wanted in {
        (qualification.body or "").casefold(),
        (qualification.issuer or "").casefold(),
    }


@rule("DHS-020", "DHS-021", on=PacketContext)
def required_qualifications(ctx: PacketContext) -> Iterator[Finding]:
    if not (ctx.in_scope and ctx.relies_on_others):
        return
    p = ctx.packet
    start = p.care_start or (p.detail.start if p.detail else ctx.as_of)
    end = p.detail.end if p.detail else None
    for index, requirement in enumerate(p.required, start=1):
        where = f"{PKT}/required[{index}]"
        held = [q for q in p.qualifications if _meets(q, requirement)]
        if not held:
            yield finding("DHS-020", f"the required {requirement.label()} is missing", where)
            continue
        usable = [q for q in held if q.effective_on is None or q.effective_on <= start]
        if not usable:
            yield finding(
                "DHS-020",
                f"the required {requirement.label()} is not yet in force on {start}, the day "
                "care starts",
                where,
            )
            continue
        current = [q for q in usable if q.good_through is None or q.good_through >= ctx.as_of]
        if not current:
            lapsed = max(q.good_through for q in usable if q.good_through is not None)
            yield finding(
                "DHS-020",
                f"the required {requirement.label()} expired on {lapsed} and no renewal is "
                "recorded",
                where,
            )
            continue
        lasting = max(current, key=lambda q: q.good_through or dt.date.max)
        through = lasting.good_through
        if end is not None and through is not None and through < end:
            yield finding(
                "DHS-021",
                f"the required {requirement.label()} expires on {through}, before the detail "
                f"ends on {end}: verify its renewal before it lapses",
                where,
            )


@rule("DHS-022", "DHS-023", on=PacketContext)
def qualification_sources(ctx: PacketContext) -> Iterator[Finding]:
    if not ctx.in_scope:
        return
    for index, q in enumerate(ctx.packet.qualifications, start=1):
        where = f"{PKT}/qualification[{index}]"
        if q.kind is QualificationKind.LICENSE and q.issuer_type not in US_ISSUERS:
            kind = q.issuer_type.value if q.issuer_type else "unstated"
            yield finding(
                "DHS-022",
                f"{q.label()} was not issued by a State, DC or a US Territory or Possession "
                f"(issuer type: {kind})",
                where,
            )
        if q.kind is QualificationKind.CERTIFICATION:
            body = (q.body or "").casefold()
            if body not in named_bodies():
                yield finding(
                    "DHS-023",
                    f"{q.label()} comes from {q.body or 'an unnamed body'}, not one of the "
                    "bodies the directive names: check that the body is recognized",
                    where,
                )


@rule("DHS-024", on=PacketContext)
def requirements_stated(ctx: PacketContext) -> Iterator[Finding]:
    if ctx.in_scope and ctx.relies_on_others and not ctx.packet.required:
        yield finding(
            "DHS-024",
            "the packet does not say which licenses, certifications or registrations the "
            "designated medical services require, so completeness cannot be checked",
            f"{PKT}/required",
        )


# ---------------------------------------------------------------- DHS personnel (§V.A.3)


@rule("DHS-030", "DHS-031", on=PacketContext)
def asha_credentialing(ctx: PacketContext) -> Iterator[Finding]:
    if not ctx.in_scope:
        return
    p = ctx.packet
    asha = p.asha_credentialing
    if p.person.person_type in (PersonType.EMPLOYEE, PersonType.APPLICANT) and (
        asha is None or asha.on is None
    ):
        yield finding(
            "DHS-030",
            f"a DHS {p.person.person_type.value} providing designated medical services has no "
            "ASHA/CMO credentialing (the detailee path does not apply)",
            f"{PKT}/asha_credentialing",
        )
    if asha is not None:
        gaps = [
            what
            for what, done in (
                ("education", asha.psv_education),
                ("licenses", asha.psv_license),
                ("certifications and registrations", asha.psv_certification),
            )
            if not done
        ]
        if gaps:
            yield finding(
                "DHS-031",
                f"the ASHA/CMO credentialing record lacks primary verification of "
                f"{', '.join(gaps)}",
                f"{PKT}/asha_credentialing",
            )


@rule("DHS-040", on=PacketContext)
def privacy_act(ctx: PacketContext) -> Iterator[Finding]:
    yield finding(
        "DHS-040",
        "this packet is an MQM record: keep it under the Privacy Act; SSN and date of birth "
        "are never shown in reports",
        PKT,
    )
