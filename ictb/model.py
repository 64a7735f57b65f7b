"""The typed domain model: credential records and ICTBs, with no XML in it.

Field names follow the rule catalog (RULES.md §1.3) and the schemas in ``xsd/``; field
order follows the schemas' sequences.  Lists are tuples so every object is immutable.
Field metadata used by the codecs:

``xml``       the element name when it differs from the field name (repeated items).
``wrapper``   repeated items sit inside this wrapper element (``<education><training>``).
``personal``  the value is withholdable for host-nation release (Encl. 4 §8c): in an ICTB
              it sits in ``personal_data`` under this field name, referenced from its slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def items(element: str, wrapper: str | None = None) -> Any:
    """A repeated child element, optionally inside a wrapper element."""
    meta: dict[str, str] = {"xml": element}
    if wrapper:
        meta["wrapper"] = wrapper
    return field(default=(), metadata=meta)


class Discipline(StrEnum):
    PHYSICIAN = "physician"
    DENTIST = "dentist"
    PA = "pa"
    APN = "apn"
    RN = "rn"
    LPN = "lpn"
    DIETITIAN = "dietitian"
    SUD_COUNSELOR = "sud_counselor"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    AUDIOLOGIST = "audiologist"
    CHIROPRACTOR = "chiropractor"
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist"
    DENTAL_HYGIENIST = "dental_hygienist"
    MARRIAGE_FAMILY_THERAPIST = "marriage_family_therapist"
    MENTAL_HEALTH_COUNSELOR = "mental_health_counselor"
    PHARMACIST = "pharmacist"
    PHYSICAL_THERAPIST = "physical_therapist"
    PODIATRIST = "podiatrist"
    PROFESSIONAL_COUNSELOR = "professional_counselor"
    OPTOMETRIST = "optometrist"
    SOCIAL_WORKER = "social_worker"
    SPEECH_PATHOLOGIST = "speech_pathologist"
    OTHER = "other"
    UNLICENSED = "unlicensed"


# Encl. 4 §1a(3): disciplines that need a license (or waiver, or plan of supervision).
LICENSED_DISCIPLINES = frozenset(Discipline) - {
    Discipline.DIETITIAN,
    Discipline.SUD_COUNSELOR,
    Discipline.OTHER,
    Discipline.UNLICENSED,
}


class Component(StrEnum):
    AD = "ad"
    RC = "rc"
    NG = "ng"
    DOD_CIVILIAN = "dod_civilian"
    PSC_CONTRACTOR = "psc_contractor"
    NPSC_CONTRACTOR = "npsc_contractor"
    VOLUNTEER = "volunteer"
    OTHER_FEDERAL = "other_federal"
    NGO_MEMBER = "ngo_member"
    FOREIGN = "foreign"


class CredentialKind(StrEnum):
    LICENSE = "license"
    REGISTRATION = "registration"
    CERTIFICATION = "certification"
    DEA = "dea"
    BOARD = "board"
    LIFE_SUPPORT = "life_support"
    MRC = "mrc"


# §5f(3) carries licenses, registrations, certifications and the DEA registration (A29).
LICENSURE_KINDS = frozenset(
    {
        CredentialKind.LICENSE,
        CredentialKind.REGISTRATION,
        CredentialKind.CERTIFICATION,
        CredentialKind.DEA,
    }
)


class IssuerType(StrEnum):
    STATE = "state"
    DC = "dc"
    TERRITORY = "territory"
    POSSESSION = "possession"
    FOREIGN = "foreign"
    NATIONAL_BODY = "national_body"


class CredentialStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    LAPSED = "lapsed"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Restriction(StrEnum):
    NONE = "none"
    FEDERAL_ONLY = "federal_only"
    CONFINED = "confined"
    MILITARY_EXEMPT = "military_exempt"
    ADMIN_FINANCIAL = "admin_financial"
    SUPERVISION = "supervision"
    COMPETENCY = "competency"


class PsvStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class TrainingKind(StrEnum):
    DEGREE = "degree"
    INTERNSHIP = "internship"
    RESIDENCY = "residency"
    FELLOWSHIP = "fellowship"
    OTHER = "other"


class SupervisionLevel(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    VERBAL = "verbal"


class PrivilegeEventType(StrEnum):
    GRANT = "grant"
    RENEWAL = "renewal"
    MODIFICATION = "modification"
    CATEGORY_CHANGE = "category_change"
    RESTRICTION = "restriction"
    REDUCTION = "reduction"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    DENIAL = "denial"
    REINSTATEMENT = "reinstatement"
    ABEYANCE = "abeyance"
    SUMMARY_SUSPENSION = "summary_suspension"


class ActionBasis(StrEnum):
    MISCONDUCT = "misconduct"
    IMPAIRMENT = "impairment"
    COMPETENCE = "competence"
    FACILITY_LIMITATION = "facility_limitation"


class AppointmentType(StrEnum):
    INITIAL = "initial"
    INITIAL_ACTIVE = "initial_active"
    INITIAL_AFFILIATE = "initial_affiliate"
    ACTIVE = "active"
    AFFILIATE = "affiliate"
    TEMPORARY = "temporary"


class WaiverKind(StrEnum):
    RESTRICTED_LICENSE = "restricted_license"
    PA = "pa"
    APN = "apn"


class ContactAddressType(StrEnum):
    HOME = "home"
    BUSINESS = "business"


class Source(StrEnum):
    """Where a §5f reporting element came from (ICTB-015)."""

    CCQAS = "ccqas"
    MANUAL = "manual"


# ---------------------------------------------------------------- shared parts


@dataclass(frozen=True)
class PersonName:
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    suffix: str | None = None

    @property
    def complete(self) -> bool:
        """§5f(1) asks for the complete name: at least given and family names."""
        return bool(self.given and self.family)

    def display(self) -> str:
        parts = [self.given, self.middle, self.family]
        text = " ".join(p for p in parts if p)
        return f"{text}, {self.suffix}" if self.suffix else text


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...] = items("line")
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Facility:
    id: str
    name: str | None = None
    location: str | None = None

    def display(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


@dataclass(frozen=True)
class Psv:
    """Primary-source verification of an item in the credentials file."""

    status: PsvStatus
    on: dt.date | None = None
    primary: bool | None = None


@dataclass(frozen=True)
class Training:
    kind: TrainingKind
    title: str | None = None
    institution: str | None = None
    specialty: str | None = None
    completed_on: dt.date | None = None
    pgy: int | None = None
    accredited: bool | None = None
    psv: Psv | None = None


@dataclass(frozen=True)
class Credential:
    """A license, registration, certification, DEA registration, board or life support."""

    kind: CredentialKind
    title: str | None = None
    authorizing: bool | None = None
    issuer: str | None = None
    issuer_type: IssuerType | None = None
    body: str | None = None
    # Withholdable only for a DEA registration (see ``personal_field``); in an ICTB
    # the DEA number's slot is the element ``dea_number``.
    number: str | None = field(default=None, metadata={"personal_if": "dea_number"})
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    status: CredentialStatus | None = None
    restriction: Restriction | None = None
    multistate: bool | None = None
    fee_exempt: bool | None = None
    psv: Psv | None = None

    @property
    def personal_field(self) -> str | None:
        """The DEA number is a withheld category (Encl. 4 §8c); other numbers are not."""
        return "dea_number" if self.kind is CredentialKind.DEA else None

    def label(self) -> str:
        what = self.title or self.kind.value.replace("_", " ")
        return f"{what} ({self.issuer})" if self.issuer else what


@dataclass(frozen=True)
class Supervisor:
    name: str | None = None
    category: str | None = None
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class SupervisionPlan:
    scope: str | None = None
    level: SupervisionLevel | None = None
    supervisor: str | None = None
    criteria: str | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class Privileges:
    category: str | None = None
    granted_on: dt.date | None = None
    expires_on: dt.date | None = None
    facility: str | None = None
    privileges: tuple[str, ...] = items("privilege")
    restricted: bool | None = None
    independent: bool | None = None
    supervisor: Supervisor | None = None
    plan: SupervisionPlan | None = None
    justification: str | None = None
    ccqas_id: str | None = None
    prev_action_on: dt.date | None = None


@dataclass(frozen=True)
class ActionNotice:
    on: dt.date | None = None
    reason: str | None = None
    term_days: int | None = None


@dataclass(frozen=True)
class Extension:
    approved_by_service_on: dt.date


@dataclass(frozen=True)
class PrivilegeEvent:
    type: PrivilegeEventType
    on: dt.date
    ended_on: dt.date | None = None
    basis: ActionBasis | None = None
    final_on: dt.date | None = None
    npdb_reported_on: dt.date | None = None
    notice: ActionNotice | None = None
    extensions: tuple[Extension, ...] = items("extension")
    supervision_arranged: bool | None = None


@dataclass(frozen=True)
class Appointment:
    type: AppointmentType
    start: dt.date
    end: dt.date | None = None
    dod_mtf: str | None = None
    justification: str | None = None


@dataclass(frozen=True)
class DatabankQuery:
    """An NPDB or HIPDB query (§5f(7); Encl. 4 §4d)."""

    queried_on: dt.date | None = None
    action_query_on: dt.date | None = None
    reported: bool | None = None
    includes_hipdb: bool | None = None


@dataclass(frozen=True)
class LicenseHistoryEntry:
    issuer: str | None = None
    number: str | None = None
    status: CredentialStatus | None = None
    disciplined: bool | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class PracticeHistoryEntry:
    start: dt.date
    end: dt.date | None = None
    description: str | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class CompetencyLetter:
    author: str | None = None
    specialty_match: bool | None = None
    observed_period: str | None = None
    last_observed_on: dt.date | None = None


@dataclass(frozen=True)
class CredentialsFile:
    license_history: tuple[LicenseHistoryEntry, ...] = items("entry", "license_history")
    practice_history: tuple[PracticeHistoryEntry, ...] = items("entry", "practice_history")
    sanction_query_on: dt.date | None = None
    ability_statement: bool | None = None
    health_statement_confirmed: bool | None = None
    competency_letters: tuple[CompetencyLetter, ...] = items("competency_letter")
    ce_current: bool | None = None
    npi: str | None = None
    fbi_check_on: dt.date | None = None
    state_check_on: dt.date | None = None
    consent_signed: bool | None = None
    accuracy_signed: bool | None = None
    bylaws_signed: bool | None = None
    dea_exception: bool | None = None


@dataclass(frozen=True)
class Waiver:
    kind: WaiverKind
    granted_by: str | None = None
    dated: dt.date | None = None
    expires_on: dt.date | None = None
    in_ccqas: bool | None = None
    basis: str | None = None
    state_on_asdha_list: bool | None = None


@dataclass(frozen=True)
class PaQualification:
    program_accreditor: str | None = None
    program_completed_on: dt.date | None = None
    pance_passed: bool | None = None
    nccpa_expires_on: dt.date | None = None


@dataclass(frozen=True)
class ApnQualification:
    license_ok: bool | None = None
    program: str | None = None
    completed_on: dt.date | None = None
    degree_level: str | None = None
    exam_passed: bool | None = None
    ce_ok: bool | None = None
    cert_expires_on: dt.date | None = None
    renewal_review_in_ccqas: bool | None = None


@dataclass(frozen=True)
class FormalSupervisionPlan:
    written: bool | None = None
    supervisor_discipline: str | None = None
    supervisor_licensed: bool | None = None


@dataclass(frozen=True)
class OtherInformation:
    """The explicit presence/absence statement of §5f(9) and §5f(10)."""

    present: bool
    summary: str | None = None


@dataclass(frozen=True)
class Observer:
    """§5f(9): the statement of someone who observed the provider's performance."""

    statement: str | None = None
    name: str | None = None
    title: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    other_info: OtherInformation | None = None


