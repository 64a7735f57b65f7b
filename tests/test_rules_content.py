"""ICTB content rules (RULES.md §2: ICTB-001..015), ICTB-032 and RED-020/021, as `build` runs them.

Each rule has cases that fire it (with the severity RULES.md gives and a message naming
the §5f element and what is missing) and cases that do not, including the date edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest

from ictb import ictb_xml, schema
from ictb.findings import Finding, Severity
from ictb.model import (
    LICENSURE_KINDS,
    Brief,
    Certification,
    Component,
    Credential,
    CredentialKind,
    CredentialList,
    CredentialRecord,
    CredentialStatus,
    DatabankQuery,
    Discipline,
    FormalSupervisionPlan,
    LastTour,
    OtherInformation,
    PersonName,
    PrivilegeEvent,
    PrivilegeEventType,
    Privileges,
    Psv,
    PsvStatus,
    ReserveDetails,
    Source,
    Training,
    TrainingKind,
    Waiver,
    WaiverKind,
)
from tests import factories as fx

# Severities as RULES.md states them (not read from the packaged catalog, so a catalog
# that drifted from RULES.md fails here).
SEVERITY = {
    **{f"ICTB-{n:03d}": Severity.ERROR for n in range(1, 14)},
    "ICTB-014": Severity.WARNING,
    "ICTB-015": Severity.WARNING,
    "ICTB-032": Severity.ERROR,
    "RED-020": Severity.ERROR,
    "RED-021": Severity.WARNING,
}

Case = tuple[Brief, CredentialRecord]


# ---------------------------------------------------------------- helpers


def codes(found: list[Finding]) -> list[str]:
    return sorted(f.code for f in found)


def evaluate(case: Case) -> list[Finding]:
    brief, record = case
    return fx.findings(brief, record)


def fired(found: list[Finding], code: str, *fragments: str) -> list[Finding]:
    """The findings with ``code``; at least one must name every fragment."""
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} did not fire; found {[(f.code, f.message) for f in found]}"
    for hit in hits:
        assert hit.severity is SEVERITY[code], hit
    messages = [h.message for h in hits]
    assert any(all(part in m for part in fragments) for m in messages), (fragments, messages)
    return hits


def quiet(found: list[Finding], code: str) -> None:
    assert code not in codes(found), [(f.code, f.message) for f in found]


def from_record(record: CredentialRecord, **brief_overrides: object) -> Case:
    return fx.build_brief(record, **brief_overrides), record


def with_provider(**changes: object) -> Case:
    return from_record(fx.complete_record(**changes))


def with_record(**changes: object) -> Case:
    return from_record(replace(fx.complete_record(), **changes))


def with_brief(**overrides: object) -> Case:
    return from_record(fx.complete_record(), **overrides)


def with_reserve(**changes: object) -> Case:
    return from_record(fx.reserve_record(**changes))


def without_kinds(record: CredentialRecord, kinds: frozenset[CredentialKind]) -> CredentialRecord:
    return replace(record, credentials=tuple(c for c in record.credentials if c.kind not in kinds))


def changed_credential(kind: CredentialKind, **changes: object) -> Case:
    record = fx.complete_record()
    creds = tuple(replace(c, **changes) if c.kind is kind else c for c in record.credentials)
    return from_record(replace(record, credentials=creds))


def changed_training(kind: TrainingKind, **changes: object) -> Case:
    record = fx.complete_record()
    edu = tuple(replace(t, **changes) if t.kind is kind else t for t in record.education)
    return from_record(replace(record, education=edu))


# ---------------------------------------------------------------- the complete cases


def test_complete_record_gives_no_findings() -> None:
    record = fx.complete_record()
    assert codes(fx.findings(fx.build_brief(record), record)) == []


def test_reserve_record_gives_no_findings() -> None:
    record = fx.reserve_record()
    assert record.provider.component is Component.RC
    assert codes(fx.findings(fx.build_brief(record), record)) == []


@pytest.mark.parametrize("code", sorted(SEVERITY))
@pytest.mark.parametrize("make", [fx.complete_record, fx.reserve_record], ids=["ad", "rc"])
def test_each_rule_is_quiet_on_complete_record(
    make: Callable[[], CredentialRecord], code: str
) -> None:
    record = make()
    # asked for this code alone, so a checker registered under the wrong code shows too
    assert fx.findings(fx.build_brief(record), record, codes={code}) == []


def test_factories_dea_number_has_valid_check_digit() -> None:
    # RULES.md §15: (d1+d3+d5) + 2*(d2+d4+d6) ends in d7; AP5836727 is the worked example.
    assert fx.dea_number("AP", "583672") == "AP5836727"
    assert fx.DEA == "FC4719324"


# ---------------------------------------------------------------- ICTB-001 §5f(1)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_provider(name=None), ["complete name"], id="no-name"),
        pytest.param(
            lambda: with_provider(name=PersonName(given="Miriam")),
            ["complete name"],
            id="given-name-only",
        ),
        pytest.param(lambda: with_provider(rank=None), ["rank"], id="no-rank"),
        pytest.param(lambda: with_provider(corps=None), ["corps"], id="no-corps"),
        pytest.param(lambda: with_provider(ssn=None), ["SSN"], id="no-ssn"),
        pytest.param(
            lambda: with_provider(specialty=None), ["clinical specialty"], id="no-specialty"
        ),
        pytest.param(
            lambda: with_provider(
                component=Component.PSC_CONTRACTOR, rank=None, employment_category=None
            ),
            ["employment category"],
            id="contractor-without-employment-category",
        ),
        pytest.param(lambda: with_brief(provider=None), ["is missing"], id="no-section"),
    ],
)
def test_ictb_001_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-001", "§5f(1)", *fragments)


def test_ictb_001_names_every_missing_item_once() -> None:
    found = evaluate(with_provider(rank=None, ssn=None))
    (hit,) = fired(found, "ICTB-001", "rank", "SSN")
    assert "corps" not in hit.message and "specialty" not in hit.message


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {
                "component": Component.PSC_CONTRACTOR,
                "rank": None,
                "corps": None,
                "employment_category": "Personal services contractor",
            },
            id="psc-contractor",
        ),
        pytest.param(
            {
                "component": Component.VOLUNTEER,
                "rank": None,
                "corps": None,
                "employment_category": "Volunteer",
            },
            id="volunteer",
        ),
        pytest.param(
            {"component": Component.DOD_CIVILIAN, "rank": None, "rating": "GS-0602-14"},
            id="civilian-rating",
        ),
    ],
)
def test_ictb_001_employment_category_or_rating_stands_for_rank(changes: dict) -> None:
    quiet(evaluate(with_provider(**changes)), "ICTB-001")


# ---------------------------------------------------------------- ICTB-002 §5f(2)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_record(education=()), ["no qualifying degree"], id="none"),
        pytest.param(lambda: with_brief(education=None), ["no qualifying degree"], id="absent"),
        pytest.param(
            lambda: with_record(
                education=tuple(t for t in fx.education() if t.kind is not TrainingKind.DEGREE)
            ),
            ["no qualifying degree"],
            id="residency-only",
        ),
        pytest.param(
            lambda: changed_training(TrainingKind.RESIDENCY, completed_on=None),
            ["Residency in Emergency Medicine", "completion date"],
            id="residency-without-completion-date",
        ),
        pytest.param(
            lambda: changed_training(TrainingKind.DEGREE, psv=None),
            ["Doctor of Medicine", "PSV"],
            id="degree-without-psv",
        ),
        pytest.param(
            lambda: with_record(
                education=(
                    *fx.education(),
                    Training(kind=TrainingKind.FELLOWSHIP, title="Fellowship in Toxicology"),
                )
            ),
            ["Fellowship in Toxicology", "completion date", "PSV"],
            id="fellowship-without-both",
        ),
    ],
)
def test_ictb_002_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-002", "§5f(2)", *fragments)


def test_ictb_002_psv_absent_is_an_indicator() -> None:
    # §5f(2) asks for a PSV present/absent indicator: "absent" is stated, so nothing missing.
    case = changed_training(TrainingKind.RESIDENCY, psv=Psv(status=PsvStatus.ABSENT))
    quiet(evaluate(case), "ICTB-002")


# ---------------------------------------------------------------- ICTB-003 §5f(3)


def _licensure_without(kind: CredentialKind) -> Case:
    """The brief built from the complete record, then with ``kind`` dropped from §5f(3)."""
    record = fx.complete_record()
    brief = fx.build_brief(record)
    assert brief.licensure is not None
    kept = tuple(c for c in brief.licensure.credentials if c.kind is not kind)
    return replace(brief, licensure=CredentialList(credentials=kept)), record


def _no_licensure(**record_changes: object) -> Case:
    record = replace(without_kinds(fx.complete_record(), LICENSURE_KINDS), **record_changes)
    return from_record(record)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(
            lambda: changed_credential(CredentialKind.LICENSE, expires_on=None),
            ["Physician and Surgeon License", "expiration date"],
            id="license-without-expiry",
        ),
        pytest.param(
            lambda: changed_credential(CredentialKind.LICENSE, psv=None),
            ["Physician and Surgeon License", "PSV status"],
            id="license-without-psv",
        ),
        pytest.param(
            lambda: changed_credential(CredentialKind.DEA, expires_on=None),
            ["DEA Controlled Substance Registration", "expiration date"],
            id="dea-without-expiry",
        ),
        pytest.param(
            lambda: _licensure_without(CredentialKind.LICENSE),
            ["currently held", "Physician and Surgeon License", "not listed"],
            id="held-license-not-listed",
        ),
        pytest.param(
            lambda: _licensure_without(CredentialKind.DEA),
            ["currently held", "DEA", "not listed"],
            id="held-dea-not-listed",
        ),
        pytest.param(lambda: with_brief(licensure=None), ["missing"], id="absent"),
        pytest.param(_no_licensure, [], id="empty-physician-no-waiver-no-plan"),
        pytest.param(
            lambda: _no_licensure(
                formal_supervision_plan=FormalSupervisionPlan(
                    written=False, supervisor_discipline="physician"
                )
            ),
            [],
            id="empty-plan-not-written",
        ),
    ],
)
def test_ictb_003_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    hits = fired(evaluate(make()), "ICTB-003", "§5f(3)", *fragments)
    for hit in hits:
        assert fx.DEA not in hit.message and fx.STATE_LICENSE not in hit.message


def test_ictb_003_license_expiring_on_issue_day_is_current_and_must_be_listed() -> None:
    # D2: current through its expiry date, so it is held on the issue day.
    record = replace(
        fx.complete_record(),
        credentials=(
            *fx.credentials(),
            fx.state_license(issuer="Virginia", number="0101298734", expires_on=fx.AS_OF),
        ),
    )
    brief = fx.build_brief(fx.complete_record())  # lists only the California license
    fired(fx.findings(brief, record), "ICTB-003", "§5f(3)", "(Virginia)", "not listed")


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(
            fx.state_license(
                issuer="Virginia", number="0101298734", expires_on=fx.AS_OF - dt.timedelta(days=1)
            ),
            id="expired-yesterday",
        ),
        pytest.param(
            fx.state_license(
                issuer="Virginia", number="0101298734", status=CredentialStatus.LAPSED
            ),
            id="lapsed",
        ),
        pytest.param(
            fx.state_license(
                issuer="Virginia", number="0101298734", effective_on=fx.AS_OF + dt.timedelta(days=1)
            ),
            id="not-yet-effective",
        ),
    ],
)
def test_ictb_003_credential_not_currently_held_need_not_be_listed(extra: Credential) -> None:
    record = replace(fx.complete_record(), credentials=(*fx.credentials(), extra))
    brief = fx.build_brief(fx.complete_record())
    quiet(fx.findings(brief, record), "ICTB-003")


@pytest.mark.parametrize(
    "record_changes",
    [
        pytest.param(
            {
                "waivers": (
                    Waiver(
                        kind=WaiverKind.RESTRICTED_LICENSE,
                        granted_by="ASD(HA)",
                        dated=dt.date(2026, 3, 2),
                        in_ccqas=True,
                    ),
                )
            },
            id="waiver",
        ),
        pytest.param(
            {
                "formal_supervision_plan": FormalSupervisionPlan(
                    written=True, supervisor_discipline="physician", supervisor_licensed=True
                )
            },
            id="written-plan",
        ),
    ],
)
def test_ictb_003_empty_licensure_with_waiver_or_plan_does_not_fire(
    record_changes: dict,
) -> None:
    quiet(evaluate(_no_licensure(**record_changes)), "ICTB-003")


def test_ictb_003_empty_licensure_for_unlicensed_discipline_does_not_fire() -> None:
    record = without_kinds(fx.complete_record(discipline=Discipline.DIETITIAN), LICENSURE_KINDS)
    quiet(evaluate(from_record(record)), "ICTB-003")


def test_ictb_003_explicit_none_with_waiver_does_not_fire() -> None:
    record = replace(
        without_kinds(fx.complete_record(), LICENSURE_KINDS),
        waivers=(Waiver(kind=WaiverKind.RESTRICTED_LICENSE, granted_by="ASD(HA)"),),
    )
    case = from_record(record, licensure=CredentialList(none=True))
    quiet(evaluate(case), "ICTB-003")


def test_ictb_003_explicit_none_without_waiver_fires() -> None:
    record = without_kinds(fx.complete_record(), LICENSURE_KINDS)
    case = from_record(record, licensure=CredentialList(none=True))
    fired(evaluate(case), "ICTB-003", "§5f(3)", "physician", "waiver")


# ---------------------------------------------------------------- ICTB-004/005 §5f(4), §5f(5)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_brief(boards=None), ["missing", "none"], id="absent"),
        pytest.param(lambda: with_brief(boards=CredentialList()), ["missing"], id="empty"),
        pytest.param(
            lambda: changed_credential(CredentialKind.BOARD, expires_on=None),
            ["Board Certification in Emergency Medicine", "expiration date"],
            id="without-expiry",
        ),
        pytest.param(
            lambda: changed_credential(CredentialKind.BOARD, psv=None),
            ["Board Certification in Emergency Medicine", "PSV status"],
            id="without-psv",
        ),
    ],
)
def test_ictb_004_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-004", "§5f(4)", *fragments)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: with_brief(boards=CredentialList(none=True)), id="explicit-none"),
        pytest.param(
            lambda: from_record(
                without_kinds(fx.complete_record(), frozenset({CredentialKind.BOARD}))
            ),
            id="build-writes-none",
        ),
    ],
)
def test_ictb_004_none_is_present(make: Callable[[], Case]) -> None:
    quiet(evaluate(make()), "ICTB-004")


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_brief(life_support=None), ["missing", "none"], id="absent"),
        pytest.param(lambda: with_brief(life_support=CredentialList()), ["missing"], id="empty"),
        pytest.param(
            lambda: changed_credential(CredentialKind.LIFE_SUPPORT, expires_on=None),
            ["Basic Life Support (BLS)", "expiration date"],
            id="without-expiry",
        ),
    ],
)
def test_ictb_005_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-005", "§5f(5)", *fragments)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: with_brief(life_support=CredentialList(none=True)), id="explicit-none"
        ),
        pytest.param(
            lambda: from_record(
                without_kinds(fx.complete_record(), frozenset({CredentialKind.LIFE_SUPPORT}))
            ),
            id="build-writes-none",
        ),
        pytest.param(
            lambda: changed_credential(CredentialKind.LIFE_SUPPORT, psv=None),
            id="psv-not-required",
        ),
    ],
)
def test_ictb_005_does_not_fire(make: Callable[[], Case]) -> None:
    quiet(evaluate(make()), "ICTB-005")


# ---------------------------------------------------------------- ICTB-006 §5f(6)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_brief(privileges=None), ["is missing"], id="absent"),
        pytest.param(lambda: with_record(privileges=None), ["is missing"], id="none-in-record"),
        pytest.param(
            lambda: with_record(privileges=fx.privileges(category=None)),
            ["privilege category"],
            id="no-category",
        ),
        pytest.param(
            lambda: with_record(privileges=fx.privileges(expires_on=None)),
            ["privilege expiration date"],
            id="no-expiry",
        ),
        pytest.param(
            lambda: with_record(privileges=fx.privileges(privileges=())),
            ["current privilege list"],
            id="no-list",
        ),
    ],
)
def test_ictb_006_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-006", "§5f(6)", *fragments)


def test_ictb_006_non_privileged_provider_does_not_fire() -> None:
    brief, record = with_provider(privileged=False)
    assert brief.non_privileged and brief.privileges is None
    quiet(fx.findings(brief, record), "ICTB-006")


# ---------------------------------------------------------------- ICTB-007 §5f(7)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(lambda: with_record(npdb=None), ["NPDB query"], id="no-npdb"),
        pytest.param(
            lambda: with_record(npdb=fx.npdb(queried_on=None)),
            ["date of the most recent NPDB query"],
            id="npdb-without-date",
        ),
        pytest.param(
            lambda: with_record(npdb=fx.npdb(reported=None)),
            ["whether the NPDB reported"],
            id="npdb-without-reported",
        ),
        pytest.param(
            lambda: with_record(npdb=fx.npdb(includes_hipdb=False)),
            ["HIPDB query"],
            id="hipdb-missing-not-included",
        ),
        pytest.param(
            lambda: with_record(npdb=fx.npdb(includes_hipdb=None)),
            ["HIPDB query"],
            id="hipdb-missing-unknown",
        ),
        pytest.param(
            lambda: with_record(
                npdb=fx.npdb(includes_hipdb=False),
                hipdb=DatabankQuery(queried_on=dt.date(2025, 6, 20)),
            ),
            ["whether the HIPDB reported"],
            id="hipdb-without-reported",
        ),
    ],
)
def test_ictb_007_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-007", "§5f(7)", *fragments)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: with_record(npdb=fx.npdb(includes_hipdb=True)), id="includes-hipdb"),
        pytest.param(
            lambda: with_record(
                npdb=fx.npdb(includes_hipdb=False),
                hipdb=DatabankQuery(queried_on=dt.date(2025, 6, 20), reported=False),
            ),
            id="separate-hipdb-query",
        ),
    ],
)
def test_ictb_007_does_not_fire(make: Callable[[], Case]) -> None:
    quiet(evaluate(make()), "ICTB-007")


# ---------------------------------------------------------------- ICTB-008 §5f(8)


@pytest.mark.parametrize("purpose", [None, "", "  \n\t "], ids=["none", "empty", "blank"])
def test_ictb_008_fires_without_purpose(purpose: str | None) -> None:
    record = fx.complete_record()
    brief = fx.build_brief(record, fx.assignment(purpose=purpose))
    fired(fx.findings(brief, record), "ICTB-008", "§5f(8)", "purpose")


# ---------------------------------------------------------------- ICTB-009 §5f(9)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"statement": None}, "the observer's statement", id="no-statement"),
        pytest.param({"statement": ""}, "the observer's statement", id="empty-statement"),
        pytest.param({"name": None}, "the observer's name", id="no-name"),
        pytest.param({"title": None}, "title", id="no-title"),
        pytest.param(
            {"phone": None, "fax": None, "email": None}, "direct contact", id="no-contact"
        ),
        pytest.param({"other_info": None}, "other relevant information", id="no-other-info"),
    ],
)
def test_ictb_009_fires(changes: dict, fragment: str) -> None:
    found = evaluate(with_record(observer=fx.observer(**changes)))
    fired(found, "ICTB-009", "§5f(9)", fragment)


def test_ictb_009_fires_without_observer() -> None:
    fired(evaluate(with_record(observer=None)), "ICTB-009", "§5f(9)", "is missing")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"phone": None, "email": None, "fax": "619-532-8211"}, id="fax-only"),
        pytest.param({"phone": None}, id="email-only"),
        pytest.param({"email": None}, id="phone-only"),
        pytest.param(
            {
                "other_info": OtherInformation(
                    present=True, summary="Focused review completed in 2025; closed."
                )
            },
            id="other-info-present",
        ),
    ],
)
def test_ictb_009_does_not_fire(changes: dict) -> None:
    quiet(evaluate(with_record(observer=fx.observer(**changes))), "ICTB-009")


# ---------------------------------------------------------------- ICTB-010 §5f(10)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"statement": None}, "file was reviewed", id="no-statement"),
        pytest.param({"reviewed_on": None}, "review date", id="no-date"),
        pytest.param({"other_info": None}, "other relevant information", id="no-other-info"),
    ],
)
def test_ictb_010_fires(changes: dict, fragment: str) -> None:
    found = evaluate(with_record(file_review=fx.file_review(**changes)))
    fired(found, "ICTB-010", "§5f(10)", fragment)


def test_ictb_010_fires_without_review() -> None:
    fired(evaluate(with_record(file_review=None)), "ICTB-010", "§5f(10)", "is missing")


# ---------------------------------------------------------------- ICTB-011 §5f(11)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"name": None}, "name", id="no-name"),
        pytest.param({"title": None}, "title", id="no-title"),
        pytest.param({"phone": None}, "phone number", id="no-phone"),
        pytest.param({"email": None, "fax": None}, "fax number or e-mail", id="no-fax-or-email"),
    ],
)
def test_ictb_011_fires(changes: dict, fragment: str) -> None:
    found = evaluate(with_record(point_of_contact=fx.point_of_contact(**changes)))
    fired(found, "ICTB-011", "§5f(11)", fragment)


def test_ictb_011_fires_without_point_of_contact() -> None:
    fired(evaluate(with_record(point_of_contact=None)), "ICTB-011", "§5f(11)", "is missing")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"email": None, "fax": "619-532-6499"}, id="fax-instead-of-email"),
        pytest.param({"fax": None}, id="email-without-fax"),
    ],
)
def test_ictb_011_fax_or_email_suffices(changes: dict) -> None:
    quiet(evaluate(with_record(point_of_contact=fx.point_of_contact(**changes))), "ICTB-011")


# ---------------------------------------------------------------- ICTB-012 §5f(12)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(
            lambda: with_record(certifying_official=None),
            ["signer name", "role"],
            id="no-official",
        ),
        pytest.param(
            lambda: with_record(
                certifying_official=replace(fx.complete_record().certifying_official, role=None)
            ),
            ["role"],
            id="no-role",
        ),
        pytest.param(
            lambda: with_brief(
                certification=Certification(name="CAPT Lorraine P. Abernathy", role="MTF Commander")
            ),
            ["date"],
            id="no-date",
        ),
        pytest.param(lambda: with_brief(certification=None), ["is missing"], id="no-block"),
    ],
)
def test_ictb_012_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-012", "§5f(12)", *fragments)


# ---------------------------------------------------------------- ICTB-013 §5f(13)


@pytest.mark.parametrize(
    ("component", "reserve"),
    [
        pytest.param(Component.RC, None, id="rc-without-block"),
        pytest.param(Component.NG, None, id="ng-without-block"),
        pytest.param(Component.RC, ReserveDetails(), id="rc-with-empty-block"),
        pytest.param(Component.NG, ReserveDetails(facilities=()), id="ng-with-empty-block"),
    ],
)
def test_ictb_013_fires(component: Component, reserve: ReserveDetails | None) -> None:
    record = replace(fx.complete_record(component=component), reserve=reserve)
    fired(evaluate(from_record(record)), "ICTB-013", "§5f(13)", "Reserve/Guard")


@pytest.mark.parametrize(
    "component", [Component.AD, Component.DOD_CIVILIAN, Component.VOLUNTEER], ids=str
)
def test_ictb_013_not_for_other_components(component: Component) -> None:
    quiet(evaluate(with_provider(component=component)), "ICTB-013")


def test_ictb_013_guard_with_block_does_not_fire() -> None:
    record = replace(fx.reserve_record(), provider=fx.provider(component=Component.NG))
    assert codes(evaluate(from_record(record))) == []


# ---------------------------------------------------------------- ICTB-014 §5f(13)(a)-(d)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"civ_position": None}, "(a) civilian position", id="a-position"),
        pytest.param(
            {"civ_employer": None, "facilities": (), "majority_location": None},
            "(a) civilian employer or facility",
            id="a-employer",
        ),
        pytest.param({"civ_privileges": None}, "(a) civilian privileges", id="a-privileges"),
        pytest.param(
            {"self_employed": True, "office_location": None}, "(b) office location", id="b"
        ),
        pytest.param({"majority_location": None}, "(c) location of the majority", id="c-majority"),
        pytest.param(
            {"applicable_privileges": None}, "(c) privileges applicable", id="c-privileges"
        ),
        pytest.param({"contact_address": None}, "(d) pre-reporting address", id="d-address"),
        pytest.param({"business_phone": None}, "(d) business phone", id="d-business-phone"),
        pytest.param({"home_phone": None}, "(d) home phone", id="d-home-phone"),
        pytest.param({"last_tour": None}, "(d) MTF of the last clinical tour", id="d-no-tour"),
        pytest.param(
            {
                "last_tour": LastTour(
                    mtf="Naval Medical Center San Diego", start=dt.date(2026, 6, 1)
                )
            },
            "(d) dates of the last clinical tour",
            id="d-tour-without-end",
        ),
    ],
)
def test_ictb_014_fires(changes: dict, fragment: str) -> None:
    found = evaluate(with_reserve(**changes))
    fired(found, "ICTB-014", "§5f(13)", fragment)
    quiet(found, "ICTB-013")


def test_ictb_014_lists_all_gaps_in_one_finding() -> None:
    found = evaluate(with_reserve(civ_position=None, business_phone=None))
    (hit,) = fired(found, "ICTB-014", "(a) civilian position", "(d) business phone")
    assert "(d) home phone" not in hit.message


@pytest.mark.parametrize(
    ("changes", "withheld"),
    [
        pytest.param({"home_phone": None}, {"rc_home_phone"}, id="home-phone-withheld"),
        pytest.param(
            {"contact_address": None}, {"rc_contact_address"}, id="contact-address-withheld"
        ),
    ],
)
def test_ictb_014_withheld_value_is_not_missing(changes: dict, withheld: set[str]) -> None:
    record = fx.reserve_record()
    brief = fx.build_brief(record)
    assert brief.reserve is not None
    brief = replace(brief, reserve=replace(brief.reserve, **changes), withheld=frozenset(withheld))
    quiet(fx.findings(brief, record), "ICTB-014")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"civ_employer": None}, id="facility-stands-for-employer"),
        pytest.param(
            {"self_employed": True, "office_location": "1400 Summit Ridge Parkway, El Cajon, CA"},
            id="self-employed-with-office",
        ),
        pytest.param(
            {
                "facilities": ("Mesa Verde Regional Medical Center, El Cajon, CA",),
                "majority_location": None,
                "applicable_privileges": None,
            },
            id="one-facility-needs-no-c",
        ),
    ],
)
def test_ictb_014_does_not_fire(changes: dict) -> None:
    quiet(evaluate(with_reserve(**changes)), "ICTB-014")


# ---------------------------------------------------------------- ICTB-015 §5f lead-in


def test_ictb_015_one_finding_per_manual_element() -> None:
    record = replace(fx.complete_record(), manual_elements=(1, 3, 9, 11))
    hits = fired(evaluate(from_record(record)), "ICTB-015", "CCQAS")
    assert len(hits) == 4
    for number, hit in zip((1, 3, 9, 11), hits, strict=True):
        assert hit.message.startswith(f"§5f({number}) ")


def test_ictb_015_ccqas_source_does_not_fire() -> None:
    case = with_brief(sources={n: Source.CCQAS for n in range(1, 14)})
    quiet(evaluate(case), "ICTB-015")


# ---------------------------------------------------------------- ICTB-032 §5e


def _with_events(*events: PrivilegeEvent) -> Case:
    return with_record(privilege_events=events)


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        pytest.param(
            lambda: with_record(privileges=fx.privileges(granted_on=fx.AS_OF + dt.timedelta(1))),
            ["issued on 2026-11-22", "not current", "granted 2026-11-23"],
            id="before-granted",
        ),
        pytest.param(
            lambda: with_record(privileges=fx.privileges(expires_on=fx.AS_OF - dt.timedelta(1))),
            ["issued on 2026-11-22", "not current", "expiring 2026-11-21"],
            id="after-expiry",
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(type=PrivilegeEventType.SUSPENSION, on=dt.date(2026, 11, 10))
            ),
            ["issued on 2026-11-22", "suspension from 2026-11-10"],
            id="during-suspension",
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(
                    type=PrivilegeEventType.SUMMARY_SUSPENSION,
                    on=dt.date(2026, 11, 1),
                    ended_on=fx.AS_OF,
                )
            ),
            ["summary suspension from 2026-11-01"],
            id="summary-suspension-ending-on-issue-day",
        ),
        pytest.param(
            lambda: _with_events(PrivilegeEvent(type=PrivilegeEventType.ABEYANCE, on=fx.AS_OF)),
            ["abeyance from 2026-11-22"],
            id="abeyance-from-issue-day",
        ),
        pytest.param(
            lambda: with_brief(
                certification=Certification(
                    name="CAPT Lorraine P. Abernathy, MC, USN",
                    role="MTF Commander",
                    signed_on=dt.date(2027, 7, 1),
                )
            ),
            ["certified on 2027-07-01", "not current"],
            id="certified-after-expiry",
        ),
    ],
)
def test_ictb_032_fires(make: Callable[[], Case], fragments: list[str]) -> None:
    fired(evaluate(make()), "ICTB-032", *fragments)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: with_record(privileges=fx.privileges(expires_on=fx.AS_OF)), id="expiry-day"
        ),
        pytest.param(
            lambda: with_record(privileges=fx.privileges(granted_on=fx.AS_OF)), id="grant-day"
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(
                    type=PrivilegeEventType.SUSPENSION,
                    on=dt.date(2026, 11, 1),
                    ended_on=fx.AS_OF - dt.timedelta(1),
                )
            ),
            id="suspension-ended-day-before",
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(type=PrivilegeEventType.SUSPENSION, on=dt.date(2026, 9, 1)),
                PrivilegeEvent(type=PrivilegeEventType.REINSTATEMENT, on=dt.date(2026, 10, 1)),
            ),
            id="suspension-then-reinstatement",
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(type=PrivilegeEventType.SUSPENSION, on=fx.AS_OF + dt.timedelta(1))
            ),
            id="suspension-after-issue",
        ),
        pytest.param(
            lambda: _with_events(
                PrivilegeEvent(type=PrivilegeEventType.RENEWAL, on=dt.date(2025, 7, 1))
            ),
            id="renewal-is-not-blocking",
        ),
    ],
)
def test_ictb_032_does_not_fire(make: Callable[[], Case]) -> None:
    quiet(evaluate(make()), "ICTB-032")


# ---------------------------------------------------------------- RED-020 / RED-021


def _text_in(field: str, text: str) -> tuple[Case, str]:
    """A complete case with ``text`` in free-text ``field``; returns the expected location."""
    record = fx.complete_record()
    base = "/ictb/brief"
    if field == "remarks":
        return from_record(replace(record, remarks=text)), f"{base}/remarks"
    if field == "purpose":
        brief = fx.build_brief(record, fx.assignment(purpose=text))
        return (brief, record), f"{base}/assignment/purpose"
    if field == "observer":
        statement = f"{fx.observer().statement} {text}"
        case = from_record(replace(record, observer=fx.observer(statement=statement)))
        return case, f"{base}/observer/statement"
    if field == "file_review":
        case = from_record(
            replace(
                record,
                file_review=fx.file_review(other_info=OtherInformation(present=True, summary=text)),
            )
        )
        return case, f"{base}/file_review/other_info/summary"
    if field == "reserve":
        return with_reserve(civ_privileges=text), f"{base}/reserve_component/civ_privileges"
    raise AssertionError(field)


FIELDS = ["remarks", "purpose", "observer", "file_review", "reserve"]
OTHER_DEA = fx.dea_number("BM", "612534")  # a valid check digit, not the provider's

STRONG = [
    pytest.param("Prior file number 931-52-7764 retained.", "931-52-7764", "an SSN", id="ssn"),
    pytest.param("Identity confirmed, SSN 931527764.", "931527764", "an SSN", id="labelled-ssn"),
    pytest.param(
        "Dr. Castellano (born 04/12/1984) is current.", "04/12/1984", "a date of birth", id="dob"
    ),
    pytest.param(
        f"Controlled substances under {OTHER_DEA} only.", OTHER_DEA, "a DEA number", id="dea"
    ),
    pytest.param(
        "Forward mail to home address: 12 Elm Street, Oceanside.",
        "12 Elm Street",
        "a home address",
        id="home-address",
    ),
    pytest.param("Verified record 912473086 in DEERS.", "912473086", "an SSN", id="own-ssn"),
    pytest.param(f"Prescribes under {fx.DEA}.", fx.DEA, "a DEA number", id="own-dea"),
    pytest.param(
        f"Lives at {fx.HOME_LINE}, Chula Vista.", fx.HOME_LINE, "a home address", id="own-home"
    ),
    pytest.param(
        "Registration DEA: BM6125349 on file.", "BM6125349", "a DEA number", id="dea-label"
    ),
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("text", "value", "what"), STRONG)
def test_red_020_fires(field: str, text: str, value: str, what: str) -> None:
    case, location = _text_in(field, text)
    found = evaluate(case)
    hits = fired(found, "RED-020", what, "withholdable")
    assert location in {h.location for h in hits}
    for f in found:
        assert value not in f.message
        assert value not in (f.location or "")


WEAK = [
    pytest.param("Pharmacy order reference 482913765 pending.", "482913765", "an SSN", id="nine"),
    pytest.param("Legacy identifier FC4719325 noted.", "FC4719325", "a DEA number", id="bad-dea"),
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("text", "value", "what"), WEAK)
def test_red_021_fires(field: str, text: str, value: str, what: str) -> None:
    case, location = _text_in(field, text)
    found = evaluate(case)
    hits = fired(found, "RED-021", what)
    assert location in {h.location for h in hits}
    quiet(found, "RED-020")
    for f in found:
        assert value not in f.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Call the department at 619-532-8200 or fax 619-532-8211.", id="phones"),
        pytest.param("NPI 1234567893 verified in NPPES.", id="npi-10-digits"),
        pytest.param("Serial 12345678901 of the issued pager.", id="11-digit-run"),
        pytest.param("In the department since 2025-01-06, deployed 12 Apr 2025.", id="dates"),
        pytest.param("Privileges tracked as CCQAS-0418837.", id="ccqas-id"),
        pytest.param("She covers the home port clinic twice a month.", id="home-word"),
    ],
)
def test_red_020_021_ordinary_text_does_not_fire(text: str) -> None:
    found = evaluate(_text_in("remarks", text)[0])
    quiet(found, "RED-020")
    quiet(found, "RED-021")


# ---------------------------------------------------------------- XML round trip


def _observer_without_title() -> Case:
    return with_record(observer=fx.observer(title=None, phone=None, email=None))


def _manual_reserve_without_home_phone() -> Case:
    record = replace(fx.reserve_record(home_phone=None), manual_elements=(1, 9))
    return from_record(record)


def _identifiers_and_gaps() -> Case:
    record = replace(
        without_kinds(fx.complete_record(), frozenset({CredentialKind.BOARD})),
        remarks="Old file 931-52-7764; pharmacy reference 482913765.",
        credentials=tuple(
            replace(c, expires_on=None) if c.kind is CredentialKind.LIFE_SUPPORT else c
            for c in fx.credentials()
        ),
    )
    return from_record(record, privileges=fx.privileges(expires_on=dt.date(2026, 11, 1)))


def _no_licensure_section() -> Case:
    return from_record(without_kinds(fx.complete_record(), LICENSURE_KINDS))


ROUND_TRIP = [
    pytest.param(lambda: from_record(fx.complete_record()), False, id="complete"),
    pytest.param(lambda: from_record(fx.reserve_record()), False, id="reserve"),
    pytest.param(_observer_without_title, True, id="ictb-009"),
    pytest.param(_manual_reserve_without_home_phone, True, id="ictb-014-015"),
    pytest.param(_identifiers_and_gaps, True, id="red-020-021-ictb-005-032"),
    pytest.param(_no_licensure_section, True, id="ictb-003-empty"),
    pytest.param(
        lambda: with_record(privileges=Privileges()),
        True,
        id="ictb-006-empty-section",
    ),
]


def _summary(found: list[Finding]) -> list[tuple[str, str, str, str | None]]:
    return sorted((f.code, f.severity.value, f.message, f.location) for f in found)


@pytest.mark.parametrize(("make", "fires"), ROUND_TRIP)
def test_round_trip_keeps_findings(make: Callable[[], Case], fires: bool) -> None:
    brief, record = make()
    root = ictb_xml.to_element(brief)
    assert schema.errors(root, schema.ICTB_XSD) == []
    loaded = ictb_xml.load("x", ictb_xml.to_bytes(brief))  # validates against ictb.xsd
    original = fx.findings(brief)
    assert bool(original) is fires
    assert _summary(fx.findings(loaded)) == _summary(original)
    assert _summary(fx.findings(loaded, record)) == _summary(fx.findings(brief, record))


def test_round_trip_keeps_the_brief() -> None:
    brief, _ = _manual_reserve_without_home_phone()
    loaded = ictb_xml.load("x", ictb_xml.to_bytes(brief))
    assert loaded == brief
    assert loaded.sources == {1: Source.MANUAL, 9: Source.MANUAL}


# ---------------------------------------------------------------- build refuses on errors


@pytest.mark.parametrize(
    ("record", "code"),
    [
        pytest.param(replace(fx.complete_record(), observer=None), "ICTB-009", id="ictb-009"),
        pytest.param(fx.complete_record(ssn=None), "ICTB-001", id="ictb-001"),
        pytest.param(
            replace(
                fx.complete_record(), privileges=fx.privileges(expires_on=dt.date(2026, 11, 1))
            ),
            "ICTB-032",
            id="ictb-032",
        ),
        pytest.param(
            replace(fx.complete_record(), remarks="SSN 912-47-3086 on file."), "RED-020", id="red"
        ),
        pytest.param(
            replace(fx.complete_record(component=Component.NG), manual_elements=(13,)),
            "ICTB-013",
            id="errors-and-warnings",
        ),
    ],
)
def test_build_refuses_on_any_error(record: CredentialRecord, code: str) -> None:
    result = fx.run_build(record)
    assert result.xml is None and result.brief is None
    assert code in [f.code for f in result.report.errors]
    assert result.report.verdict.value == "invalid"


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            replace(fx.complete_record(), manual_elements=(2, 7)),
            ["ICTB-015", "ICTB-015"],
            id="ictb-015",
        ),
        pytest.param(
            replace(fx.reserve_record(business_phone=None), manual_elements=(13,)),
            ["ICTB-014", "ICTB-015"],
            id="ictb-014-015",
        ),
        pytest.param(
            replace(fx.complete_record(), remarks="Pharmacy reference 482913765."),
            ["RED-021"],
            id="red-021",
        ),
    ],
)
def test_build_writes_xml_with_only_warnings(record: CredentialRecord, expected: list[str]) -> None:
    result = fx.run_build(record)
    assert codes(list(result.report.findings)) == expected
    assert result.report.errors == ()
    assert result.xml is not None and result.brief is not None
    loaded = ictb_xml.load("built.xml", result.xml)
    assert loaded == result.brief
    assert _summary(fx.findings(loaded, record)) == _summary(list(result.report.findings))


def test_build_writes_complete_record() -> None:
    result = fx.run_build(fx.complete_record())
    assert result.report.findings == ()
    assert result.xml is not None
    loaded = ictb_xml.load("built.xml", result.xml)
    assert loaded.gaining.id == "N00183"
    assert loaded.provider is not None and loaded.provider.ssn == fx.SSN
