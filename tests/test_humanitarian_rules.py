"""HUM-001..031 and PRIV-010 on mission rosters (RULES.md §8; DoDM 6025.13 Encl. 4 §8).

Each rule fires on a roster made from a complete one with ``dataclasses.replace``, and
stays silent on the complete roster.  The mission is invented: a hospital-ship mission
evaluated on 2027-01-03, the day before it starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from ictb import rules
from ictb.findings import Finding, Severity, finding
from ictb.mission import (
    ArrivingProvider,
    Authorization,
    ForeignDocuments,
    ForeignProvider,
    HostNationRelease,
    Mission,
    MissionRoster,
    Mrc,
    Ngo,
    NgoRole,
    ObservedPractice,
    ReleasedDocument,
    ReleasedKind,
    Smdr,
)
from ictb.model import Brief, Component, PersonName
from ictb.rules.humanitarian import (
    MISSION_CODES,
    PROVIDER_CODES,
    IctbReview,
    MissionContext,
    ProviderContext,
)
from tests import factories

AS_OF = dt.date(2027, 1, 3)
REPORT = dt.date(2027, 1, 4)
FIRST_DAY = dt.date(2027, 1, 5)
DEPART = dt.date(2027, 2, 26)
SMDR = "CAPT Rosalind H. Achterberg, MC, USN"
SPECIALTY = "Emergency Medicine"  # the specialty of the factories' ICTB

PARTICIPANT = Ngo(
    id="hagmm",
    name="Hands Across the Gulf Medical Mission",
    role=NgoRole.PARTICIPANT,
    mou_role_stated=True,
    in_dod_facility_or_platform=True,
    medical_director="Dr. Esperanza L. Whitcombe, MD",
)
COOPERATING = Ngo(
    id="lfa",
    name="Lifeline Field Alliance",
    role=NgoRole.COOPERATING_PARTY,
    mou_role_stated=True,
    in_dod_facility_or_platform=False,
    medical_director="Dr. Bartholomew K. Nnamdi-Varga, MD",
    md_assurance=True,
)
ALL_DOCS = ForeignDocuments(
    training=True, license=True, education=True, specialty=True, competencies=True
)


def authorization(**overrides: Any) -> Authorization:
    base = Authorization(by=SMDR, on=dt.date(2026, 12, 28), specialty=SPECIALTY, independent=True)
    return replace(base, **overrides)


def dod(**overrides: Any) -> ArrivingProvider:
    """An active duty provider with a current MRC, an ICTB and the SMDR's authorization."""
    base = ArrivingProvider(
        id="ad-emergency-physician",
        name=PersonName(given="Miriam", middle="Teresa", family="Castellano"),
        specialty=SPECIALTY,
        component=Component.AD,
        report_on=REPORT,
        depart_on=DEPART,
        first_clinical_day=FIRST_DAY,
        ictb="ictbs/ad-emergency-physician.signed.ictb.xml",
        mrc=Mrc(issued_on=dt.date(2026, 10, 20), expires_on=dt.date(2027, 10, 19)),
        authorization=authorization(),
    )
    return replace(base, **overrides)


def ngo_member(**overrides: Any) -> ArrivingProvider:
    """A member of the participant NGO whose Medical Director documented everything."""
    base = ArrivingProvider(
        id="ngo-ophthalmologist",
        name=PersonName(given="Renata", family="Castellucci"),
        specialty="Ophthalmology",
        component=Component.NGO_MEMBER,
        report_on=REPORT,
        depart_on=DEPART,
        first_clinical_day=FIRST_DAY,
        ngo=PARTICIPANT.id,
        ngo_docs_ok=True,
        us_license=True,
        authorization=authorization(specialty="Ophthalmology"),
    )
    return replace(base, **overrides)


def foreign(**overrides: Any) -> ArrivingProvider:
    """A Honduran physician: licensed at home, documented, observed before duties."""
    base = ArrivingProvider(
        id="hn-internist",
        name=PersonName(given="Marco", middle="Antonio", family="Zelaya Funes"),
        specialty="Internal Medicine",
        component=Component.FOREIGN,
        report_on=REPORT,
        depart_on=DEPART,
        first_clinical_day=dt.date(2027, 1, 11),
        foreign=foreign_block(),
        authorization=authorization(on=dt.date(2027, 1, 9), specialty="Internal Medicine"),
    )
    return replace(base, **overrides)


