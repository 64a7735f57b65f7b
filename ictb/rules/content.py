"""ICTB content: every reporting element of DoDM 6025.13 Encl. 4 §5f (ICTB-001..015)."""

from __future__ import annotations

from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import (
    LICENSED_DISCIPLINES,
    LICENSURE_KINDS,
    Component,
    Credential,
    CredentialList,
    CredentialStatus,
    ReserveDetails,
    Source,
    TrainingKind,
)
from ictb.rules import Context, rule

BRIEF = "/ictb/brief"

# Contractors and volunteers give their employment category in place of rank (§5f(1)).
_NO_RANK_COMPONENTS = frozenset(
    {Component.PSC_CONTRACTOR, Component.NPSC_CONTRACTOR, Component.VOLUNTEER}
)


def _missing(items: dict[str, object]) -> list[str]:
    return [name for name, value in items.items() if value in (None, "", ())]


def _join(names: list[str]) -> str:
    return ", ".join(names)


@rule("ICTB-001")
def provider_identity(ctx: Context) -> Iterator[Finding]:
    provider = ctx.brief.provider
    where = f"{BRIEF}/provider"
    if provider is None:
        yield finding("ICTB-001", "§5f(1) is missing: no provider identification", where)
        return
    contractor = provider.component in _NO_RANK_COMPONENTS
    if contractor:
        rank: object = provider.employment_category or provider.rank
    else:
        rank = provider.rank or provider.rating
    wanted: dict[str, object] = {
        "complete name": provider.name.display()
        if provider.name and provider.name.complete
        else None,
        "employment category" if contractor else "rank (or rating)": rank,
        "corps": provider.corps if not contractor else "n/a",
        # A release copy withholds the SSN it certified (§8c): present, though not shown.
        "SSN": provider.ssn or (ctx.release and "ssn" in ctx.brief.withheld) or None,
        "clinical specialty": provider.specialty,
    }
    gaps = _missing(wanted)
    if gaps:
        withheld = " (withheld from this copy)" if "ssn" in ctx.brief.withheld else ""
        yield finding("ICTB-001", f"§5f(1) incomplete: missing {_join(gaps)}{withheld}", where)


@rule("ICTB-002")
def education(ctx: Context) -> Iterator[Finding]:
    where = f"{BRIEF}/education"
    trainings = ctx.brief.education
    if not trainings or not any(t.kind is TrainingKind.DEGREE for t in trainings):
        yield finding("ICTB-002", "§5f(2) incomplete: no qualifying degree is listed", where)
    for index, training in enumerate(trainings or (), start=1):
        gaps = _missing({"completion date": training.completed_on, "PSV indicator": training.psv})
        if gaps:
            what = training.title or training.kind.value
            yield finding(
                "ICTB-002",
                f"§5f(2) incomplete: {what} lacks {_join(gaps)}",
                f"{where}/training[{index}]",
            )


def _listed_gaps(
    code: str, element: str, section: str, listing: CredentialList | None, *, psv: bool
) -> Iterator[Finding]:
    if listing is None or not listing.present:
        yield finding(
            code,
            f"§5f({element}) is missing (write 'none' if there is none)",
            f"{BRIEF}/{section}",
        )
        return
    yield from _item_gaps(code, element, section, listing.credentials, psv=psv)


def _item_gaps(
    code: str, element: str, section: str, credentials: tuple[Credential, ...], *, psv: bool
) -> Iterator[Finding]:
    for index, credential in enumerate(credentials, start=1):
        wanted: dict[str, object] = {"expiration date": credential.expires_on}
        if psv:
            wanted["PSV status"] = credential.psv
        gaps = _missing(wanted)
        if gaps:
            yield finding(
                code,
                f"§5f({element}) incomplete: {credential.label()} lacks {_join(gaps)}",
                f"{BRIEF}/{section}/credential[{index}]",
            )


def _same_credential(a: Credential, b: Credential) -> bool:
    return a.kind is b.kind and a.issuer == b.issuer and a.number == b.number


def _currently_held(credential: Credential, ctx: Context) -> bool:
    if credential.status not in (None, CredentialStatus.ACTIVE):
        return False
    return dates.current_on(ctx.brief.issued_on, credential.effective_on, credential.expires_on)


