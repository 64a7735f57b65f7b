"""Identifiers hiding in free text (RED-020/021), checked at build and sign.

An identifier in certified free text can never be withheld from a host-nation copy
(Encl. 4 §8c), so it must stay in its own structured field.
"""

from __future__ import annotations

from collections.abc import Iterator

from ictb import detectors
from ictb.findings import Finding, finding
from ictb.model import Brief, ContactAddressType, CredentialKind
from ictb.rules import Context, rule

_CATEGORY_NAMES = {
    detectors.SSN: "an SSN",
    detectors.DOB: "a date of birth",
    detectors.HOME_ADDRESS: "a home address",
    detectors.DEA: "a DEA number",
}


def free_text_fields(brief: Brief) -> Iterator[tuple[str, str]]:
    """(location, text) of every free-text field of the brief."""
    base = "/ictb/brief"
    yield f"{base}/remarks", brief.remarks or ""
    yield f"{base}/assignment/purpose", brief.purpose or ""
    yield f"{base}/assignment/appraisal_request", brief.appraisal_request or ""
    if brief.observer is not None:
        yield f"{base}/observer/statement", brief.observer.statement or ""
        if brief.observer.other_info is not None:
            yield f"{base}/observer/other_info/summary", brief.observer.other_info.summary or ""
    if brief.file_review is not None:
        yield f"{base}/file_review/statement", brief.file_review.statement or ""
        if brief.file_review.other_info is not None:
            yield (
                f"{base}/file_review/other_info/summary",
                brief.file_review.other_info.summary or "",
            )
    if brief.privileges is not None:
        yield f"{base}/privileges/justification", brief.privileges.justification or ""
        for index, item in enumerate(brief.privileges.privileges, start=1):
            yield f"{base}/privileges/privilege[{index}]", item
    rc = brief.reserve
    if rc is not None:
        for name in (
            "civ_position",
            "civ_employer",
            "civ_privileges",
            "office_location",
            "majority_location",
            "applicable_privileges",
        ):
            yield f"{base}/reserve_component/{name}", getattr(rc, name) or ""
        for index, facility in enumerate(rc.facilities, start=1):
            yield f"{base}/reserve_component/facility[{index}]", facility
    for index, attachment in enumerate(brief.attachments, start=1):
        yield f"{base}/attachments/attachment[{index}]/name", attachment.name
        yield f"{base}/attachments/attachment[{index}]/description", attachment.description or ""


def known_values(brief: Brief) -> detectors.KnownValues:
    provider = brief.provider
    addresses = []
    if provider is not None and provider.home_address is not None:
        addresses.append(provider.home_address)
    rc = brief.reserve
    if rc is not None and rc.contact_address is not None:
        if rc.contact_address_type is not ContactAddressType.BUSINESS:
            addresses.append(rc.contact_address)
    dea = tuple(
        c.number
        for c in (brief.licensure.credentials if brief.licensure else ())
        if c.kind is CredentialKind.DEA and c.number
    )
    return detectors.KnownValues(
        ssn=provider.ssn if provider else None,
        dob=provider.dob if provider else None,
        home_address=tuple(addresses),
        dea=dea,
    )


@rule("RED-020", "RED-021")
def identifiers_in_free_text(ctx: Context) -> Iterator[Finding]:
    known = known_values(ctx.brief)
    for location, text in free_text_fields(ctx.brief):
        if not text:
            continue
        for match in detectors.scan(text, known):
            what = _CATEGORY_NAMES[match.category]
            if match.strength == detectors.STRONG:
                yield finding(
                    "RED-020",
                    f"free text contains {what} ({match.why}); identifiers belong only in "
                    "their own withholdable fields",
                    location,
                )
            else:
                yield finding(
                    "RED-021",
                    f"free text contains what may be {what} ({match.why}); check it",
                    location,
                )