@dataclass(frozen=True)
class FileReview:
    """§5f(10): certification that the credentials file was reviewed."""

    reviewed_on: dt.date | None = None
    statement: str | None = None
    other_info: OtherInformation | None = None


@dataclass(frozen=True)
class PointOfContact:
    """§5f(11): the sending facility's point of contact."""

    name: str | None = None
    title: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class CertifyingOfficial:
    name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class LastTour:
    mtf: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class ReserveDetails:
    """§5f(13): Reserve and Guard providers' civilian practice and contact details."""

    civ_position: str | None = None
    civ_employer: str | None = None
    civ_privileges: str | None = None
    self_employed: bool | None = None
    office_location: str | None = None
    facilities: tuple[str, ...] = items("facility")
    majority_location: str | None = None
    applicable_privileges: str | None = None
    contact_address: Address | None = field(
        default=None, metadata={"personal": "rc_contact_address"}
    )
    contact_address_type: ContactAddressType | None = None
    business_phone: str | None = None
    home_phone: str | None = field(default=None, metadata={"personal": "rc_home_phone"})
    last_tour: LastTour | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Provider:
    name: PersonName | None = None
    rank: str | None = None
    rating: str | None = None
    employment_category: str | None = None
    corps: str | None = None
    ssn: str | None = field(default=None, metadata={"personal": "ssn"})
    dob: dt.date | None = field(default=None, metadata={"personal": "dob"})
    home_address: Address | None = field(default=None, metadata={"personal": "home_address"})
    home_phone: str | None = field(default=None, metadata={"personal": "home_phone"})
    personal_email: str | None = field(default=None, metadata={"personal": "personal_email"})
    dod_id: str | None = field(default=None, metadata={"personal": "dod_id"})
    passport_number: str | None = field(default=None, metadata={"personal": "passport_number"})
    specialty: str | None = None
    discipline: Discipline | None = None
    component: Component | None = None
    privileged: bool | None = None
    fmg: bool | None = None
    fmg_school_country: str | None = None

    @property
    def is_privileged(self) -> bool:
        """Providers are privileged unless the record says otherwise."""
        return self.privileged is not False

    @property
    def is_reserve_or_guard(self) -> bool:
        return self.component in (Component.RC, Component.NG)

    def display_name(self) -> str:
        return self.name.display() if self.name else "(unnamed provider)"