@rule("ICTB-003")
def licensure(ctx: Context) -> Iterator[Finding]:
    listing = ctx.brief.licensure
    if listing is None:
        yield finding("ICTB-003", "§5f(3) is missing: no licensure section", f"{BRIEF}/licensure")
    listed = listing.credentials if listing is not None else ()
    yield from _item_gaps("ICTB-003", "3", "licensure", listed, psv=True)
    if ctx.record is not None:
        for held in ctx.record.credentials:
            if held.kind in LICENSURE_KINDS and _currently_held(held, ctx):
                if not any(_same_credential(held, c) for c in listed):
                    yield finding(
                        "ICTB-003",
                        f"§5f(3) incomplete: the currently held {held.label()} is not listed",
                        f"{BRIEF}/licensure",
                    )
    provider = ctx.brief.provider
    if listing is not None and not listed and provider is not None:
        if provider.discipline in LICENSED_DISCIPLINES and not _has_alternative(ctx):
            yield finding(
                "ICTB-003",
                f"§5f(3): no license is listed for a {provider.discipline.value} "
                "and there is no waiver or plan of supervision",
                f"{BRIEF}/licensure",
            )


def _has_alternative(ctx: Context) -> bool:
    """A waiver or a written plan of supervision stands in for a license (§1a(5), §1b)."""
    record = ctx.record
    if record is None:
        return False
    plan = record.formal_supervision_plan
    return bool(record.waivers) or (plan is not None and plan.written is True)


@rule("ICTB-004")
def board_certifications(ctx: Context) -> Iterator[Finding]:
    yield from _listed_gaps("ICTB-004", "4", "board_certifications", ctx.brief.boards, psv=True)


@rule("ICTB-005")
def life_support(ctx: Context) -> Iterator[Finding]:
    yield from _listed_gaps("ICTB-005", "5", "life_support", ctx.brief.life_support, psv=False)


@rule("ICTB-006")
def privileges(ctx: Context) -> Iterator[Finding]:
    if ctx.brief.non_privileged:
        return  # ICTB-019 applies instead
    priv = ctx.brief.privileges
    where = f"{BRIEF}/privileges"
    if priv is None:
        yield finding("ICTB-006", "§5f(6) is missing: no clinical privileges are stated", where)
        return
    gaps = _missing(
        {
            "privilege category": priv.category,
            "privilege expiration date": priv.expires_on,
            "current privilege list": priv.privileges,
        }
    )
    if gaps:
        yield finding("ICTB-006", f"§5f(6) incomplete: missing {_join(gaps)}", where)


@rule("ICTB-007")
def databank_queries(ctx: Context) -> Iterator[Finding]:
    npdb, hipdb = ctx.brief.npdb, ctx.brief.hipdb
    where = f"{BRIEF}/databank_queries"
    gaps = []
    if npdb is None or npdb.queried_on is None:
        gaps.append("the date of the most recent NPDB query")
    elif npdb.reported is None:
        gaps.append("whether the NPDB reported information")
    hipdb_met = npdb is not None and npdb.includes_hipdb is True and npdb.queried_on is not None
    if not hipdb_met:
        if hipdb is None or hipdb.queried_on is None:
            gaps.append("the date of the most recent HIPDB query")
        elif hipdb.reported is None:
            gaps.append("whether the HIPDB reported information")
    if gaps:
        yield finding("ICTB-007", f"§5f(7) incomplete: missing {_join(gaps)}", where)


@rule("ICTB-008")
def purpose(ctx: Context) -> Iterator[Finding]:
    if not (ctx.brief.purpose or "").strip():
        yield finding(
            "ICTB-008",
            "§5f(8) is missing: no statement of the nature or purpose of the assignment",
            f"{BRIEF}/assignment/purpose",
        )


@rule("ICTB-009")
def observer(ctx: Context) -> Iterator[Finding]:
    obs = ctx.brief.observer
    where = f"{BRIEF}/observer"
    if obs is None:
        yield finding("ICTB-009", "§5f(9) is missing: no observer statement", where)
        return
    gaps = _missing(
        {
            "the observer's statement": obs.statement,
            "the observer's name": obs.name,
            "the observer's title or position": obs.title,
            "a direct contact (phone, fax or e-mail)": obs.phone or obs.fax or obs.email,
            "the statement on other relevant information": obs.other_info,
        }
    )
    if gaps:
        yield finding("ICTB-009", f"§5f(9) incomplete: missing {_join(gaps)}", where)