def foreign_block(**overrides: Any) -> ForeignProvider:
    base = ForeignProvider(
        country="Republic of Honduras",
        country_license=True,
        docs=ALL_DOCS,
        observed=ObservedPractice(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 8)),
        duties_start=dt.date(2027, 1, 11),
    )
    return replace(base, **overrides)


def release(**overrides: Any) -> HostNationRelease:
    base = HostNationRelease(
        required_by_hn=True,
        return_or_protect_requested=True,
        documents=(
            ReleasedDocument(kind=ReleasedKind.DIPLOMA, provider="ad-emergency-physician"),
            ReleasedDocument(kind=ReleasedKind.STATE_LICENSE, provider="ad-emergency-physician"),
            ReleasedDocument(
                kind=ReleasedKind.ICTB, provider="ad-emergency-physician", redacted=True
            ),
        ),
    )
    return replace(base, **overrides)


def roster(**overrides: Any) -> MissionRoster:
    base = MissionRoster(
        mission=Mission(
            name="Continuing Promise 2027",
            host_nation="Republic of Honduras",
            start=REPORT,
            end=DEPART,
            platform="USNS Comfort (T-AH-20)",
            smdr=Smdr(name=SMDR, title="Senior Medical Department Representative"),
        ),
        ngos=(PARTICIPANT, COOPERATING),
        providers=(dod(), ngo_member(), foreign()),
        host_nation_release=release(),
    )
    return replace(base, **overrides)


def brief(**privilege_overrides: Any) -> Brief:
    """The factories' complete ICTB (an emergency physician with regular privileges)."""
    base = factories.build_brief(factories.complete_record())
    assert base.privileges is not None
    return replace(base, privileges=replace(base.privileges, **privilege_overrides))


def verified(the_brief: Brief | None = None, *found: Finding) -> IctbReview:
    return IctbReview(the_brief if the_brief is not None else brief(), tuple(found))


def provider_findings(
    provider: ArrivingProvider,
    *,
    as_of: dt.date = AS_OF,
    ictb: IctbReview | None = None,
    mission_roster: MissionRoster | None = None,
) -> list[Finding]:
    if ictb is None and provider.is_dod:
        ictb = verified()
    the_roster = mission_roster or roster(providers=(provider,))
    return rules.evaluate(ProviderContext(the_roster, provider, as_of, ictb), PROVIDER_CODES)


def codes(found: list[Finding]) -> list[str]:
    return sorted(f.code for f in found)


def provider_codes(provider: ArrivingProvider, **kwargs: Any) -> list[str]:
    return codes(provider_findings(provider, **kwargs))


def mission_codes(mission_roster: MissionRoster) -> list[str]:
    return codes(rules.evaluate(MissionContext(mission_roster, AS_OF), MISSION_CODES))


def only(found: list[Finding], code: str) -> Finding:
    matching = [f for f in found if f.code == code]
    assert len(matching) == 1, codes(found)
    return matching[0]


# ---------------------------------------------------------------- complete cases


@pytest.mark.parametrize(
    "provider",
    [
        dod(),
        dod(component=Component.RC),
        dod(component=Component.NG),
        dod(component=Component.DOD_CIVILIAN),
        dod(component=Component.PSC_CONTRACTOR),
        dod(component=Component.NPSC_CONTRACTOR),
        ngo_member(),
        foreign(),
    ],
    ids=lambda p: p.component.value,
)
def test_a_complete_provider_fires_nothing(provider: ArrivingProvider) -> None:
    assert provider_codes(provider) == []


def test_the_complete_roster_fires_no_mission_rule() -> None:
    assert mission_codes(roster()) == []


def test_complete_providers_fire_nothing_on_and_after_their_first_clinical_day() -> None:
    for provider in (dod(), ngo_member(), foreign()):
        for day in (provider.first_day, provider.depart_on):
            assert provider_codes(provider, as_of=day) == [], (provider.id, day)


# ---------------------------------------------------------------- HUM-001 (authorization)


def test_hum_001_authorization_on_the_first_clinical_day_is_in_time() -> None:
    provider = dod(authorization=authorization(on=FIRST_DAY))
    assert provider_codes(provider, as_of=FIRST_DAY) == []