# ---------------------------------------------------------------- the documents


@dataclass(frozen=True, kw_only=True)
class CredentialRecord:
    """What a credentials office holds for one provider (SPEC "Documents")."""

    record_id: str | None = None
    sending_facility: Facility | None = None
    provider: Provider
    education: tuple[Training, ...] = items("training", "education")
    exam: Exam | None = None
    credentials: tuple[Credential, ...] = items("credential", "credentials")
    privileges: Privileges | None = None
    privilege_events: tuple[PrivilegeEvent, ...] = items("event", "privilege_events")
    appointments: tuple[Appointment, ...] = items("appointment", "appointments")
    npdb: DatabankQuery | None = None
    hipdb: DatabankQuery | None = None
    credentials_file: CredentialsFile | None = None
    waivers: tuple[Waiver, ...] = items("waiver", "waivers")
    pa: PaQualification | None = None
    apn: ApnQualification | None = None
    formal_supervision_plan: FormalSupervisionPlan | None = None
    observer: Observer | None = None
    file_review: FileReview | None = None
    point_of_contact: PointOfContact | None = None
    certifying_official: CertifyingOfficial | None = None
    reserve: ReserveDetails | None = None
    manual_elements: tuple[int, ...] = ()
    remarks: str | None = None
    attachments: tuple[Attachment, ...] = items("attachment", "attachments")