@rule("ICTB-010")
def file_review(ctx: Context) -> Iterator[Finding]:
    review = ctx.brief.file_review
    where = f"{BRIEF}/file_review"
    if review is None:
        yield finding("ICTB-010", "§5f(10) is missing: no credentials-file review", where)
        return
    gaps = _missing(
        {
            "the certification that the file was reviewed": review.statement,
            "the review date": review.reviewed_on,
            "the statement on other relevant information": review.other_info,
        }
    )
    if gaps:
        yield finding("ICTB-010", f"§5f(10) incomplete: missing {_join(gaps)}", where)


@rule("ICTB-011")
def point_of_contact(ctx: Context) -> Iterator[Finding]:
    poc = ctx.brief.point_of_contact
    where = f"{BRIEF}/point_of_contact"
    if poc is None:
        yield finding("ICTB-011", "§5f(11) is missing: no sending-facility point of contact", where)
        return
    gaps = _missing(
        {
            "name": poc.name,
            "title": poc.title,
            "phone number": poc.phone,
            "fax number or e-mail address": poc.fax or poc.email,
        }
    )
    if gaps:
        yield finding(
            "ICTB-011", f"§5f(11) incomplete: the point of contact lacks {_join(gaps)}", where
        )


@rule("ICTB-012")
def certification(ctx: Context) -> Iterator[Finding]:
    cert = ctx.brief.certification
    where = f"{BRIEF}/certification"
    if cert is None:
        yield finding("ICTB-012", "§5f(12) is missing: no certifying signature block", where)
        return
    gaps = _missing({"signer name": cert.name, "role": cert.role, "date": cert.signed_on})
    if gaps:
        yield finding("ICTB-012", f"§5f(12) incomplete: missing {_join(gaps)}", where)


def _reserve_empty(reserve: ReserveDetails | None) -> bool:
    if reserve is None:
        return True
    return all(value in (None, "", ()) for value in vars(reserve).values())


@rule("ICTB-013")
def reserve_required(ctx: Context) -> Iterator[Finding]:
    provider = ctx.brief.provider
    if provider is not None and provider.is_reserve_or_guard and _reserve_empty(ctx.brief.reserve):
        yield finding(
            "ICTB-013",
            "§5f(13) is missing: the Reserve/Guard paragraph is required for this provider",
            f"{BRIEF}/reserve_component",
        )


@rule("ICTB-014")
def reserve_complete(ctx: Context) -> Iterator[Finding]:
    rc = ctx.brief.reserve
    if _reserve_empty(rc):
        return
    assert rc is not None
    withheld = ctx.brief.withheld

    def given(value: object, personal_field: str | None = None) -> object:
        # A value withheld from a release copy was there when the ICTB was certified.
        return "withheld" if personal_field in withheld else value

    gaps = _missing(
        {
            "(a) civilian position": rc.civ_position,
            "(a) civilian employer or facility": rc.civ_employer or rc.facilities,
            "(a) civilian privileges": rc.civ_privileges,
            "(d) pre-reporting address": given(rc.contact_address, "rc_contact_address"),
            "(d) business phone": rc.business_phone,
            "(d) home phone": given(rc.home_phone, "rc_home_phone"),
            "(d) MTF of the last clinical tour": rc.last_tour.mtf if rc.last_tour else None,
            "(d) dates of the last clinical tour": (
                rc.last_tour.start and rc.last_tour.end if rc.last_tour else None
            ),
        }
    )
    if rc.self_employed and not rc.office_location:
        gaps.append("(b) office location of a self-employed provider")
    if len(rc.facilities) >= 2:
        gaps += _missing(
            {
                "(c) location of the majority of practice": rc.majority_location,
                "(c) privileges applicable to this assignment": rc.applicable_privileges,
            }
        )
    if gaps:
        yield finding(
            "ICTB-014",
            f"§5f(13) incomplete: missing {_join(gaps)}",
            f"{BRIEF}/reserve_component",
        )


_ELEMENT_NAMES = {
    1: "identification",
    2: "education and training",
    3: "licensure",
    4: "board certification",
    5: "life-support training",
    6: "privileges",
    7: "NPDB/HIPDB query",
    8: "purpose",
    9: "observer statement",
    10: "file review",
    11: "point of contact",
    12: "certification",
    13: "Reserve/Guard paragraph",
}


@rule("ICTB-015")
def manual_sources(ctx: Context) -> Iterator[Finding]:
    for number, source in sorted(ctx.brief.sources.items()):
        if source is Source.MANUAL:
            yield finding(
                "ICTB-015",
                f"§5f({number}) {_ELEMENT_NAMES[number]} was entered by hand, "
                "not taken electronically from CCQAS",
                BRIEF,
            )