def test_hum_001_authorization_the_day_after_the_first_clinical_day_is_late() -> None:
    provider = dod(authorization=authorization(on=FIRST_DAY + dt.timedelta(days=1)))
    found = provider_findings(provider, as_of=AS_OF)
    assert codes(found) == ["HUM-001"]
    late = only(found, "HUM-001")
    assert late.severity is Severity.ERROR
    assert "2027-01-06" in late.message and "2027-01-05" in late.message
    assert late.location == "/mission_roster/provider[ad-emergency-physician]/authorization"


def test_hum_001_does_not_fire_before_the_first_clinical_day_without_authorization() -> None:
    provider = dod(authorization=None)
    assert provider_codes(provider, as_of=FIRST_DAY - dt.timedelta(days=1)) == []


def test_hum_001_fires_on_the_first_clinical_day_without_authorization() -> None:
    provider = dod(authorization=None)
    found = provider_findings(provider, as_of=FIRST_DAY)
    assert codes(found) == ["HUM-001"]
    assert "2027-01-05" in only(found, "HUM-001").message


def test_hum_001_without_a_first_clinical_day_counts_from_the_report_date() -> None:
    provider = dod(authorization=None, first_clinical_day=None)
    assert provider_codes(provider, as_of=REPORT - dt.timedelta(days=1)) == []
    assert provider_codes(provider, as_of=REPORT) == ["HUM-001"]


@pytest.mark.parametrize("missing", ["by", "on", "specialty"])
def test_hum_001_an_incomplete_authorization_is_no_authorization(missing: str) -> None:
    provider = dod(authorization=authorization(**{missing: None}))
    assert provider_codes(provider, as_of=FIRST_DAY - dt.timedelta(days=1)) == []
    assert provider_codes(provider, as_of=FIRST_DAY) == ["HUM-001"]


@pytest.mark.parametrize("make", [ngo_member, foreign], ids=["ngo", "foreign"])
def test_hum_001_applies_to_ngo_participants_and_foreign_providers(make: Any) -> None:
    provider = make(authorization=None)
    assert provider_codes(provider, as_of=provider.first_day) == ["HUM-001"]


def test_hum_001_not_for_members_of_a_cooperating_party() -> None:
    provider = ngo_member(ngo=COOPERATING.id, authorization=None, ngo_docs_ok=None)
    assert provider_codes(provider, as_of=DEPART) == ["HUM-014"]


# ---------------------------------------------------------------- HUM-002, PRIV-010 (scope)


def test_hum_002_authorized_specialty_not_the_ictb_specialty() -> None:
    provider = dod(authorization=authorization(specialty="General Surgery"))
    found = provider_findings(provider)
    assert codes(found) == ["HUM-002"]
    message = only(found, "HUM-002").message
    assert "'General Surgery'" in message and f"'{SPECIALTY}'" in message


def test_hum_002_specialty_compared_without_case_or_spacing() -> None:
    provider = dod(authorization=authorization(specialty="  emergency   MEDICINE "))
    assert provider_codes(provider) == []


def test_hum_002_and_priv_010_independent_practice_on_supervised_privileges() -> None:
    supervised = verified(brief(category="supervised", independent=False))
    found = provider_findings(dod(), ictb=supervised)
    assert codes(found) == ["HUM-002", "PRIV-010"]
    assert all(f.severity is Severity.ERROR for f in found)
    assert all(f.location and f.location.endswith("/authorization/independent") for f in found)


def test_supervised_privileges_authorized_as_supervised_practice_are_fine() -> None:
    supervised = verified(brief(category="supervised", independent=False))
    provider = dod(authorization=authorization(independent=False))
    assert provider_codes(provider, ictb=supervised) == []
    # "provisional" is the old word for supervised (Interp. A10).
    provisional = verified(brief(category="Provisional privileges", independent=False))
    assert provider_codes(dod(), ictb=provisional) == ["HUM-002", "PRIV-010"]


def test_hum_002_needs_a_verified_ictb() -> None:
    provider = dod(authorization=authorization(specialty="General Surgery"))
    missing = IctbReview(None, (), "no such file")
    assert "HUM-002" not in provider_codes(provider, ictb=missing)


# ---------------------------------------------------------------- HUM-003, 004, 006 (MRC)