@dataclass(frozen=True)
class Exam:
    """The licensing examination (Encl. 4 §2b(3)(b))."""

    name: str | None = None
    final_step_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Period:
    facility_id: str | None = None
    start: dt.date
    end: dt.date

    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class CredentialList:
    """A §5f(3)-(5) list; ``none`` is the explicit statement that there is none."""

    credentials: tuple[Credential, ...] = ()
    none: bool = False

    @property
    def present(self) -> bool:
        return self.none or bool(self.credentials)


@dataclass(frozen=True)
class Certification:
    """§5f(12): the certifying official and the date of certification."""

    name: str | None = None
    role: str | None = None
    signed_on: dt.date | None = None
    signed_at: dt.datetime | None = None  # the signing time (UTC), on a signed ICTB


@dataclass(frozen=True)
class Release:
    """Host-nation release marking (Encl. 4 §8c; RED-011)."""

    target: str | None = None
    released_on: dt.date | None = None
    official: str | None = None
    withheld_categories: tuple[str, ...] = items("withheld_category")
    withheld_fields: tuple[str, ...] = items("withheld_field")


@dataclass(frozen=True)
class Brief:
    """An Inter-facility Credentials Transfer Brief (Encl. 4 §5).

    A section that is ``None`` is absent from the document.  ``sources`` maps a §5f
    element number to where its data came from; elements not listed came from CCQAS.
    ``withheld`` names personal-data fields whose slot is present but whose value was
    withheld from this copy.
    """

    document_id: str
    issued_on: dt.date
    sending: Facility
    gaining: Facility
    periods: tuple[Period, ...]
    purpose: str | None = None
    appraisal_request: str | None = None
    supersedes: str | None = None
    provider: Provider | None = None
    education: tuple[Training, ...] | None = None
    licensure: CredentialList | None = None
    boards: CredentialList | None = None
    life_support: CredentialList | None = None
    privileges: Privileges | None = None
    non_privileged: bool = False
    npdb: DatabankQuery | None = None
    hipdb: DatabankQuery | None = None
    observer: Observer | None = None
    file_review: FileReview | None = None
    point_of_contact: PointOfContact | None = None
    certification: Certification | None = None
    reserve: ReserveDetails | None = None
    remarks: str | None = None
    attachments: tuple[Attachment, ...] = ()
    application_attached: bool | None = None
    sources: dict[int, Source] = field(default_factory=dict)
    withheld: frozenset[str] = frozenset()
    release: Release | None = None
    signed: bool = False


