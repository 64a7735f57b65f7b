"""DHS detailee packets: every rule DHS-001..040 (RULES.md §9), on packets built here.

One complete packet (a federal detailee, everything on record) gives only the DHS-040
notice; each case below changes one thing with ``dataclasses.replace`` and names the
codes that must, and must not, come out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from ictb import detailee, keys, rules
from ictb.detailee import (
    AgencyType,
    AshaCredentialing,
    CmoCopy,
    DetailingAgency,
    DetailPeriod,
    HomeCredentialing,
    Packet,
    Person,
    PersonType,
    Qualification,
    QualificationKind,
    Requirement,
    Verification,
    VerificationResult,
)
from ictb.findings import Finding, Severity, catalog
from ictb.model import IssuerType, PersonName
from ictb.rules.dhs import DHS_CODES, PacketContext
from tests.conftest import SAMPLES

AS_OF = dt.date(2026, 12, 20)
DETAIL = DetailPeriod(start=dt.date(2027, 1, 4), end=dt.date(2027, 6, 30))
CARE_START = dt.date(2027, 1, 5)
SSN = "931-55-0192"
DOB = dt.date(1983, 4, 17)

LICENSE = Qualification(
    kind=QualificationKind.LICENSE,
    title="Physician Assistant license",
    issuer="Texas Physician Assistant Board",
    issuer_type=IssuerType.STATE,
    number="PA10442",
    effective_on=dt.date(2025, 7, 1),
    expires_on=dt.date(2027, 12, 31),
)
CERTIFICATION = Qualification(
    kind=QualificationKind.CERTIFICATION,
    title="PA-C",
    issuer="National Commission on Certification of Physician Assistants",
    issuer_type=IssuerType.NATIONAL_BODY,
    body="NCCPA",
    number="1166023",
    effective_on=dt.date(2025, 1, 1),
    expires_on=dt.date(2028, 12, 31),
)
NEEDS_LICENSE = Requirement(kind=QualificationKind.LICENSE, description="State PA license")
NEEDS_NCCPA = Requirement(
    kind=QualificationKind.CERTIFICATION, body="NCCPA", description="NCCPA certification"
)

COMPLETE = Packet(
    packet_id="ICE-IHSC-2026-9001",
    serving_component="ICE",
    component_unit="ICE Health Service Corps, test clinic",
    services_for_uscg=False,
    purpose_healthcare=True,
    designated_services=("Sick call and chronic care of detainees",),
    person=Person(
        person_type=PersonType.DETAILEE,
        name=PersonName(given="Perpetua", middle="Nell", family="Strandqvist"),
        position_title="Physician Assistant",
        discipline="physician assistant",
        ssn=SSN,
        dob=DOB,
    ),
    detailing_agency=DetailingAgency(
        type=AgencyType.FEDERAL, name="Federal Bureau of Prisons", dod_mtf=False
    ),
    detail=DETAIL,
    care_start=CARE_START,
    home_credentialing=HomeCredentialing(
        agency="Federal Bureau of Prisons, FCI Test Health Services",
        on=dt.date(2026, 10, 1),
        scope="Physician assistant, primary care",
    ),
    verification=Verification(
        requested_on=dt.date(2026, 12, 1),
        confirmed_on=dt.date(2026, 12, 10),
        result=VerificationResult.CONFIRMED,
    ),
    cmo_copy=CmoCopy(
        on=dt.date(2026, 12, 11),
        recipient="DHS Office of Health Security, ASHA/CMO",
        includes_response=True,
    ),
    required=(NEEDS_LICENSE, NEEDS_NCCPA),
    qualifications=(LICENSE, CERTIFICATION),
    remarks="A test packet.",
)
ASHA_DONE = AshaCredentialing(
    on=dt.date(2026, 11, 2), psv_education=True, psv_license=True, psv_certification=True
)


# ---------------------------------------------------------------- helpers


def evaluate(packet: Packet, as_of: dt.date = AS_OF) -> list[Finding]:
    return rules.evaluate(PacketContext(packet, as_of), DHS_CODES)


def codes(packet: Packet, as_of: dt.date = AS_OF) -> set[str]:
    return {f.code for f in evaluate(packet, as_of)}


def of(packet: Packet, code: str) -> list[Finding]:
    return [f for f in evaluate(packet) if f.code == code]


def person(**changes: object) -> Packet:
    return replace(COMPLETE, person=replace(COMPLETE.person, **changes))


def agency(kind: AgencyType) -> Packet:
    assert COMPLETE.detailing_agency is not None
    return replace(COMPLETE, detailing_agency=replace(COMPLETE.detailing_agency, type=kind))


def home(**changes: object) -> Packet:
    assert COMPLETE.home_credentialing is not None
    return replace(COMPLETE, home_credentialing=replace(COMPLETE.home_credentialing, **changes))


def verif(**changes: object) -> Packet:
    assert COMPLETE.verification is not None
    return replace(COMPLETE, verification=replace(COMPLETE.verification, **changes))


def copy(**changes: object) -> Packet:
    assert COMPLETE.cmo_copy is not None
    return replace(COMPLETE, cmo_copy=replace(COMPLETE.cmo_copy, **changes))


def licensed(**changes: object) -> Packet:
    """The complete packet with its license changed."""
    return replace(COMPLETE, qualifications=(replace(LICENSE, **changes), CERTIFICATION))


def certified(body: str | None) -> Packet:
    """The complete packet with its certification (and the requirement for it) from ``body``."""
    return replace(
        COMPLETE,
        required=(NEEDS_LICENSE, replace(NEEDS_NCCPA, body=body)),
        qualifications=(LICENSE, replace(CERTIFICATION, body=body)),
    )


def employee(kind: PersonType, asha: AshaCredentialing | None) -> Packet:
    return replace(
        COMPLETE,
        person=replace(COMPLETE.person, person_type=kind),
        detailing_agency=None,
        home_credentialing=None,
        verification=None,
        cmo_copy=None,
        asha_credentialing=asha,
    )


def contractor(**changes: object) -> Packet:
    packet = replace(
        COMPLETE,
        person=replace(COMPLETE.person, person_type=PersonType.CONTRACTOR),
        detailing_agency=DetailingAgency(type=AgencyType.PRIVATE, name="Staffing firm LLC"),
        home_credentialing=None,
        verification=None,
        cmo_copy=None,
    )
    return replace(packet, **changes)


# A packet with something wrong for nearly every rule: what DHS-001 and DHS-002 must hide.
BROKEN = replace(
    COMPLETE,
    detailing_agency=DetailingAgency(type=AgencyType.STATE, name="A State agency"),
    home_credentialing=None,
    verification=None,
    cmo_copy=None,
    required=(),
    qualifications=(
        replace(LICENSE, issuer_type=IssuerType.FOREIGN),
        replace(CERTIFICATION, body="X"),
    ),
    asha_credentialing=AshaCredentialing(on=None),
)

DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- the complete packet


def test_the_complete_packet_gives_only_the_privacy_notice() -> None:
    found = evaluate(COMPLETE)
    assert [f.code for f in found] == ["DHS-040"]
    assert found[0].severity is Severity.INFO
    assert PacketContext(COMPLETE, AS_OF).in_scope


@pytest.mark.parametrize("packet", [COMPLETE, contractor()], ids=["detailee", "contractor"])
def test_the_complete_packet_is_valid_through_validate(packet: Packet, tmp_path: Path) -> None:
    report = detailee.validate(packet, "p.xml", as_of=AS_OF, packet_dir=tmp_path)
    assert report.verdict.value == "valid"
    assert report.codes() == ["DHS-040"]
    assert report.facts["in_scope"] is True


def test_complete_employee_with_asha_credentialing_gives_only_the_notice() -> None:
    for kind in (PersonType.EMPLOYEE, PersonType.APPLICANT):
        assert codes(employee(kind, ASHA_DONE)) == {"DHS-040"}


# ---------------------------------------------------------------- one case per variant

CASES: list[tuple[str, Packet, set[str], set[str]]] = [
    # (id, packet, codes that must fire, codes that must not)
    # DHS-001: USCG, by serving component or by whom the services are for
    ("001-serving-uscg", replace(COMPLETE, serving_component="USCG"), {"DHS-001"}, set()),
    ("001-for-uscg", replace(COMPLETE, services_for_uscg=True), {"DHS-001"}, set()),
    ("001-not-for-uscg", replace(COMPLETE, services_for_uscg=False), set(), {"DHS-001"}),
    # DHS-002
    ("002-no-healthcare", replace(COMPLETE, purpose_healthcare=False), {"DHS-002"}, set()),
    (
        "002-uscg-wins",
        replace(COMPLETE, purpose_healthcare=False, serving_component="USCG"),
        {"DHS-001"},
        {"DHS-002"},
    ),
    # DHS-010 / DHS-011: the detailing organization
    ("010-state", agency(AgencyType.STATE), {"DHS-010"}, {"DHS-011"}),
    ("010-local", agency(AgencyType.LOCAL), {"DHS-010"}, {"DHS-011"}),
    ("010-private", agency(AgencyType.PRIVATE), {"DHS-010"}, {"DHS-011"}),
    ("010-foreign", agency(AgencyType.FOREIGN), {"DHS-010"}, {"DHS-011"}),
    ("010-federal", agency(AgencyType.FEDERAL), set(), {"DHS-010", "DHS-011"}),
    ("010-contractor-private", contractor(), set(), {"DHS-010"}),
    ("011-intra-dhs", agency(AgencyType.DHS_COMPONENT), {"DHS-011"}, {"DHS-010"}),
    # DHS-012: home credentialing record and the agency's answer
    ("012-no-record", replace(COMPLETE, home_credentialing=None), {"DHS-012"}, set()),
    ("012-no-agency", home(agency=None), {"DHS-012"}, set()),
    ("012-no-date", home(on=None), {"DHS-012"}, set()),
    ("012-no-scope", home(scope=None), {"DHS-012"}, set()),
    ("012-empty-scope", home(scope=""), {"DHS-012"}, set()),
    (
        "012-not-confirmed",
        verif(result=VerificationResult.NOT_CONFIRMED),
        {"DHS-012"},
        {"DHS-015"},
    ),
    ("012-confirmed", verif(result=VerificationResult.CONFIRMED), set(), {"DHS-012"}),
    ("012-contractor-no-record", contractor(), set(), {"DHS-012", "DHS-013"}),
    # DHS-013: no request
    ("013-no-verification", replace(COMPLETE, verification=None), {"DHS-013"}, {"DHS-015"}),
    ("013-no-request-date", verif(requested_on=None), {"DHS-013"}, {"DHS-014"}),
    # DHS-014: requested after care started (same day allowed)
    ("014-same-day", verif(requested_on=CARE_START), set(), {"DHS-014"}),
    ("014-day-after", verif(requested_on=CARE_START + DAY), {"DHS-014"}, set()),
    ("014-no-care-start", replace(COMPLETE, care_start=None), set(), {"DHS-014"}),
    # DHS-015: no confirmation by the as-of date
    ("015-no-confirmation", verif(confirmed_on=None, result=None), {"DHS-015"}, set()),
    (
        "015-pending",
        verif(confirmed_on=None, result=VerificationResult.PENDING),
        {"DHS-015"},
        {"DHS-012"},
    ),
    ("015-confirmed-after-as-of", verif(confirmed_on=AS_OF + DAY), {"DHS-015"}, set()),
    ("015-confirmed-on-as-of", verif(confirmed_on=AS_OF), set(), {"DHS-015"}),
    # DHS-016: copy to the ASHA/CMO
    ("016-no-copy", replace(COMPLETE, cmo_copy=None), {"DHS-016"}, set()),
    ("016-no-date", copy(on=None), {"DHS-016"}, set()),
    ("016-no-recipient", copy(recipient=None), {"DHS-016"}, set()),
    ("016-response-not-included", copy(includes_response=False), {"DHS-016"}, set()),
    (
        "016-request-only-while-pending",
        replace(
            verif(confirmed_on=None, result=VerificationResult.PENDING),
            cmo_copy=replace(COMPLETE.cmo_copy or CmoCopy(), includes_response=False),
        ),
        {"DHS-015"},
        {"DHS-016"},
    ),
    ("016-contractor-no-copy", contractor(), set(), {"DHS-016"}),
    # DHS-020: required qualification missing, not yet effective, or expired
    (
        "020-missing",
        replace(COMPLETE, qualifications=(CERTIFICATION,)),
        {"DHS-020"},
        {"DHS-021"},
    ),
    (
        "020-wrong-body",
        replace(COMPLETE, qualifications=(LICENSE, replace(CERTIFICATION, body="NREMT"))),
        {"DHS-020"},
        set(),
    ),
    (
        "020-effective-day-after-care-start",
        licensed(effective_on=CARE_START + DAY),
        {"DHS-020"},
        set(),
    ),
    ("020-effective-on-care-start", licensed(effective_on=CARE_START), set(), {"DHS-020"}),
    (
        "020-effective-after-detail-start-no-care-start",
        replace(licensed(effective_on=DETAIL.start + DAY), care_start=None),
        {"DHS-020"},
        set(),
    ),
    ("020-expired-day-before-as-of", licensed(expires_on=AS_OF - DAY), {"DHS-020"}, set()),
    (
        "020-expired-renewed",
        licensed(expires_on=AS_OF - DAY, renewed_to=dt.date(2028, 12, 31)),
        set(),
        {"DHS-020", "DHS-021"},
    ),
    (
        "020-expired-renewal-also-expired",
        licensed(expires_on=AS_OF - 10 * DAY, renewed_to=AS_OF - DAY),
        {"DHS-020"},
        set(),
    ),
    ("020-expires-on-as-of", licensed(expires_on=AS_OF), {"DHS-021"}, {"DHS-020"}),
    (
        "020-contractor-missing",
        contractor(qualifications=(CERTIFICATION,)),
        {"DHS-020"},
        set(),
    ),
    (
        "020-employee-not-checked",
        replace(employee(PersonType.EMPLOYEE, ASHA_DONE), qualifications=(CERTIFICATION,)),
        set(),
        {"DHS-020"},
    ),
    # DHS-021: lapses before the detail ends
    ("021-day-before-end", licensed(expires_on=DETAIL.end - DAY), {"DHS-021"}, {"DHS-020"}),
    ("021-on-end", licensed(expires_on=DETAIL.end), set(), {"DHS-021"}),
    (
        "021-renewed-past-end",
        licensed(expires_on=DETAIL.end - DAY, renewed_to=dt.date(2029, 12, 31)),
        set(),
        {"DHS-021"},
    ),
    (
        "021-contractor",
        contractor(qualifications=(replace(LICENSE, expires_on=DETAIL.end - DAY), CERTIFICATION)),
        {"DHS-021"},
        set(),
    ),
    # DHS-022: who issued the license
    ("022-foreign", licensed(issuer_type=IssuerType.FOREIGN), {"DHS-022"}, set()),
    ("022-national-body", licensed(issuer_type=IssuerType.NATIONAL_BODY), {"DHS-022"}, set()),
    ("022-unstated", licensed(issuer_type=None), {"DHS-022"}, set()),
    ("022-dc", licensed(issuer_type=IssuerType.DC), set(), {"DHS-022"}),
    ("022-territory", licensed(issuer_type=IssuerType.TERRITORY), set(), {"DHS-022"}),
    ("022-possession", licensed(issuer_type=IssuerType.POSSESSION), set(), {"DHS-022"}),
    ("022-state", licensed(issuer_type=IssuerType.STATE), set(), {"DHS-022"}),
    # DHS-023: certification bodies the directive names, and others
    ("023-nremt", certified("NREMT"), set(), {"DHS-023"}),
    ("023-nccpa", certified("NCCPA"), set(), {"DHS-023"}),
    ("023-abns", certified("ABNS"), set(), {"DHS-023"}),
    ("023-ada", certified("ADA"), set(), {"DHS-023"}),
    ("023-abms", certified("ABMS"), set(), {"DHS-023"}),
    ("023-abem", certified("American Board of Emergency Medicine"), set(), {"DHS-023"}),
    ("023-abem-short", certified("ABEM"), set(), {"DHS-023"}),
    (
        "023-case",
        certified("national registry of emergency medical technicians"),
        set(),
        {"DHS-023"},
    ),
    ("023-aha", certified("American Heart Association"), {"DHS-023"}, set()),
    ("023-abps-not-abms", certified("American Board of Physician Specialties"), {"DHS-023"}, set()),
    ("023-no-body", certified(None), {"DHS-023"}, set()),
    # DHS-024: requirements not stated
    ("024-detailee", replace(COMPLETE, required=()), {"DHS-024"}, {"DHS-020"}),
    ("024-contractor", contractor(required=()), {"DHS-024"}, set()),
    (
        "024-employee",
        replace(employee(PersonType.EMPLOYEE, ASHA_DONE), required=()),
        set(),
        {"DHS-024"},
    ),
    # DHS-030: employee or applicant on the detailee path
    ("030-employee", employee(PersonType.EMPLOYEE, None), {"DHS-030"}, {"DHS-031"}),
    ("030-applicant", employee(PersonType.APPLICANT, None), {"DHS-030"}, {"DHS-031"}),
    (
        "030-employee-undated",
        employee(PersonType.EMPLOYEE, replace(ASHA_DONE, on=None)),
        {"DHS-030"},
        {"DHS-031"},
    ),
    ("030-employee-credentialed", employee(PersonType.EMPLOYEE, ASHA_DONE), set(), {"DHS-030"}),
    ("030-detailee", replace(COMPLETE, asha_credentialing=None), set(), {"DHS-030"}),
    # DHS-031: each missing primary source verification
    (
        "031-education",
        employee(PersonType.EMPLOYEE, replace(ASHA_DONE, psv_education=False)),
        {"DHS-031"},
        {"DHS-030"},
    ),
    (
        "031-license",
        employee(PersonType.EMPLOYEE, replace(ASHA_DONE, psv_license=None)),
        {"DHS-031"},
        {"DHS-030"},
    ),
    (
        "031-certification",
        employee(PersonType.APPLICANT, replace(ASHA_DONE, psv_certification=False)),
        {"DHS-031"},
        {"DHS-030"},
    ),
    # DHS-040: always
    ("040-complete", COMPLETE, {"DHS-040"}, set()),
]


@pytest.mark.parametrize(
    ("packet", "fires", "silent"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_case(packet: Packet, fires: set[str], silent: set[str]) -> None:
    found = codes(packet)
    assert fires <= found, f"expected {sorted(fires)}, got {sorted(found)}"
    assert not (silent & found), f"did not expect {sorted(silent & found)}"


# Catalogued, applied only where the packet's signed ICTB is evaluated without a trust
# store; that path is not part of the packet rules exercised here.
NOT_YET_APPLIED = {"DHS-017"}


def test_every_dhs_code_is_exercised_and_none_but_040_in_the_complete_case() -> None:
    catalogued = {code for code in catalog() if code.startswith("DHS-")}
    assert catalogued <= DHS_CODES | NOT_YET_APPLIED
    fired = set().union(*(case[2] for case in CASES))
    assert fired == catalogued - NOT_YET_APPLIED
    assert codes(COMPLETE) & catalogued == {"DHS-040"}


def test_cases_fire_with_their_catalogued_severity_and_citation() -> None:
    seen: dict[str, Finding] = {}
    for _, packet, _, _ in CASES:
        for f in evaluate(packet):
            seen.setdefault(f.code, f)
    for code, f in seen.items():
        rule = catalog()[code]
        assert f.severity is rule.severity, code
        assert f.source == rule.source and f.source.startswith("DHS MQM directive"), code
        assert f.location and f.location.startswith("/detailee_packet"), code


# ---------------------------------------------------------------- scope: DHS-001, DHS-002


@pytest.mark.parametrize(
    "packet",
    [replace(BROKEN, serving_component="USCG"), replace(BROKEN, services_for_uscg=True)],
    ids=["serving-uscg", "for-uscg"],
)
def test_uscg_stops_every_other_rule(packet: Packet) -> None:
    assert codes(replace(BROKEN, serving_component="ICE")) >= {
        "DHS-010",
        "DHS-013",
        "DHS-022",
        "DHS-023",
        "DHS-024",
        "DHS-031",
    }
    found = evaluate(packet)
    assert {f.code for f in found} == {"DHS-001", "DHS-040"}
    (uscg,) = (f for f in found if f.code == "DHS-001")
    assert uscg.severity is Severity.ERROR
    assert "DoD, TRICARE and USCG" in uscg.message
    assert uscg.location == "/detailee_packet/serving_component"
    assert not PacketContext(packet, AS_OF).in_scope


def test_no_healthcare_purpose_stops_every_other_rule() -> None:
    packet = replace(BROKEN, purpose_healthcare=False)
    found = evaluate(packet)
    assert {f.code for f in found} == {"DHS-002", "DHS-040"}
    assert all(f.severity is Severity.INFO for f in found)
    assert not PacketContext(packet, AS_OF).in_scope


def test_uscg_packet_is_invalid_and_not_in_scope_through_validate(tmp_path: Path) -> None:
    report = detailee.validate(
        replace(BROKEN, serving_component="USCG"), "p.xml", as_of=AS_OF, packet_dir=tmp_path
    )
    assert report.verdict.value == "invalid"
    assert report.facts["in_scope"] is False


# ---------------------------------------------------------------- messages name what is wrong


@pytest.mark.parametrize(
    ("packet", "missing"),
    [
        (home(agency=None), "agency"),
        (home(on=None), "date"),
        (home(scope=None), "scope"),
        (replace(COMPLETE, home_credentialing=None), "agency, date, scope"),
    ],
    ids=["agency", "date", "scope", "all"],
)
def test_dhs_012_names_what_is_missing(packet: Packet, missing: str) -> None:
    (found,) = of(packet, "DHS-012")
    assert found.message.endswith(f"(missing {missing})")
    assert found.location == "/detailee_packet/home_credentialing"


def test_dhs_012_not_confirmed_points_at_the_result() -> None:
    (found,) = of(verif(result=VerificationResult.NOT_CONFIRMED), "DHS-012")
    assert "does not confirm" in found.message
    assert found.location == "/detailee_packet/verification/result"


def test_dhs_014_gives_both_dates() -> None:
    (found,) = of(verif(requested_on=CARE_START + DAY), "DHS-014")
    assert "2027-01-06" in found.message and "2027-01-05" in found.message


def test_dhs_020_messages_say_which_way_the_requirement_fails() -> None:
    (missing,) = of(replace(COMPLETE, qualifications=(CERTIFICATION,)), "DHS-020")
    assert "missing" in missing.message and missing.location == "/detailee_packet/required[1]"
    (early,) = of(licensed(effective_on=CARE_START + DAY), "DHS-020")
    assert "not yet in force on 2027-01-05" in early.message
    (lapsed,) = of(licensed(expires_on=AS_OF - DAY), "DHS-020")
    assert "expired on 2026-12-19" in lapsed.message
    (cert,) = of(replace(COMPLETE, qualifications=(LICENSE,)), "DHS-020")
    assert cert.location == "/detailee_packet/required[2]" and "NCCPA" in cert.message


def test_dhs_021_is_a_warning_naming_the_expiry_and_the_detail_end() -> None:
    (found,) = of(licensed(expires_on=DETAIL.end - DAY), "DHS-021")
    assert found.severity is Severity.WARNING
    assert "2027-06-29" in found.message and "2027-06-30" in found.message


def test_dhs_021_uses_a_later_renewal_to_say_how_long_it_lasts() -> None:
    (found,) = of(licensed(expires_on=AS_OF - DAY, renewed_to=DETAIL.end - DAY), "DHS-021")
    assert "2027-06-29" in found.message


def test_dhs_022_points_at_the_license() -> None:
    packet = replace(
        COMPLETE,
        qualifications=(LICENSE, CERTIFICATION, replace(LICENSE, issuer_type=IssuerType.FOREIGN)),
    )
    (found,) = of(packet, "DHS-022")
    assert found.location == "/detailee_packet/qualification[3]"
    assert "foreign" in found.message


def test_dhs_023_does_not_apply_to_licenses_or_registrations() -> None:
    registration = Qualification(kind=QualificationKind.REGISTRATION, body="Somebody")
    packet = replace(COMPLETE, qualifications=(*COMPLETE.qualifications, registration))
    assert "DHS-023" not in codes(packet)
    assert "DHS-023" not in codes(licensed(body="Some licensing board"))


def test_dhs_031_names_each_missing_verification() -> None:
    none = replace(ASHA_DONE, psv_education=None, psv_license=None, psv_certification=None)
    (found,) = of(employee(PersonType.EMPLOYEE, none), "DHS-031")
    assert found.message.endswith("education, licenses, certifications and registrations")
    (one,) = of(employee(PersonType.EMPLOYEE, replace(ASHA_DONE, psv_license=False)), "DHS-031")
    assert one.message.endswith("of licenses")


def test_dhs_040_is_always_there_even_out_of_scope() -> None:
    for _, packet, _, _ in CASES:
        found = [f for f in evaluate(packet) if f.code == "DHS-040"]
        assert len(found) == 1 and found[0].severity is Severity.INFO


# ---------------------------------------------------------------- suspected bugs


def test_a_pending_result_is_not_a_confirmation_even_with_a_date() -> None:
    assert "DHS-015" in codes(verif(result=VerificationResult.PENDING))


@pytest.mark.parametrize(
    "body",
    [
        "American Academy of Nurse Practitioners Certification Board",
        "American Nurses Credentialing Center",
        "American Board of Oral and Maxillofacial Surgery",
    ],
)
def test_boards_recognized_by_abns_or_the_ada_are_named_bodies(body: str) -> None:
    assert "DHS-023" not in codes(certified(body))


# ---------------------------------------------------------------- DoD rules never apply


ALL_PACKETS = [case[1] for case in CASES] + [BROKEN, COMPLETE]


@pytest.mark.parametrize("with_trust", [False, True], ids=["no-trust", "trust"])
def test_no_dod_rule_codes_for_a_packet_without_a_signed_ictb(
    with_trust: bool, tmp_path: Path
) -> None:
    trust = keys.TrustStore.load(Path(__file__).resolve().parents[1] / "keys" / "demo-trust")
    for packet in ALL_PACKETS:
        assert packet.signed_ictb is None
        report = detailee.validate(
            packet, "p.xml", as_of=AS_OF, packet_dir=tmp_path, trust=trust if with_trust else None
        )
        assert all(code.startswith("DHS-") for code in report.codes()), report.codes()
        assert "signed_ictb" not in report.facts


# ---------------------------------------------------------------- SSN and DOB never shown


def _forms(value: dt.date) -> list[str]:
    return [value.isoformat(), value.strftime("%m/%d/%Y"), value.strftime("%Y%m%d")]


def test_ssn_and_dob_never_appear_in_findings_or_facts(tmp_path: Path) -> None:
    secrets = [SSN, SSN.replace("-", ""), *_forms(DOB)]
    assert COMPLETE.person.ssn == SSN and COMPLETE.person.dob == DOB
    for packet in ALL_PACKETS:
        assert packet.person.ssn == SSN
        report = detailee.validate(packet, "p.xml", as_of=AS_OF, packet_dir=tmp_path)
        text = json.dumps(report.as_dict(), default=str)
        for f in report.findings:
            for part in (f.message, f.location or "", f.source):
                assert not any(s in part for s in secrets), f
        assert not any(s in text for s in secrets)


# ---------------------------------------------------------------- XML and JSON forms

COMPLETE_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<detailee_packet xmlns="urn:ictb:detailee-packet:1">
  <packet_id>ICE-IHSC-2026-9001</packet_id>
  <serving_component>ICE</serving_component>
  <component_unit>ICE Health Service Corps, test clinic</component_unit>
  <services_for_uscg>false</services_for_uscg>
  <purpose_healthcare>true</purpose_healthcare>
  <designated_service>Sick call and chronic care of detainees</designated_service>
  <person>
    <name><given>Perpetua</given><middle>Nell</middle><family>Strandqvist</family></name>
    <person_type>detailee</person_type>
    <position_title>Physician Assistant</position_title>
    <discipline>physician assistant</discipline>
    <ssn>{SSN}</ssn>
    <dob>{DOB.isoformat()}</dob>
  </person>
  <detailing_agency>
    <name>Federal Bureau of Prisons</name><type>federal</type><dod_mtf>false</dod_mtf>
  </detailing_agency>
  <detail><start>2027-01-04</start><end>2027-06-30</end></detail>
  <care_start>2027-01-05</care_start>
  <home_credentialing>
    <agency>Federal Bureau of Prisons, FCI Test Health Services</agency>
    <on>2026-10-01</on>
    <scope>Physician assistant, primary care</scope>
  </home_credentialing>
  <verification>
    <requested_on>2026-12-01</requested_on>
    <confirmed_on>2026-12-10</confirmed_on>
    <result>confirmed</result>
  </verification>
  <cmo_copy>
    <on>2026-12-11</on>
    <recipient>DHS Office of Health Security, ASHA/CMO</recipient>
    <includes_response>true</includes_response>
  </cmo_copy>
  <required><kind>license</kind><description>State PA license</description></required>
  <required>
    <kind>certification</kind><body>NCCPA</body><description>NCCPA certification</description>
  </required>
  <qualification>
    <kind>license</kind>
    <title>Physician Assistant license</title>
    <issuer>Texas Physician Assistant Board</issuer>
    <issuer_type>state</issuer_type>
    <number>PA10442</number>
    <effective_on>2025-07-01</effective_on>
    <expires_on>2027-12-31</expires_on>
  </qualification>
  <qualification>
    <kind>certification</kind>
    <title>PA-C</title>
    <issuer>National Commission on Certification of Physician Assistants</issuer>
    <issuer_type>national_body</issuer_type>
    <body>NCCPA</body>
    <number>1166023</number>
    <effective_on>2025-01-01</effective_on>
    <expires_on>2028-12-31</expires_on>
  </qualification>
  <remarks>A test packet.</remarks>
</detailee_packet>
"""