def test_hum_003_no_mrc() -> None:
    found = provider_findings(dod(mrc=None))
    assert codes(found) == ["HUM-003"]
    assert only(found, "HUM-003").severity is Severity.ERROR
    assert "Interp. A14" not in only(found, "HUM-003").message


def test_hum_003_an_empty_mrc_is_no_mrc() -> None:
    assert provider_codes(dod(mrc=Mrc())) == ["HUM-003"]


def test_hum_003_mrc_expiring_the_day_before_the_report_date() -> None:
    provider = dod(mrc=Mrc(issued_on=dt.date(2026, 1, 4), expires_on=REPORT - dt.timedelta(1)))
    found = provider_findings(provider)
    assert codes(found) == ["HUM-003"]
    assert "2027-01-03" in only(found, "HUM-003").message


def test_hum_003_mrc_expiring_on_the_report_date_is_current() -> None:
    provider = dod(mrc=Mrc(issued_on=dt.date(2026, 1, 4), expires_on=REPORT))
    assert provider_codes(provider) == []


def test_hum_003_mrc_issued_after_the_report_date() -> None:
    provider = dod(mrc=Mrc(issued_on=REPORT + dt.timedelta(1), expires_on=dt.date(2028, 1, 4)))
    assert provider_codes(provider) == ["HUM-003"]
    on_the_day = dod(mrc=Mrc(issued_on=REPORT, expires_on=dt.date(2028, 1, 3)))
    assert provider_codes(on_the_day) == []


@pytest.mark.parametrize("component", [Component.AD, Component.RC, Component.NG])
def test_hum_004_a_service_member_deployed_through_a_program_needs_no_mrc(
    component: Component,
) -> None:
    provider = dod(component=component, mrc=None, deploy_program="Navy Individual Augmentee")
    found = provider_findings(provider)
    assert codes(found) == ["HUM-004"]
    assert only(found, "HUM-004").severity is Severity.INFO
    assert "Navy Individual Augmentee" in only(found, "HUM-004").message


@pytest.mark.parametrize(
    "component", [Component.DOD_CIVILIAN, Component.PSC_CONTRACTOR, Component.NPSC_CONTRACTOR]
)
def test_a14_civilians_and_contractors_need_an_mrc_despite_a_deployment_program(
    component: Component,
) -> None:
    provider = dod(
        component=component, mrc=None, deploy_program="DoD Expeditionary Civilian program"
    )
    found = provider_findings(provider)
    assert codes(found) == ["HUM-003"]
    assert "service members only" in only(found, "HUM-003").message


def test_hum_004_not_without_a_recorded_program() -> None:
    assert provider_codes(dod(mrc=None, deploy_program=None)) == ["HUM-003"]


def test_a_current_mrc_makes_the_program_irrelevant() -> None:
    provider = dod(deploy_program="Navy Individual Augmentee")
    assert provider_codes(provider) == []


def test_hum_006_mrc_without_expiry() -> None:
    found = provider_findings(dod(mrc=Mrc(issued_on=dt.date(2026, 10, 20))))
    assert codes(found) == ["HUM-006"]
    assert only(found, "HUM-006").severity is Severity.WARNING


def test_mrc_rules_are_for_dod_providers_only() -> None:
    for provider in (ngo_member(mrc=None), foreign(mrc=None)):
        assert provider_codes(provider) == []


# ---------------------------------------------------------------- HUM-005 (ICTB)


def test_hum_005_no_ictb_named() -> None:
    # provider_findings gives DoD providers a verified ICTB by default: pass none at all.
    found = rules.evaluate(ProviderContext(roster(), dod(ictb=None), AS_OF, None), PROVIDER_CODES)
    assert codes(found) == ["HUM-005"]
    assert "no ICTB is named" in only(found, "HUM-005").message


def test_hum_005_an_ictb_that_cannot_be_used() -> None:
    review = IctbReview(None, (), "the ICTB does not verify (ICTB-040)")
    found = provider_findings(dod(), ictb=review)
    assert codes(found) == ["HUM-005"]
    assert "ICTB-040" in only(found, "HUM-005").message