# ---------------------------------------------------------------- check context


@dataclass(frozen=True)
class CredentialRef:
    """Names a credential of an ICTB: every field given must match."""

    kind: CredentialKind
    title: str | None = None
    issuer: str | None = None
    number: str | None = None

    def matches(self, credential: Credential) -> bool:
        return (
            self.kind is credential.kind
            and self.title in (None, credential.title)
            and self.issuer in (None, credential.issuer)
            and self.number in (None, credential.number)
        )


@dataclass(frozen=True)
class RenewalConfirmation:
    """Encl. 4 §5e: a credential that expired in the interim was confirmed renewed."""

    credential: CredentialRef
    ictb_id: str | None = None
    confirmed_with: str | None = None
    with_is_file_holder: bool | None = None
    on: dt.date | None = None
    new_expires_on: dt.date | None = None
    in_gaining_file: bool | None = None
    recorded_by: str | None = None


@dataclass(frozen=True)
class RenewalConfirmations:
    confirmations: tuple[RenewalConfirmation, ...] = items("confirmation")


@dataclass(frozen=True)
class DistributionEntry:
    ictb_id: str
    facility: str
    sent_on: dt.date | None = None


@dataclass(frozen=True)
class Distribution:
    """The sending MTF's record of where each ICTB was sent (Encl. 4 §5e)."""

    sent: tuple[DistributionEntry, ...] = items("sent")


class NotGrantedReason(StrEnum):
    FACILITY_LIMITATION = "facility_limitation"
    OTHER = "other"


@dataclass(frozen=True)
class NotGranted:
    item: str
    reason: NotGrantedReason
    note: str | None = None


@dataclass(frozen=True)
class GainingGrant:
    """The gaining facility's privileging decision on the ICTB (Encl. 4 §5c)."""

    ictb_id: str | None = None
    facility: str | None = None
    granted_on: dt.date | None = None
    expires_on: dt.date | None = None
    privileges: tuple[str, ...] = items("privilege")
    not_granted: tuple[NotGranted, ...] = items("not_granted")
