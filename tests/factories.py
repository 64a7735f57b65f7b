"""Complete, realistic model objects for the tests (plain functions, not fixtures).

The provider is invented: LCDR Miriam T. Castellano, MC, USN, an emergency physician at
Naval Medical Center San Diego, going to Naval Hospital Camp Pendleton for a temporary
assignment.  Her SSN is in the never-assigned 900 range.  Everything is valid as of
:data:`AS_OF` (2026-11-22).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ictb import build, policy, rules
from ictb.findings import Finding
from ictb.model import (
    Address,
    Brief,
    CertifyingOfficial,
    Component,
    ContactAddressType,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    DatabankQuery,
    Discipline,
    Facility,
    FileReview,
    IssuerType,
    LastTour,
    Observer,
    OtherInformation,
    Period,
    PersonName,
    PointOfContact,
    Privileges,
    Provider,
    Psv,
    PsvStatus,
    ReserveDetails,
    Restriction,
    Training,
    TrainingKind,
)

AS_OF = dt.date(2026, 11, 22)
DOCUMENT_ID = "3f0c2b7e-6a41-4d8e-9c15-7b2d9e4a6f01"

SSN = "912-47-3086"
DOB = dt.date(1984, 4, 12)
HOME_LINE = "2291 Palm Crest Drive"
HOME_PHONE = "619-555-0134"


def dea_number(letters: str, six_digits: str) -> str:
    """A DEA registration number with its check digit (RULES.md §15).

    ``(d1 + d3 + d5) + 2 * (d2 + d4 + d6)``; the last digit of that sum is ``d7``.
    """
    d = [int(c) for c in six_digits]
    check = ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{letters}{six_digits}{check}"


# F: practitioner; C: initial of the registrant's last name (Castellano).
DEA = dea_number("FC", "471932")  # (4+1+3) + 2*(7+9+2) = 44 -> FC4719324
STATE_LICENSE = "A 178342"

SENDING = Facility(id="N00259", name="Naval Medical Center San Diego", location="San Diego, CA")
GAINING = Facility(id="N00183", name="Naval Hospital Camp Pendleton", location="Camp Pendleton, CA")


def _psv(on: dt.date) -> Psv:
    return Psv(status=PsvStatus.PRESENT, on=on, primary=True)


def provider(**overrides: Any) -> Provider:
    base = Provider(
        name=PersonName(given="Miriam", middle="Teresa", family="Castellano"),
        rank="LCDR",
        corps="Medical Corps",
        ssn=SSN,
        dob=DOB,
        home_address=Address(
            lines=(HOME_LINE,),
            city="Chula Vista",
            state="CA",
            postal_code="91915",
            country="US",
        ),
        home_phone=HOME_PHONE,
        specialty="Emergency Medicine",
        discipline=Discipline.PHYSICIAN,
        component=Component.AD,
        privileged=True,
    )
    return replace(base, **overrides)


def education() -> tuple[Training, ...]:
    return (
        Training(
            kind=TrainingKind.DEGREE,
            title="Doctor of Medicine",
            institution="Uniformed Services University of the Health Sciences",
            completed_on=dt.date(2011, 5, 21),
            accredited=True,
            psv=_psv(dt.date(2014, 8, 4)),
        ),
        Training(
            kind=TrainingKind.RESIDENCY,
            title="Residency in Emergency Medicine",
            institution="Naval Medical Center Portsmouth",
            specialty="Emergency Medicine",
            completed_on=dt.date(2014, 6, 30),
            pgy=3,
            accredited=True,
            psv=_psv(dt.date(2014, 8, 4)),
        ),
    )


def state_license(**overrides: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.LICENSE,
        title="Physician and Surgeon License",
        authorizing=True,
        issuer="California",
        issuer_type=IssuerType.STATE,
        body="Medical Board of California",
        number=STATE_LICENSE,
        effective_on=dt.date(2014, 4, 1),
        expires_on=dt.date(2028, 3, 31),
        status=CredentialStatus.ACTIVE,
        restriction=Restriction.NONE,
        psv=_psv(dt.date(2026, 4, 6)),
    )
    return replace(base, **overrides)


def dea_registration(**overrides: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.DEA,
        title="DEA Controlled Substance Registration",
        issuer="DEA",
        issuer_type=IssuerType.NATIONAL_BODY,
        number=DEA,
        effective_on=dt.date(2024, 8, 1),
        expires_on=dt.date(2027, 7, 31),
        status=CredentialStatus.ACTIVE,
        fee_exempt=True,
        psv=_psv(dt.date(2024, 8, 12)),
    )
    return replace(base, **overrides)


def board_certification(**overrides: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.BOARD,
        title="Board Certification in Emergency Medicine",
        issuer="ABEM",
        issuer_type=IssuerType.NATIONAL_BODY,
        body="American Board of Emergency Medicine",
        effective_on=dt.date(2016, 1, 1),
        expires_on=dt.date(2031, 12, 31),
        status=CredentialStatus.ACTIVE,
        psv=_psv(dt.date(2025, 5, 19)),
    )
    return replace(base, **overrides)


def life_support(title: str, expires_on: dt.date) -> Credential:
    return Credential(
        kind=CredentialKind.LIFE_SUPPORT,
        title=title,
        issuer="American Heart Association",
        issuer_type=IssuerType.NATIONAL_BODY,
        effective_on=dt.date(expires_on.year - 2, expires_on.month, 1),
        expires_on=expires_on,
        status=CredentialStatus.ACTIVE,
    )


def credentials() -> tuple[Credential, ...]:
    return (
        state_license(),
        dea_registration(),
        board_certification(),
        life_support("Basic Life Support (BLS)", dt.date(2027, 9, 30)),
        life_support("Advanced Cardiovascular Life Support (ACLS)", dt.date(2027, 10, 31)),
    )


def privileges(**overrides: Any) -> Privileges:
    base = Privileges(
        category="regular",
        granted_on=dt.date(2025, 7, 1),
        expires_on=dt.date(2027, 6, 30),
        facility=SENDING.id,
        privileges=(
            "Emergency medicine core privileges",
            "Procedural sedation and analgesia",
            "Emergency airway management including surgical airway",
            "Point-of-care ultrasound",
        ),
        independent=True,
        ccqas_id="CCQAS-0418837",
    )
    return replace(base, **overrides)


def npdb(**overrides: Any) -> DatabankQuery:
    base = DatabankQuery(
        queried_on=dt.date(2025, 6, 20),
        action_query_on=dt.date(2025, 6, 20),
        reported=False,
        includes_hipdb=True,
    )
    return replace(base, **overrides)


def observer(**overrides: Any) -> Observer:
    base = Observer(
        statement=(
            "I have directly observed Dr. Castellano's clinical practice in the emergency "
            "department since January 2025. Her clinical judgement, procedural skill and "
            "professional conduct are fully satisfactory for the privileges held."
        ),
        name="CAPT Howard J. Leland, MC, USN",
        title="Chair, Department of Emergency Medicine",
        phone="619-532-8200",
        email="howard.j.leland.mil@health.mil",
        other_info=OtherInformation(present=False),
    )
    return replace(base, **overrides)


def file_review(**overrides: Any) -> FileReview:
    base = FileReview(
        reviewed_on=dt.date(2026, 11, 20),
        statement=(
            "I certify that the provider's credentials file was reviewed and that this "
            "ICTB accurately reflects its contents."
        ),
        other_info=OtherInformation(present=False),
    )
    return replace(base, **overrides)


def point_of_contact(**overrides: Any) -> PointOfContact:
    base = PointOfContact(
        name="Teresa Villanueva",
        title="Medical Staff Services Coordinator",
        phone="619-532-6413",
        email="teresa.m.villanueva.civ@health.mil",
    )
    return replace(base, **overrides)


def complete_record(**provider_overrides: Any) -> CredentialRecord:
    """An active-duty Navy physician whose record makes a complete, valid ICTB."""
    return CredentialRecord(
        record_id="NMCSD-2026-0871",
        sending_facility=SENDING,
        provider=provider(**provider_overrides),
        education=education(),
        credentials=credentials(),
        privileges=privileges(),
        npdb=npdb(),
        observer=observer(),
        file_review=file_review(),
        point_of_contact=point_of_contact(),
        certifying_official=CertifyingOfficial(
            name="CAPT Lorraine P. Abernathy, MC, USN", role="MTF Commander"
        ),
    )


def reserve_details(**overrides: Any) -> ReserveDetails:
    """A §5f(13) block with every item of (a)-(d), for a provider with two facilities."""
    base = ReserveDetails(
        civ_position="Attending emergency physician",
        civ_employer="Mesa Verde Regional Medical Center",
        civ_privileges="Full emergency medicine privileges including procedural sedation",
        self_employed=False,
        facilities=(
            "Mesa Verde Regional Medical Center, El Cajon, CA",
            "Harbor Point Community Hospital, National City, CA",
        ),
        majority_location="Mesa Verde Regional Medical Center, El Cajon, CA",
        applicable_privileges="Emergency medicine core privileges and procedural sedation",
        contact_address=Address(
            lines=("Mesa Verde Regional Medical Center", "1400 Summit Ridge Parkway"),
            city="El Cajon",
            state="CA",
            postal_code="92020",
            country="US",
        ),
        contact_address_type=ContactAddressType.BUSINESS,
        business_phone="619-555-0188",
        home_phone=HOME_PHONE,
        last_tour=LastTour(
            mtf="Naval Medical Center San Diego",
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 6, 14),
        ),
    )
    return replace(base, **overrides)


def reserve_record(**reserve_overrides: Any) -> CredentialRecord:
    """The same physician as a Navy Reserve officer, with a complete §5f(13) block."""
    return replace(
        complete_record(component=Component.RC, rank="CDR"),
        record_id="NMCSD-2026-0872",
        reserve=reserve_details(**reserve_overrides),
    )


def assignment(**overrides: Any) -> build.Assignment:
    base = build.Assignment(
        gaining=GAINING,
        purpose=(
            "Temporary duty to augment emergency department staffing during the winter "
            "surge at Naval Hospital Camp Pendleton."
        ),
        periods=(
            Period(facility_id=GAINING.id, start=dt.date(2026, 12, 1), end=dt.date(2027, 1, 31)),
        ),
    )
    return replace(base, **overrides)


_default_assignment = assignment


def build_brief(
    record: CredentialRecord,
    assignment: build.Assignment | None = None,
    **brief_overrides: Any,
) -> Brief:
    """The brief ``build`` would write for ``record``, with fields replaced afterwards."""
    brief = build.assemble(
        record,
        assignment if assignment is not None else _default_assignment(),
        issued_on=AS_OF,
        document_id=DOCUMENT_ID,
    )
    return replace(brief, **brief_overrides)


def findings(
    brief: Brief,
    record: CredentialRecord | None = None,
    codes: Iterable[str] | None = rules.BUILD_CODES,
) -> list[Finding]:
    """What the rule engine finds in ``brief`` on :data:`AS_OF` with the default policy."""
    context = rules.Context(brief=brief, as_of=AS_OF, policy=policy.default(), record=record)
    return rules.evaluate(context, codes)


def run_build(
    record: CredentialRecord, assignment: build.Assignment | None = None
) -> build.BuildResult:
    """``build.build`` on :data:`AS_OF` with the default policy."""
    return build.build(
        record,
        assignment if assignment is not None else _default_assignment(),
        issued_on=AS_OF,
        policy=policy.default(),
        source="test",
        document_id=DOCUMENT_ID,
    )


def every_date(obj: Any, day: dt.date) -> Any:
    """``obj`` (a model object, or a tuple or mapping of them) with every date in it set
    to ``day``: a record or brief at one end of the calendar."""
    import dataclasses

    if isinstance(obj, dt.datetime):
        return obj
    if isinstance(obj, dt.date):
        return day
    if isinstance(obj, tuple):
        return tuple(every_date(item, day) for item in obj)
    if isinstance(obj, dict):
        return {key: every_date(value, day) for key, value in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = [f.name for f in dataclasses.fields(obj) if f.init]
        return replace(obj, **{name: every_date(getattr(obj, name), day) for name in fields})
    return obj