@pytest.mark.parametrize(
    "code",
    [
        "ICTB-001",
        "ICTB-013",
        "ICTB-020",
        "ICTB-021",
        "ICTB-026",
        "ICTB-030",
        "ICTB-031",
        "ICTB-032",
    ],
)
def test_hum_005_a_blocking_ictb_error(code: str) -> None:
    review = verified(brief(), finding(code, "a blocking problem"))
    found = provider_findings(dod(), ictb=review)
    assert codes(found) == ["HUM-005"]
    assert code in only(found, "HUM-005").message


def test_hum_005_not_for_ictb_warnings() -> None:
    review = verified(
        brief(),
        finding("ICTB-022", "privileges expire on the last day"),
        finding("ICTB-024", "several periods"),
    )
    assert provider_codes(dod(), ictb=review) == []


def test_hum_005_not_for_a_blocking_code_reported_below_error() -> None:
    # HUM-005 counts the ICTB's errors (RULES.md §8), not a code reported as a warning.
    downgraded = finding("ICTB-026", "an authorizing license lapses", severity=Severity.WARNING)
    assert provider_codes(dod(), ictb=verified(brief(), downgraded)) == []


def test_hum_005_is_for_dod_providers_only() -> None:
    assert provider_codes(ngo_member(), ictb=None) == []
    assert provider_codes(foreign(), ictb=None) == []


# ---------------------------------------------------------------- HUM-007 (other providers)


@pytest.mark.parametrize("component", [Component.OTHER_FEDERAL, Component.VOLUNTEER])
def test_hum_007_neither_dod_nor_ngo_nor_foreign(component: Component) -> None:
    provider = replace(ngo_member(), component=component, ngo=None)
    found = provider_findings(provider)
    assert codes(found) == ["HUM-007"]
    assert only(found, "HUM-007").severity is Severity.WARNING


def test_hum_007_a_us_licensed_foreign_national_outside_an_ngo_is_other() -> None:
    provider = foreign(us_license=True)
    assert provider_codes(provider) == ["HUM-007", "HUM-023"]


# ---------------------------------------------------------------- NGOs (HUM-010..014)


@pytest.mark.parametrize("docs", [False, None])
def test_hum_010_participant_member_without_medical_director_documentation(
    docs: bool | None,
) -> None:
    found = provider_findings(ngo_member(ngo_docs_ok=docs))
    assert codes(found) == ["HUM-010"]
    assert PARTICIPANT.name in only(found, "HUM-010").message
    assert only(found, "HUM-010").severity is Severity.ERROR


def test_hum_014_cooperating_party_member_is_outside_smdr_verification() -> None:
    provider = ngo_member(ngo=COOPERATING.id, ngo_docs_ok=False)
    found = provider_findings(provider)
    assert codes(found) == ["HUM-014"]  # and not HUM-010
    assert only(found, "HUM-014").severity is Severity.INFO
    context = ProviderContext(roster(providers=(provider,)), provider, AS_OF)
    assert context.verified_by_smdr is False
    assert ProviderContext(roster(), ngo_member(), AS_OF).verified_by_smdr is True


def test_hum_011_cooperating_party_on_a_dod_platform() -> None:
    moved = replace(COOPERATING, in_dod_facility_or_platform=True)
    found = rules.evaluate(MissionContext(roster(ngos=(PARTICIPANT, moved)), AS_OF), MISSION_CODES)
    assert codes(found) == ["HUM-011"]
    assert only(found, "HUM-011").location == "/mission_roster/ngo[lfa]"


def test_hum_011_not_for_participants_on_the_platform() -> None:
    assert PARTICIPANT.in_dod_facility_or_platform
    assert mission_codes(roster(ngos=(PARTICIPANT,))) == []


@pytest.mark.parametrize("assurance", [False, None])
def test_hum_012_cooperating_party_without_medical_director_assurance(
    assurance: bool | None,
) -> None:
    ngo = replace(COOPERATING, md_assurance=assurance)
    assert mission_codes(roster(ngos=(PARTICIPANT, ngo))) == ["HUM-012"]
    # A participant needs no such assurance (§8e is about cooperating parties).
    assert PARTICIPANT.md_assurance is None
    assert mission_codes(roster(ngos=(PARTICIPANT,))) == []