COMPLETE_JSON = {
    "packet_id": "ICE-IHSC-2026-9001",
    "serving_component": "ICE",
    "component_unit": "ICE Health Service Corps, test clinic",
    "services_for_uscg": False,
    "purpose_healthcare": True,
    "designated_service": ["Sick call and chronic care of detainees"],
    "person": {
        "name": {"given": "Perpetua", "middle": "Nell", "family": "Strandqvist"},
        "person_type": "detailee",
        "position_title": "Physician Assistant",
        "discipline": "physician assistant",
        "ssn": SSN,
        "dob": DOB.isoformat(),
    },
    "detailing_agency": {"name": "Federal Bureau of Prisons", "type": "federal", "dod_mtf": False},
    "detail": {"start": "2027-01-04", "end": "2027-06-30"},
    "care_start": "2027-01-05",
    "home_credentialing": {
        "agency": "Federal Bureau of Prisons, FCI Test Health Services",
        "on": "2026-10-01",
        "scope": "Physician assistant, primary care",
    },
    "verification": {
        "requested_on": "2026-12-01",
        "confirmed_on": "2026-12-10",
        "result": "confirmed",
    },
    "cmo_copy": {
        "on": "2026-12-11",
        "recipient": "DHS Office of Health Security, ASHA/CMO",
        "includes_response": True,
    },
    "required": [
        {"kind": "license", "description": "State PA license"},
        {"kind": "certification", "body": "NCCPA", "description": "NCCPA certification"},
    ],
    "qualification": [
        {
            "kind": "license",
            "title": "Physician Assistant license",
            "issuer": "Texas Physician Assistant Board",
            "issuer_type": "state",
            "number": "PA10442",
            "effective_on": "2025-07-01",
            "expires_on": "2027-12-31",
        },
        {
            "kind": "certification",
            "title": "PA-C",
            "issuer": "National Commission on Certification of Physician Assistants",
            "issuer_type": "national_body",
            "body": "NCCPA",
            "number": "1166023",
            "effective_on": "2025-01-01",
            "expires_on": "2028-12-31",
        },
    ],
    "remarks": "A test packet.",
}