@pytest.mark.parametrize("ngo", [PARTICIPANT, COOPERATING], ids=lambda n: n.role.value)
def test_hum_013_mou_does_not_state_the_role(ngo: Ngo) -> None:
    others = tuple(n for n in (PARTICIPANT, COOPERATING) if n is not ngo)
    found = rules.evaluate(
        MissionContext(roster(ngos=(*others, replace(ngo, mou_role_stated=None))), AS_OF),
        MISSION_CODES,
    )
    assert codes(found) == ["HUM-013"]
    assert only(found, "HUM-013").severity is Severity.WARNING
    assert ngo.name in only(found, "HUM-013").message


# ---------------------------------------------------------------- foreign providers (HUM-020..023)


def test_hum_020_no_license_from_the_providers_country() -> None:
    found = provider_findings(foreign(foreign=foreign_block(country_license=False)))
    assert codes(found) == ["HUM-020"]
    assert "Republic of Honduras" in only(found, "HUM-020").message


def test_hum_020_and_021_no_foreign_provider_details_at_all() -> None:
    assert provider_codes(foreign(foreign=None)) == ["HUM-020", "HUM-021"]


@pytest.mark.parametrize(
    "missing", ["training", "license", "education", "specialty", "competencies"]
)
def test_hum_021_missing_supporting_documentation(missing: str) -> None:
    docs = replace(ALL_DOCS, **{missing: False})
    found = provider_findings(foreign(foreign=foreign_block(docs=docs)))
    assert codes(found) == ["HUM-021"]
    assert only(found, "HUM-021").severity is Severity.WARNING
    assert only(found, "HUM-021").message.count(missing) == 1


def test_hum_022_observed_practice_ending_the_day_before_duties_is_in_time() -> None:
    observed = ObservedPractice(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 10))
    provider = foreign(foreign=foreign_block(observed=observed, duties_start=dt.date(2027, 1, 11)))
    assert provider_codes(provider) == []


def test_hum_022_observed_practice_ending_on_the_first_day_of_duties() -> None:
    observed = ObservedPractice(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 11))
    provider = foreign(foreign=foreign_block(observed=observed, duties_start=dt.date(2027, 1, 11)))
    found = provider_findings(provider)
    assert codes(found) == ["HUM-022"]
    assert only(found, "HUM-022").severity is Severity.WARNING
    assert "2027-01-11" in only(found, "HUM-022").message


def test_hum_022_no_observed_practice() -> None:
    provider = foreign(foreign=foreign_block(observed=None))
    assert provider_codes(provider) == ["HUM-022"]


def test_hum_023_a_us_license_makes_a_provider_not_foreign() -> None:
    provider = foreign(us_license=True, ngo=PARTICIPANT.id, ngo_docs_ok=True, foreign=None)
    found = provider_findings(provider)
    # Not foreign: no HUM-020/021/022 for the missing foreign details (and, outside an NGO
    # or the DoD, HUM-007 asks for a review equal to an ICTB).
    assert "HUM-023" in codes(found)
    assert not {"HUM-020", "HUM-021", "HUM-022"} & set(codes(found))
    assert only(found, "HUM-023").severity is Severity.INFO
    assert provider.is_foreign is False


# ---------------------------------------------------------------- host-nation copies (HUM-030, 031)


@pytest.mark.parametrize(
    ("overrides", "lacking"),
    [
        ({"required_by_hn": False}, "no recorded host-nation requirement"),
        ({"required_by_hn": None}, "no recorded host-nation requirement"),
        ({"return_or_protect_requested": False}, "no request to return or protect them"),
        ({"return_or_protect_requested": None}, "no request to return or protect them"),
    ],
)
def test_hum_030_diplomas_and_licenses_released_without_the_conditions(
    overrides: dict[str, Any], lacking: str
) -> None:
    found = rules.evaluate(
        MissionContext(roster(host_nation_release=release(**overrides)), AS_OF), MISSION_CODES
    )
    # One for the diploma, one for the state license; the redacted ICTB is fine.
    assert codes(found) == ["HUM-030", "HUM-030"]
    assert all(f.severity is Severity.WARNING and lacking in f.message for f in found)
    assert {f.location for f in found} == {
        "/mission_roster/host_nation_release/document[1]",
        "/mission_roster/host_nation_release/document[2]",
    }


def test_hum_030_only_for_diplomas_and_state_licenses() -> None:
    ictb_only = release(
        required_by_hn=False,
        documents=(ReleasedDocument(kind=ReleasedKind.ICTB, provider="x", redacted=True),),
    )
    assert mission_codes(roster(host_nation_release=ictb_only)) == []


@pytest.mark.parametrize("redacted", [False, None])
def test_hum_031_an_unredacted_ictb_for_the_host_nation(redacted: bool | None) -> None:
    documents = (ReleasedDocument(kind=ReleasedKind.ICTB, provider="ad-x", redacted=redacted),)
    found = rules.evaluate(
        MissionContext(roster(host_nation_release=release(documents=documents)), AS_OF),
        MISSION_CODES,
    )
    assert codes(found) == ["HUM-031"]
    assert only(found, "HUM-031").severity is Severity.ERROR
    assert "ad-x" in only(found, "HUM-031").message


def test_no_host_nation_release_no_findings() -> None:
    assert mission_codes(roster(host_nation_release=None)) == []


# ---------------------------------------------------------------- the catalog


FIRING: dict[str, Any] = {
    "HUM-001": lambda: provider_codes(dod(authorization=None), as_of=FIRST_DAY),
    "HUM-002": lambda: provider_codes(dod(authorization=authorization(specialty="Surgery"))),
    "HUM-003": lambda: provider_codes(dod(mrc=None)),
    "HUM-004": lambda: provider_codes(dod(mrc=None, deploy_program="IA")),
    "HUM-005": lambda: provider_codes(dod(), ictb=IctbReview(None, (), "missing")),
    "HUM-006": lambda: provider_codes(dod(mrc=Mrc(issued_on=REPORT))),
    "HUM-007": lambda: provider_codes(replace(dod(), component=Component.OTHER_FEDERAL)),
    "HUM-010": lambda: provider_codes(ngo_member(ngo_docs_ok=False)),
    "HUM-011": lambda: mission_codes(
        roster(ngos=(replace(COOPERATING, in_dod_facility_or_platform=True),))
    ),
    "HUM-012": lambda: mission_codes(roster(ngos=(replace(COOPERATING, md_assurance=False),))),
    "HUM-013": lambda: mission_codes(roster(ngos=(replace(PARTICIPANT, mou_role_stated=False),))),
    "HUM-014": lambda: provider_codes(ngo_member(ngo=COOPERATING.id)),
    "HUM-020": lambda: provider_codes(foreign(foreign=foreign_block(country_license=None))),
    "HUM-021": lambda: provider_codes(foreign(foreign=foreign_block(docs=None))),
    "HUM-022": lambda: provider_codes(foreign(foreign=foreign_block(observed=None))),
    "HUM-023": lambda: provider_codes(foreign(us_license=True)),
    "HUM-030": lambda: mission_codes(roster(host_nation_release=release(required_by_hn=False))),
    "HUM-031": lambda: mission_codes(
        roster(
            host_nation_release=release(
                documents=(ReleasedDocument(kind=ReleasedKind.ICTB, provider="p"),)
            )
        )
    ),
    "PRIV-010": lambda: provider_codes(
        dod(), ictb=verified(brief(category="supervised", independent=False))
    ),
}

SEVERITY = {
    "HUM-001": Severity.ERROR,
    "HUM-002": Severity.ERROR,
    "HUM-003": Severity.ERROR,
    "HUM-004": Severity.INFO,
    "HUM-005": Severity.ERROR,
    "HUM-006": Severity.WARNING,
    "HUM-007": Severity.WARNING,
    "HUM-010": Severity.ERROR,
    "HUM-011": Severity.ERROR,
    "HUM-012": Severity.ERROR,
    "HUM-013": Severity.WARNING,
    "HUM-014": Severity.INFO,
    "HUM-020": Severity.ERROR,
    "HUM-021": Severity.WARNING,
    "HUM-022": Severity.WARNING,
    "HUM-023": Severity.INFO,
    "HUM-030": Severity.WARNING,
    "HUM-031": Severity.ERROR,
    "PRIV-010": Severity.ERROR,
}


def test_every_hum_code_is_covered_here() -> None:
    assert set(FIRING) == set(PROVIDER_CODES | MISSION_CODES) == set(SEVERITY)


@pytest.mark.parametrize("code", sorted(FIRING))
def test_each_code_fires_with_its_catalogued_severity(code: str) -> None:
    assert code in FIRING[code]()
    assert finding(code, "x").severity is SEVERITY[code]