def test_xml_and_json_forms_of_the_same_packet_load_equal(tmp_path: Path) -> None:
    xml_path, json_path = tmp_path / "p.xml", tmp_path / "p.json"
    xml_path.write_text(COMPLETE_XML, encoding="utf-8")
    json_path.write_text(json.dumps(COMPLETE_JSON, indent=2), encoding="utf-8")
    from_xml, from_json = detailee.load(xml_path), detailee.load(json_path)
    assert from_xml == from_json == COMPLETE


def test_json_key_order_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(dict(reversed(list(COMPLETE_JSON.items())))), encoding="utf-8")
    assert detailee.load(path) == COMPLETE


def test_json_and_xml_differ_when_the_content_differs(tmp_path: Path) -> None:
    changed = dict(COMPLETE_JSON, care_start="2027-01-06")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert detailee.load(path) == replace(COMPLETE, care_start=dt.date(2027, 1, 6))
    assert detailee.load(path) != COMPLETE


PACKET_SAMPLES = sorted(
    p
    for p in (SAMPLES / "detailee").iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".ictb.xml")
)


@pytest.mark.parametrize("path", PACKET_SAMPLES, ids=lambda p: p.name)
def test_each_sample_has_the_same_meaning_in_the_other_form(path: Path, tmp_path: Path) -> None:
    from ictb import schema, xmlsafe

    packet = detailee.load(path)
    root = schema.parse_document(
        path.read_bytes(), str(path), detailee.XSD, detailee.NS, detailee.ROOT
    )
    as_xml = tmp_path / "same.xml"
    as_xml.write_bytes(xmlsafe.serialize(root))
    as_json = tmp_path / "same.json"
    as_json.write_text(json.dumps(schema.xml_to_json_obj(root, detailee.XSD)), encoding="utf-8")
    assert detailee.load(as_xml) == detailee.load(as_json) == packet
    assert packet.person.name is not None and packet.qualifications


@pytest.mark.parametrize("path", PACKET_SAMPLES, ids=lambda p: p.name)
def test_sample_identifiers_are_invented(path: Path) -> None:
    packet = detailee.load(path)
    assert packet.person.ssn is None or packet.person.ssn.startswith("9")
