"""Privileges and appointments rules (RULES.md §6.1-§6.6: PRIV-001..060).

Each rule has a case that fires it (severity as RULES.md gives it, message naming the
provider's item and the dates) and the complete factory record, on which no PRIV rule
fires at all.  The date edges of D3-D6 are table-driven.  The last tests run the rules
over the real samples of ``samples/roster.csv``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ictb.rules.privileges as priv_rules  # importing registers the PRIV checkers
from ictb import build, policy, records, roster, rules
from ictb.findings import Finding, Severity
from ictb.model import (
    ActionBasis,
    ActionNotice,
    Appointment,
    AppointmentType,
    Brief,
    CompetencyLetter,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialsFile,
    CredentialStatus,
    Discipline,
    Extension,
    IssuerType,
    LastTour,
    LicenseHistoryEntry,
    Period,
    PracticeHistoryEntry,
    PrivilegeEvent,
    PrivilegeEventType,
    Psv,
    PsvStatus,
    SupervisionLevel,
    SupervisionPlan,
    Supervisor,
    TrainingKind,
)
from tests import factories as fx
from tests.conftest import SAMPLES

AS_OF = fx.AS_OF
D = dt.date
DAY = dt.timedelta(days=1)
CODES = rules.code_range("PRIV", 1, 60)
E = PrivilegeEventType
A = AppointmentType

# Severities as RULES.md §6 states them (not read from the packaged catalog).
SEVERITY = {
    **{code: Severity.ERROR for code in CODES},
    **{
        code: Severity.WARNING
        for code in (
            "PRIV-008",
            "PRIV-012",
            "PRIV-025",
            "PRIV-032",
            "PRIV-041",
            "PRIV-042",
            "PRIV-043",
            "PRIV-045",
            "PRIV-050",
            "PRIV-051",
            "PRIV-053",
            "PRIV-055",
            "PRIV-060",
        )
    },
    "PRIV-054": Severity.INFO,
}
IMPLEMENTED = sorted(
    [f"PRIV-{n:03d}" for n in (*range(1, 13), *range(20, 26), 30, 31, 32)]
    + [f"PRIV-{n:03d}" for n in (*range(40, 46), *range(50, 56), 60)]
)

# Values that must never appear in a finding's message (Encl. 4 §8c categories).
PERSONAL = (fx.SSN, fx.SSN.replace("-", ""), fx.DOB.isoformat(), fx.HOME_LINE, fx.DEA)


# ---------------------------------------------------------------- helpers


def evaluate(
    record: CredentialRecord,
    codes: set[str] | frozenset[str] = CODES,
    *,
    brief: Brief | None = None,
    as_of: dt.date = AS_OF,
    use_record: bool = True,
    periods: tuple[Period, ...] | None = None,
) -> list[Finding]:
    assignment = fx.assignment(periods=periods) if periods is not None else None
    context = rules.Context(
        brief=brief if brief is not None else fx.build_brief(record, assignment),
        as_of=as_of,
        policy=policy.default(),
        record=record if use_record else None,
    )
    return rules.evaluate(context, codes)


def pairs(found: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in found]


def fired(found: list[Finding], code: str, *fragments: str) -> list[Finding]:
    """The findings with ``code``; at least one must name every fragment."""
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} did not fire; found {pairs(found)}"
    for hit in hits:
        assert hit.severity is SEVERITY[code], hit
        assert hit.location and hit.location.startswith(("/credential_record", "/ictb/brief"))
        assert not any(value in hit.message for value in PERSONAL), hit.message
    messages = [h.message for h in hits]
    assert any(all(part in m for part in fragments) for m in messages), (fragments, messages)
    return hits


def quiet(found: list[Finding], code: str) -> None:
    assert code not in [f.code for f in found], pairs(found)


def record_with(**changes: Any) -> CredentialRecord:
    return replace(fx.complete_record(), **changes)


def with_priv(**overrides: Any) -> CredentialRecord:
    return record_with(privileges=fx.privileges(**overrides))


def supervised(**overrides: Any) -> CredentialRecord:
    """The factory physician on supervised privileges with a named supervisor and plan."""
    base: dict[str, Any] = {
        "category": "supervised",
        "independent": False,
        "supervisor": Supervisor(
            name="CAPT Howard J. Leland, MC, USN", category="regular", expires_on=D(2027, 9, 30)
        ),
        "plan": SupervisionPlan(
            scope="Emergency medicine core privileges",
            level=SupervisionLevel.INDIRECT,
            supervisor="CAPT Howard J. Leland, MC, USN",
            criteria="Retrospective review of twenty charts a month",
            frequency="Monthly",
        ),
    }
    return with_priv(**{**base, **overrides})


def temporary(**overrides: Any) -> CredentialRecord:
    base: dict[str, Any] = {
        "category": "temporary",
        "granted_on": D(2026, 11, 1),
        "expires_on": D(2026, 11, 30),
        "justification": "Pressing patient need: two staff emergency physicians deployed.",
    }
    return with_priv(**{**base, **overrides})


def appointment(
    kind: AppointmentType, start: dt.date, end: dt.date | None, **kw: Any
) -> Appointment:
    return Appointment(type=kind, start=start, end=end, dod_mtf="NMC San Diego", **kw)


def credentials_file(**overrides: Any) -> CredentialsFile:
    """A complete §3c file for the factory physician."""
    base = CredentialsFile(
        license_history=(
            LicenseHistoryEntry(
                issuer="Medical Board of California",
                number=fx.STATE_LICENSE,
                status=CredentialStatus.ACTIVE,
                disciplined=False,
            ),
        ),
        practice_history=(
            PracticeHistoryEntry(start=D(2011, 6, 20), end=D(2014, 6, 30)),
            PracticeHistoryEntry(start=D(2014, 7, 1)),
        ),
        sanction_query_on=D(2025, 6, 20),
        ability_statement=True,
        health_statement_confirmed=True,
        competency_letters=(
            CompetencyLetter(
                author="CAPT Howard J. Leland",
                specialty_match=True,
                observed_period="January 2025 to June 2025",
                last_observed_on=D(2025, 6, 13),
            ),
            CompetencyLetter(
                author="CDR Ana R. Whitcombe",
                specialty_match=True,
                observed_period="July 2014 to June 2025",
                last_observed_on=D(2025, 6, 6),
            ),
        ),
        ce_current=True,
        npi="1234567893",
        fbi_check_on=D(2011, 3, 1),
        state_check_on=D(2011, 3, 1),
        consent_signed=True,
        accuracy_signed=True,
        bylaws_signed=True,
    )
    return replace(base, **overrides)


def with_events(*events: PrivilegeEvent) -> CredentialRecord:
    return record_with(privilege_events=events)


# ---------------------------------------------------------------- the complete cases


def test_every_priv_code_of_the_brief_has_a_checker() -> None:
    assert {c for c in rules.registered_codes() if c.startswith("PRIV")} >= set(IMPLEMENTED)


def test_complete_record_gives_no_priv_finding() -> None:
    assert pairs(evaluate(fx.complete_record())) == []


def test_complete_record_gives_no_priv_finding_from_the_ictb_alone() -> None:
    assert pairs(evaluate(fx.complete_record(), use_record=False)) == []


def test_reserve_record_gives_no_priv_finding() -> None:
    assert pairs(evaluate(fx.reserve_record())) == []


def test_complete_supervised_and_temporary_records_give_no_priv_finding() -> None:
    assert pairs(evaluate(supervised())) == []
    period = (Period(facility_id=fx.GAINING.id, start=D(2026, 11, 23), end=D(2026, 11, 30)),)
    assert pairs(evaluate(temporary(), periods=period)) == []


@pytest.mark.parametrize("code", IMPLEMENTED)
def test_each_rule_is_quiet_on_complete_record_asked_alone(code: str) -> None:
    assert evaluate(fx.complete_record(), {code}) == []


# ---------------------------------------------------------------- A10 category words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("regular", "regular"),
        ("Regular", "regular"),
        ("defined", "regular"),
        ("  DEFINED  privileges", "regular"),
        ("provisional", "supervised"),
        ("Provisional", "supervised"),
        ("supervised", "supervised"),
        ("temporary", "temporary"),
        ("courtesy", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_category(text: str | None, expected: str | None) -> None:
    assert priv_rules.normalize_category(text) == expected


# ---------------------------------------------------------------- §6.1 PRIV-001..012


def test_priv_001_fires_for_assignment_days_after_expiry() -> None:
    record = with_priv(expires_on=D(2027, 1, 15))
    found = evaluate(record, {"PRIV-001"})
    hits = fired(found, "PRIV-001", "2027-01-16 to 2027-01-31", "2027-01-15", "regular privileges")
    assert [h.location for h in hits] == ["/credential_record/privileges"]


def test_priv_001_fires_for_days_before_the_grant_and_without_any_privileges() -> None:
    fired(evaluate(with_priv(granted_on=D(2026, 12, 10))), "PRIV-001", "2026-12-01 to 2026-12-09")
    no_priv = record_with(privileges=None)
    fired(evaluate(no_priv, {"PRIV-001"}), "PRIV-001", "no clinical privileges")


def test_priv_001_uses_the_as_of_date_without_an_assignment() -> None:
    found = evaluate(with_priv(expires_on=D(2026, 11, 21)), {"PRIV-001"}, periods=())
    fired(found, "PRIV-001", "2026-11-22", "the as-of date")
    quiet(evaluate(with_priv(expires_on=D(2026, 11, 22)), {"PRIV-001"}, periods=()), "PRIV-001")


def test_priv_001_is_quiet_on_the_expiry_day_and_for_non_privileged_providers() -> None:
    quiet(evaluate(with_priv(expires_on=D(2027, 1, 31)), {"PRIV-001"}), "PRIV-001")
    non_privileged = replace(fx.complete_record(privileged=False), privileges=None)
    quiet(evaluate(non_privileged, {"PRIV-001"}), "PRIV-001")


def test_priv_002_fires_on_an_unknown_category_and_maps_legacy_words() -> None:
    fired(evaluate(with_priv(category="courtesy")), "PRIV-002", "'courtesy'")
    quiet(evaluate(with_priv(category="Defined")), "PRIV-002")
    quiet(evaluate(supervised(category="provisional")), "PRIV-002")
    quiet(evaluate(with_priv(category=None), {"PRIV-002"}), "PRIV-002")  # ICTB-006's case


MONTH_EDGES = [
    pytest.param(D(2025, 7, 1), D(2027, 6, 30), False, id="2025-07-01..2027-06-30-passes"),
    pytest.param(D(2025, 7, 1), D(2027, 7, 1), True, id="2025-07-01..2027-07-01-fires"),
    pytest.param(D(2024, 2, 29), D(2026, 2, 28), False, id="29feb..2026-02-28-passes"),
    pytest.param(D(2024, 2, 29), D(2026, 3, 1), True, id="29feb..anniversary-2026-03-01-fires"),
    pytest.param(D(2024, 12, 1), D(2026, 11, 30), False, id="2024-12-01..2026-11-30-passes"),
    pytest.param(D(2024, 12, 1), D(2026, 12, 1), True, id="2024-12-01..2026-12-01-fires"),
]


@pytest.mark.parametrize(("granted", "expires", "fires"), MONTH_EDGES)
@pytest.mark.parametrize("category", ["regular", "Defined"])
def test_priv_003_regular_privileges_24_months(
    category: str, granted: dt.date, expires: dt.date, fires: bool
) -> None:
    record = with_priv(category=category, granted_on=granted, expires_on=expires)
    found = evaluate(record, {"PRIV-003", "PRIV-004"})
    if fires:
        fired(found, "PRIV-003", str(granted), str(expires), "24 months")
        quiet(found, "PRIV-004")
    else:
        assert found == []


@pytest.mark.parametrize(("granted", "expires", "fires"), MONTH_EDGES)
@pytest.mark.parametrize("category", ["supervised", "provisional"])
def test_priv_004_supervised_privileges_24_months(
    category: str, granted: dt.date, expires: dt.date, fires: bool
) -> None:
    record = supervised(category=category, granted_on=granted, expires_on=expires)
    found = evaluate(record, {"PRIV-003", "PRIV-004"})
    if fires:
        fired(found, "PRIV-004", str(granted), str(expires), "24 months")
        quiet(found, "PRIV-003")
    else:
        assert found == []


def test_priv_005_supervised_without_a_named_supervisor() -> None:
    fired(
        evaluate(supervised(supervisor=None)), "PRIV-005", "supervised privileges", "no supervisor"
    )
    fired(evaluate(supervised(supervisor=Supervisor(name=" "))), "PRIV-005", "no supervisor")
    quiet(evaluate(with_priv(supervisor=None)), "PRIV-005")  # regular privileges


@pytest.mark.parametrize(
    ("supervisor", "fires", "fragments"),
    [
        pytest.param(
            Supervisor(name="CDR Vale", category="supervised", expires_on=D(2027, 9, 30)),
            True,
            ["CDR Vale", "'supervised' privileges, not regular"],
            id="supervisor-not-regular",
        ),
        pytest.param(
            Supervisor(name="CDR Vale", category="regular", expires_on=D(2027, 1, 30)),
            True,
            ["CDR Vale", "2027-01-30", "2027-01-31"],
            id="supervisor-expires-day-before-last-assignment-day",
        ),
        pytest.param(
            Supervisor(name="CDR Vale", category="regular", expires_on=D(2027, 1, 31)),
            False,
            [],
            id="supervisor-expires-on-last-assignment-day",
        ),
        pytest.param(
            Supervisor(name="CDR Vale", category="defined", expires_on=D(2027, 1, 31)),
            False,
            [],
            id="supervisor-legacy-defined-is-regular",
        ),
        pytest.param(
            Supervisor(name="CDR Vale", category="regular"),
            True,
            ["CDR Vale", "no recorded privilege expiry"],
            id="supervisor-expiry-unknown",
        ),
    ],
)
def test_priv_006_supervisor_current_regular_privileges(
    supervisor: Supervisor, fires: bool, fragments: list[str]
) -> None:
    found = evaluate(supervised(supervisor=supervisor), {"PRIV-006"})
    if fires:
        fired(found, "PRIV-006", *fragments)
    else:
        assert found == []


def test_priv_006_tests_only_the_days_of_the_supervised_privileges() -> None:
    # The supervised privileges end before the assignment does: PRIV-001's case, not 006's.
    record = supervised(
        expires_on=D(2027, 1, 10),
        supervisor=Supervisor(name="CDR Vale", category="regular", expires_on=D(2027, 1, 10)),
    )
    quiet(evaluate(record, {"PRIV-006"}), "PRIV-006")


def test_priv_007_supervised_without_a_plan() -> None:
    fired(evaluate(supervised(plan=None)), "PRIV-007", "supervised privileges", "no plan")
    fired(evaluate(supervised(plan=SupervisionPlan())), "PRIV-007", "no plan")
    quiet(evaluate(with_priv(plan=None)), "PRIV-007")


def test_priv_008_incomplete_plan_of_supervision() -> None:
    plan = SupervisionPlan(scope="Core", supervisor="CDR Vale", criteria="Chart review")
    found = evaluate(supervised(plan=plan))
    fired(found, "PRIV-008", "level of supervision", "frequency of evaluation")
    quiet(found, "PRIV-007")
    quiet(evaluate(supervised()), "PRIV-008")


def test_priv_009_supervised_provider_with_a_staff_appointment() -> None:
    current = appointment(A.ACTIVE, D(2025, 7, 1), D(2027, 6, 30))
    found = evaluate(replace(supervised(), appointments=(current,)), {"PRIV-009"})
    hits = fired(found, "PRIV-009", "active appointment", "2025-07-01..2027-06-30")
    assert hits[0].location == "/credential_record/appointments/appointment[1]"
    earlier = appointment(A.ACTIVE, D(2021, 7, 1), D(2023, 6, 30))
    quiet(evaluate(replace(supervised(), appointments=(earlier,)), {"PRIV-009"}), "PRIV-009")


def test_priv_010_supervised_privileges_shown_as_independent() -> None:
    record = supervised(independent=True)
    fired(evaluate(record, {"PRIV-010"}), "PRIV-010", "supervised privileges", "independent")
    hits = fired(evaluate(record, {"PRIV-010"}, use_record=False), "PRIV-010", "independent")
    assert hits[0].location == "/ictb/brief/privileges/independent"
    quiet(evaluate(supervised(independent=False), {"PRIV-010"}), "PRIV-010")
    quiet(evaluate(with_priv(independent=True), {"PRIV-010"}), "PRIV-010")


@pytest.mark.parametrize(
    ("granted", "expires", "fires"),
    [
        pytest.param(D(2026, 11, 1), D(2026, 11, 30), False, id="30-days-passes"),
        pytest.param(D(2026, 11, 1), D(2026, 12, 1), True, id="31-days-fires"),
        pytest.param(D(2026, 2, 1), D(2026, 3, 2), False, id="30-days-across-february"),
        pytest.param(D(2026, 2, 1), D(2026, 3, 3), True, id="31-days-across-february"),
    ],
)
def test_priv_011_temporary_privileges_30_days(
    granted: dt.date, expires: dt.date, fires: bool
) -> None:
    found = evaluate(temporary(granted_on=granted, expires_on=expires), {"PRIV-011"})
    if fires:
        fired(found, "PRIV-011", "temporary privileges", "31 days", str(expires))
    else:
        assert found == []


def test_priv_011_reads_the_category_case_insensitively() -> None:
    record = temporary(category="TEMPORARY", expires_on=D(2026, 12, 1))
    fired(evaluate(record, {"PRIV-011"}), "PRIV-011", "31 days")


def test_priv_012_temporary_privileges_without_a_pressing_need() -> None:
    fired(evaluate(temporary(justification=None), {"PRIV-012"}), "PRIV-012", "no pressing")
    quiet(evaluate(temporary(), {"PRIV-012"}), "PRIV-012")


def test_priv_012_back_to_back_temporary_grants_over_30_days() -> None:
    first = appointment(A.TEMPORARY, D(2026, 10, 12), D(2026, 10, 31), justification="need")
    second = appointment(A.TEMPORARY, D(2026, 11, 1), D(2026, 11, 30), justification="need")
    found = evaluate(replace(temporary(), appointments=(first, second)), {"PRIV-012"})
    fired(found, "PRIV-012", "50 days", "2026-10-12..2026-11-30")
    # one temporary appointment with its own temporary privileges is a single grant
    quiet(evaluate(replace(temporary(), appointments=(second,)), {"PRIV-012"}), "PRIV-012")
    # a gap of one day breaks the chain
    apart = replace(first, end=D(2026, 10, 30))
    quiet(evaluate(replace(temporary(), appointments=(apart, second)), {"PRIV-012"}), "PRIV-012")


# ---------------------------------------------------------------- §6.2 PRIV-020..025


@pytest.mark.parametrize(
    ("prior_end", "fires"),
    [
        pytest.param(D(2026, 5, 24), True, id="gap-181-fires"),
        pytest.param(D(2026, 5, 25), False, id="gap-180-passes"),
    ],
)
def test_priv_020_lapse_of_more_than_180_days(prior_end: dt.date, fires: bool) -> None:
    appts = (
        appointment(A.INITIAL_ACTIVE, D(2025, 5, 26), prior_end),
        appointment(A.ACTIVE, D(2026, 11, 22), D(2028, 11, 21)),
    )
    found = evaluate(record_with(appointments=appts), {"PRIV-020"})
    if fires:
        hits = fired(found, "PRIV-020", "active appointment", str(prior_end), "181 days")
        assert hits[0].location == "/credential_record/appointments/appointment[2]"
    else:
        assert found == []


def test_priv_020_first_dod_appointment_must_be_initial() -> None:
    first = (appointment(A.AFFILIATE, D(2025, 7, 1), D(2027, 6, 30)),)
    fired(evaluate(record_with(appointments=first), {"PRIV-020"}), "PRIV-020", "first DoD MTF")
    # Interp. A4: temporary appointments are outside the rule, both ways
    after_initial = (
        appointment(A.TEMPORARY, D(2025, 6, 1), D(2025, 6, 30)),
        appointment(A.INITIAL, D(2025, 7, 1), D(2026, 6, 30)),
    )
    quiet(evaluate(record_with(appointments=after_initial), {"PRIV-020"}), "PRIV-020")
    after_temporary = (
        appointment(A.TEMPORARY, D(2025, 6, 1), D(2025, 6, 30)),
        appointment(A.ACTIVE, D(2025, 7, 1), D(2027, 6, 30)),
    )
    fired(evaluate(record_with(appointments=after_temporary), {"PRIV-020"}), "PRIV-020")


@pytest.mark.parametrize(
    ("end", "fires"),
    [
        pytest.param(D(2026, 6, 30), False, id="12-months-passes"),
        pytest.param(D(2026, 7, 1), True, id="12-months-plus-1-day-fires"),
    ],
)
@pytest.mark.parametrize("kind", [A.INITIAL, A.INITIAL_ACTIVE, A.INITIAL_AFFILIATE])
def test_priv_021_initial_appointment_12_months(
    kind: AppointmentType, end: dt.date, fires: bool
) -> None:
    appts = (appointment(kind, D(2025, 7, 1), end),)
    found = evaluate(record_with(appointments=appts), {"PRIV-021"})
    if fires:
        fired(found, "PRIV-021", "appointment", "2026-07-01", "2026-06-30", "12 months")
    else:
        assert found == []


def test_priv_021_on_29_february() -> None:
    appts = (appointment(A.INITIAL, D(2024, 2, 29), D(2025, 3, 1)),)
    fired(evaluate(record_with(appointments=appts), {"PRIV-021"}), "PRIV-021", "2025-02-28")
    appts = (appointment(A.INITIAL, D(2024, 2, 29), D(2025, 2, 28)),)
    quiet(evaluate(record_with(appointments=appts), {"PRIV-021"}), "PRIV-021")


def staff_history(kind: AppointmentType, end: dt.date) -> tuple[Appointment, ...]:
    return (
        appointment(A.INITIAL, D(2024, 7, 1), D(2025, 6, 30)),
        appointment(kind, D(2025, 7, 1), end),
    )


@pytest.mark.parametrize(
    ("kind", "code"),
    [(A.ACTIVE, "PRIV-022"), (A.AFFILIATE, "PRIV-023")],
    ids=["active", "affiliate"],
)
def test_priv_022_023_staff_appointment_conditions(kind: AppointmentType, code: str) -> None:
    good = record_with(appointments=staff_history(kind, D(2027, 6, 30)))
    assert evaluate(good, {"PRIV-022", "PRIV-023"}) == []
    too_long = record_with(appointments=staff_history(kind, D(2027, 7, 1)))
    fired(evaluate(too_long, {code}), code, "24 months", "2027-06-30")
    no_initial = record_with(appointments=staff_history(kind, D(2027, 6, 30))[1:])
    fired(evaluate(no_initial, {code}), code, "no initial appointment period was completed")
    not_regular = replace(supervised(), appointments=staff_history(kind, D(2027, 6, 30)))
    fired(evaluate(not_regular, {code}), code, "supervised privileges, not regular")


def test_priv_022_initial_period_must_be_over_before_the_active_one() -> None:
    appts = (
        appointment(A.INITIAL, D(2025, 1, 1), D(2025, 12, 31)),
        appointment(A.ACTIVE, D(2025, 7, 1), D(2027, 6, 30)),
    )
    fired(evaluate(record_with(appointments=appts), {"PRIV-022"}), "PRIV-022", "no initial")


def test_priv_024_025_temporary_appointment() -> None:
    need = "Pressing need: ED coverage"
    matched = appointment(A.TEMPORARY, D(2026, 11, 1), D(2026, 11, 30), justification=need)
    assert evaluate(replace(temporary(), appointments=(matched,)), {"PRIV-024", "PRIV-025"}) == []
    too_long = replace(matched, end=D(2026, 12, 1))
    found = evaluate(
        replace(temporary(expires_on=D(2026, 12, 1)), appointments=(too_long,)), {"PRIV-024"}
    )
    fired(found, "PRIV-024", "temporary appointment", "31 days")
    without_temporary_privileges = record_with(
        appointments=(
            appointment(A.TEMPORARY, D(2026, 11, 1), D(2026, 11, 30), justification=need),
        )
    )
    fired(
        evaluate(without_temporary_privileges, {"PRIV-024"}),
        "PRIV-024",
        "2026-11-01..2026-11-30",
        "regular privileges",
    )
    no_need = replace(temporary(), appointments=(replace(matched, justification=None),))
    fired(evaluate(no_need, {"PRIV-025"}), "PRIV-025", "temporary appointment", "no emergency")


# ---------------------------------------------------------------- §6.3 PRIV-030..032


@pytest.mark.parametrize(
    ("query", "fires"),
    [
        pytest.param(D(2025, 7, 1), False, id="same-day-as-grant-passes"),
        pytest.param(D(2025, 6, 30), False, id="day-before-grant-passes"),
        pytest.param(D(2025, 7, 2), True, id="day-after-grant-fires"),
    ],
)
def test_priv_030_query_on_or_before_the_grant(query: dt.date, fires: bool) -> None:
    record = record_with(npdb=fx.npdb(queried_on=D(2026, 11, 1), action_query_on=query))
    found = evaluate(record, {"PRIV-030"})
    if fires:
        hits = fired(found, "PRIV-030", "NPDB", str(query), "2025-07-01")
        assert hits[0].location == "/credential_record/npdb"
    else:
        assert found == []


def test_priv_030_most_recent_query_after_the_grant_cannot_show_the_action_query() -> None:
    # Interp. A5: without action_query_on, the §5f(7) date is used.
    record = record_with(npdb=fx.npdb(queried_on=D(2026, 11, 16), action_query_on=None))
    fired(evaluate(record, {"PRIV-030"}), "PRIV-030", "most recent", "2026-11-16")
    hits = fired(evaluate(record, {"PRIV-030"}, use_record=False), "PRIV-030", "2026-11-16")
    assert hits[0].location == "/ictb/brief/databank_queries/npdb"


def test_priv_030_hipdb_needs_its_own_query_unless_the_npdb_one_includes_it() -> None:
    without = record_with(npdb=fx.npdb(includes_hipdb=False))
    fired(evaluate(without, {"PRIV-030"}), "PRIV-030", "no HIPDB query")
    with_hipdb = replace(without, hipdb=fx.npdb(includes_hipdb=None))
    quiet(evaluate(with_hipdb, {"PRIV-030"}), "PRIV-030")
    fired(evaluate(record_with(npdb=None), {"PRIV-030"}), "PRIV-030", "no NPDB query")


@pytest.mark.parametrize(
    ("previous", "fires"),
    [
        pytest.param(D(2025, 6, 21), True, id="query-before-previous-action-fires"),
        pytest.param(D(2025, 6, 20), False, id="query-on-previous-action-day-passes"),
        pytest.param(D(2023, 7, 1), False, id="query-after-previous-action-passes"),
    ],
)
def test_priv_031_query_from_an_earlier_cycle(previous: dt.date, fires: bool) -> None:
    found = evaluate(with_priv(prev_action_on=previous), {"PRIV-031"})
    if fires:
        fired(found, "PRIV-031", "2025-06-20", str(previous), "earlier cycle")
    else:
        assert found == []


def test_priv_032_privileges_without_ccqas_record() -> None:
    fired(evaluate(with_priv(ccqas_id=None)), "PRIV-032", "regular privileges", "no CCQAS")
    fired(evaluate(with_priv(ccqas_id=""), use_record=False), "PRIV-032", "no CCQAS")


# ---------------------------------------------------------------- §6.4 PRIV-040..045


def change_training(
    record: CredentialRecord, kind: TrainingKind, **changes: Any
) -> CredentialRecord:
    edu = tuple(replace(t, **changes) if t.kind is kind else t for t in record.education)
    return replace(record, education=edu)


def change_credential(
    record: CredentialRecord, kind: CredentialKind, **changes: Any
) -> CredentialRecord:
    creds = tuple(replace(c, **changes) if c.kind is kind else c for c in record.credentials)
    return replace(record, credentials=creds)


@pytest.mark.parametrize(
    ("psv", "fragments"),
    [
        pytest.param(None, ["no primary-source verification"], id="no-psv"),
        pytest.param(Psv(status=PsvStatus.ABSENT), ["no primary-source"], id="psv-absent"),
        pytest.param(
            Psv(status=PsvStatus.PRESENT, on=D(2025, 7, 2), primary=True),
            ["2025-07-02", "after the regular privileges"],
            id="verified-day-after-grant",
        ),
        pytest.param(
            Psv(status=PsvStatus.PRESENT, on=D(2014, 8, 4), primary=False),
            ["secondary source"],
            id="secondary-source",
        ),
        pytest.param(Psv(status=PsvStatus.PRESENT, primary=True), ["undated"], id="undated"),
    ],
)
def test_priv_040_degree_without_psv_before_the_grant(
    psv: Psv | None, fragments: list[str]
) -> None:
    record = change_training(fx.complete_record(), TrainingKind.DEGREE, psv=psv)
    hits = fired(
        evaluate(record, {"PRIV-040", "PRIV-041"}), "PRIV-040", "Doctor of Medicine", *fragments
    )
    assert hits[0].location == "/credential_record/education/training[1]"


def test_priv_040_psv_on_the_grant_day_passes() -> None:
    psv = Psv(status=PsvStatus.PRESENT, on=D(2025, 7, 1), primary=True)
    record = change_training(fx.complete_record(), TrainingKind.RESIDENCY, psv=psv)
    assert evaluate(record, {"PRIV-040", "PRIV-041"}) == []


def test_priv_040_license_and_board_need_primary_source_verification() -> None:
    record = change_credential(fx.complete_record(), CredentialKind.LICENSE, psv=None)
    fired(evaluate(record, {"PRIV-040"}), "PRIV-040", "Physician and Surgeon License (California)")
    record = change_credential(
        fx.complete_record(), CredentialKind.BOARD, psv=Psv(PsvStatus.ABSENT)
    )
    fired(evaluate(record, {"PRIV-040"}), "PRIV-040", "Board Certification in Emergency Medicine")
    # a renewable credential's later PSV date is its re-verification (the factory's license
    # was verified again on 2026-04-06, after the 2025 grant)
    quiet(evaluate(fx.complete_record(), {"PRIV-040"}), "PRIV-040")


def test_priv_040_staff_appointment_is_a_grant_too() -> None:
    psv = Psv(status=PsvStatus.PRESENT, on=D(2014, 8, 4), primary=True)
    record = change_training(fx.complete_record(), TrainingKind.DEGREE, psv=psv)
    record = replace(record, appointments=(appointment(A.INITIAL, D(2014, 7, 1), D(2015, 6, 30)),))
    fired(evaluate(record, {"PRIV-040"}), "PRIV-040", "2014-08-04", "after the initial appointment")


def test_priv_041_psv_gap_under_temporary_privileges_only() -> None:
    record = change_training(temporary(), TrainingKind.RESIDENCY, psv=None)
    found = evaluate(record, {"PRIV-040", "PRIV-041"})
    fired(found, "PRIV-041", "Residency in Emergency Medicine", "temporary privileges")
    quiet(found, "PRIV-040")


def test_priv_040_ecfmg_certificate_for_foreign_medical_graduates() -> None:
    fmg = fx.complete_record(fmg=True, fmg_school_country="Ireland")
    fired(evaluate(fmg, {"PRIV-040"}), "PRIV-040", "ECFMG certificate")
    canada = fx.complete_record(fmg=True, fmg_school_country="Canada")
    quiet(evaluate(canada, {"PRIV-040"}), "PRIV-040")
    ecfmg = Credential(
        kind=CredentialKind.CERTIFICATION,
        title="Standard ECFMG Certificate",
        issuer="ECFMG",
        issuer_type=IssuerType.NATIONAL_BODY,
        effective_on=D(2010, 3, 1),
        psv=Psv(status=PsvStatus.PRESENT, on=D(2014, 8, 4), primary=True),
    )
    verified = replace(fmg, credentials=(*fmg.credentials, ecfmg))
    quiet(evaluate(verified, {"PRIV-040"}), "PRIV-040")
    late_psv = Psv(status=PsvStatus.PRESENT, on=D(2025, 8, 1), primary=True)
    late = replace(fmg, credentials=(*fmg.credentials, replace(ecfmg, psv=late_psv)))
    fired(evaluate(late, {"PRIV-040"}), "PRIV-040", "Standard ECFMG Certificate", "2025-08-01")


def test_priv_040_to_045_are_silent_without_a_record() -> None:
    record = change_training(fx.complete_record(), TrainingKind.DEGREE, psv=None)
    record = replace(record, credentials_file=CredentialsFile())
    codes = {"PRIV-040", "PRIV-041", "PRIV-042", "PRIV-043", "PRIV-044", "PRIV-045"}
    assert evaluate(record, codes, use_record=False) == []
    assert evaluate(record, codes) != []


def test_priv_042_license_history() -> None:
    assert evaluate(record_with(credentials_file=credentials_file()), {"PRIV-042"}) == []
    empty = record_with(credentials_file=credentials_file(license_history=()))
    fired(evaluate(empty, {"PRIV-042"}), "PRIV-042", "does not list", "Physician and Surgeon")
    lapsed = LicenseHistoryEntry(
        issuer="Nevada State Board of Medical Examiners",
        number="16022",
        status=CredentialStatus.LAPSED,
    )
    file = credentials_file(license_history=(*credentials_file().license_history, lapsed))
    found = evaluate(record_with(credentials_file=file), {"PRIV-042"})
    hits = fired(found, "PRIV-042", "Nevada State Board of Medical Examiners", "lapsed")
    assert hits[0].location.endswith("/license_history/entry[2]")  # type: ignore[union-attr]
    explained = replace(lapsed, explanation="Allowed to lapse after leaving Nevada.")
    file = credentials_file(license_history=(*credentials_file().license_history, explained))
    quiet(evaluate(record_with(credentials_file=file), {"PRIV-042"}), "PRIV-042")
    disciplined = LicenseHistoryEntry(
        issuer="Medical Board of California",
        number=fx.STATE_LICENSE,
        status=CredentialStatus.ACTIVE,
        disciplined=True,
    )
    file = credentials_file(license_history=(disciplined,))
    fired(evaluate(record_with(credentials_file=file), {"PRIV-042"}), "PRIV-042", "disciplined")


@pytest.mark.parametrize(
    ("resumed", "explanation", "fires"),
    [
        pytest.param(D(2020, 1, 31), None, False, id="gap-30-days-passes"),
        pytest.param(D(2020, 2, 1), None, True, id="gap-31-days-fires"),
        pytest.param(D(2020, 6, 1), "Parental leave", False, id="explained-gap-passes"),
    ],
)
def test_priv_043_practice_gaps(resumed: dt.date, explanation: str | None, fires: bool) -> None:
    history = (
        PracticeHistoryEntry(start=D(2014, 7, 1), end=D(2019, 12, 31)),
        PracticeHistoryEntry(start=resumed, explanation=explanation),
    )
    record = record_with(credentials_file=credentials_file(practice_history=history))
    found = evaluate(record, {"PRIV-043"})
    if fires:
        fired(found, "PRIV-043", "31 days", "2020-01-01..2020-01-31")
    else:
        assert found == []


def test_priv_043_looks_back_10_years_only() -> None:
    history = (
        PracticeHistoryEntry(start=D(2011, 6, 20), end=D(2014, 6, 30)),
        PracticeHistoryEntry(start=D(2016, 11, 22)),  # the gap ends on the 10-year line
    )
    record = record_with(credentials_file=credentials_file(practice_history=history))
    assert evaluate(record, {"PRIV-043"}) == []
    history = (*history[:1], PracticeHistoryEntry(start=D(2016, 12, 23)))
    record = record_with(credentials_file=credentials_file(practice_history=history))
    fired(evaluate(record, {"PRIV-043"}), "PRIV-043", "2016-11-22..2016-12-22")


def test_priv_044_credentials_file_items() -> None:
    assert evaluate(record_with(credentials_file=credentials_file()), {"PRIV-044"}) == []
    file = credentials_file(npi=None, bylaws_signed=False, competency_letters=())
    found = evaluate(record_with(credentials_file=file), {"PRIV-044"})
    hits = fired(found, "PRIV-044", "(h) NPI", "(l) signed agreement", "(e) two competency")
    assert hits[0].location == "/credential_record/credentials_file"
    no_dea = record_with(
        credentials_file=credentials_file(),
        credentials=tuple(c for c in fx.credentials() if c.kind is not CredentialKind.DEA),
    )
    fired(evaluate(no_dea, {"PRIV-044"}), "PRIV-044", "(g) DEA certificate")
    excepted = replace(no_dea, credentials_file=credentials_file(dea_exception=True))
    quiet(evaluate(excepted, {"PRIV-044"}), "PRIV-044")
    psychologist = replace(
        no_dea, provider=fx.provider(discipline=Discipline.CLINICAL_PSYCHOLOGIST)
    )
    quiet(evaluate(psychologist, {"PRIV-044"}), "PRIV-044")


def test_priv_045_competency_letters() -> None:
    letters = credentials_file().competency_letters
    other = replace(letters[0], specialty_match=False)
    vague = replace(letters[1], observed_period=None, last_observed_on=None)
    file = credentials_file(competency_letters=(other, vague))
    found = evaluate(record_with(credentials_file=file), {"PRIV-045"})
    fired(found, "PRIV-045", "CAPT Howard J. Leland", "not from the same or a similar specialty")
    fired(found, "PRIV-045", "CDR Ana R. Whitcombe", "neither the period observed")
    only_date = replace(letters[1], observed_period=None)
    file = credentials_file(competency_letters=(letters[0], only_date))
    quiet(evaluate(record_with(credentials_file=file), {"PRIV-045"}), "PRIV-045")


# ---------------------------------------------------------------- §6.5 PRIV-050..055


def restriction(**kw: Any) -> PrivilegeEvent:
    base: dict[str, Any] = {
        "type": E.RESTRICTION,
        "on": D(2026, 10, 1),
        "basis": ActionBasis.COMPETENCE,
    }
    return PrivilegeEvent(**{**base, **kw})


def test_priv_050_restriction_in_effect() -> None:
    found = evaluate(with_events(restriction()), {"PRIV-050"})
    hits = fired(found, "PRIV-050", "restriction of 2026-10-01", "privilege list", "supervision")
    assert hits[0].location == "/credential_record/privilege_events/event[1]"
    shown = replace(
        with_events(restriction(supervision_arranged=True)),
        privileges=fx.privileges(restricted=True),
    )
    quiet(evaluate(shown, {"PRIV-050"}), "PRIV-050")
    ended = with_events(restriction(ended_on=D(2026, 11, 21)))
    quiet(evaluate(ended, {"PRIV-050"}, periods=()), "PRIV-050")
    # D7: a restriction that starts on an assignment day is in effect for the assignment
    later = with_events(restriction(on=D(2027, 1, 31)))
    fired(evaluate(later, {"PRIV-050"}), "PRIV-050", "2027-01-31")


def abeyance(on: dt.date, **kw: Any) -> PrivilegeEvent:
    notice = ActionNotice(on=on, reason="QA investigation of a patient safety event", term_days=30)
    return PrivilegeEvent(**{"type": E.ABEYANCE, "on": on, "notice": notice, **kw})


def test_priv_051_abeyance_notice() -> None:
    quiet(evaluate(with_events(abeyance(D(2026, 11, 10))), {"PRIV-051"}), "PRIV-051")
    bare = replace(abeyance(D(2026, 11, 10)), notice=None)
    fired(
        evaluate(with_events(bare), {"PRIV-051"}),
        "PRIV-051",
        "abeyance of 2026-11-10",
        "no written notice",
        "no reason",
        "no term",
    )
    long_term = replace(abeyance(D(2026, 11, 10)), notice=ActionNotice(D(2026, 11, 10), "QA", 31))
    fired(evaluate(with_events(long_term), {"PRIV-051"}), "PRIV-051", "31 days")


@pytest.mark.parametrize(
    ("day", "fires"),
    [
        pytest.param(30, False, id="day-30-passes"),
        pytest.param(31, True, id="day-31-fires"),
    ],
)
def test_priv_052_abeyance_without_disposition(day: int, fires: bool) -> None:
    start = AS_OF - dt.timedelta(days=day - 1)  # D4: the start is day 1
    found = evaluate(with_events(abeyance(start)), {"PRIV-052"})
    if fires:
        fired(found, "PRIV-052", f"abeyance of {start}", "day 31", str(AS_OF))
    else:
        assert found == []


def test_priv_052_disposition_within_30_days() -> None:
    start = AS_OF - dt.timedelta(days=40)
    reinstated = PrivilegeEvent(type=E.REINSTATEMENT, on=start + dt.timedelta(days=20))
    quiet(evaluate(with_events(abeyance(start), reinstated), {"PRIV-052"}), "PRIV-052")
    ended = abeyance(start, ended_on=start + dt.timedelta(days=29))
    quiet(evaluate(with_events(ended), {"PRIV-052"}), "PRIV-052")
    ended_late = abeyance(start, ended_on=start + dt.timedelta(days=30))
    fired(evaluate(with_events(ended_late), {"PRIV-052"}), "PRIV-052", "day 31")


def summary_suspension(on: dt.date, **kw: Any) -> PrivilegeEvent:
    return PrivilegeEvent(**{"type": E.SUMMARY_SUSPENSION, "on": on, **kw})


@pytest.mark.parametrize(
    ("days", "extensions", "fires"),
    [
        pytest.param(180, (), False, id="180-days-passes"),
        pytest.param(181, (), True, id="181-days-without-approval-fires"),
        pytest.param(181, (D(2026, 5, 20),), False, id="181-days-with-approval-passes"),
        pytest.param(361, (D(2026, 5, 20),), True, id="third-interval-needs-second-approval"),
    ],
)
def test_priv_053_summary_suspension_over_180_days(
    days: int, extensions: tuple[dt.date, ...], fires: bool
) -> None:
    start = AS_OF - dt.timedelta(days=days - 1)
    event = summary_suspension(start, extensions=tuple(Extension(d) for d in extensions))
    found = evaluate(with_events(event), {"PRIV-053"})
    if fires:
        fired(found, "PRIV-053", f"summary suspension of {start}", f"{days} calendar days")
    else:
        assert found == []


def test_priv_053_suspension_ended_by_the_final_action() -> None:
    start = AS_OF - dt.timedelta(days=300)
    final = PrivilegeEvent(type=E.SUSPENSION, on=start + dt.timedelta(days=100))
    quiet(evaluate(with_events(summary_suspension(start), final), {"PRIV-053"}), "PRIV-053")


def test_priv_053_counts_the_summary_suspension_an_abeyance_became() -> None:
    start = AS_OF - dt.timedelta(days=30 + 181 - 1)
    found = evaluate(with_events(abeyance(start)), {"PRIV-053"})
    fired(found, "PRIV-053", f"summary suspension of {start + dt.timedelta(days=30)}", "181")


def test_priv_054_abeyance_and_summary_suspension_are_not_adverse() -> None:
    events = (
        abeyance(D(2026, 1, 5), ended_on=D(2026, 1, 20)),
        summary_suspension(D(2026, 3, 1), ended_on=D(2026, 4, 1)),
    )
    found = evaluate(with_events(*events), {"PRIV-054"})
    fired(found, "PRIV-054", "abeyance of 2026-01-05", "not an adverse", "not reportable")
    fired(found, "PRIV-054", "summary suspension of 2026-03-01", "only if the final action is")
    quiet(evaluate(with_events(restriction()), {"PRIV-054"}), "PRIV-054")


@pytest.mark.parametrize(
    ("reported_day", "fires"),
    [
        pytest.param(30, False, id="report-on-day-30-passes"),
        pytest.param(31, True, id="report-on-day-31-fires"),
    ],
)
def test_priv_055_npdb_report_within_30_days(reported_day: int, fires: bool) -> None:
    final = D(2026, 6, 1)
    reported = final + dt.timedelta(days=reported_day - 1)  # D4: the decision day is day 1
    event = restriction(
        on=D(2026, 3, 1), final_on=final, npdb_reported_on=reported, ended_on=D(2026, 9, 1)
    )
    found = evaluate(with_events(event), {"PRIV-055"})
    if fires:
        fired(found, "PRIV-055", "restriction of 2026-03-01", "2026-06-01", str(reported))
    else:
        assert found == []


def test_priv_055_unreported_and_not_adverse() -> None:
    unreported = restriction(on=D(2026, 3, 1), final_on=D(2026, 6, 1))
    fired(evaluate(with_events(unreported), {"PRIV-055"}), "PRIV-055", "no NPDB report")
    recent = restriction(on=D(2026, 10, 1), final_on=AS_OF - dt.timedelta(days=29))
    quiet(evaluate(with_events(recent), {"PRIV-055"}), "PRIV-055")  # still on day 30
    facility = PrivilegeEvent(
        type=E.DENIAL,
        on=D(2026, 3, 1),
        final_on=D(2026, 4, 1),
        basis=ActionBasis.FACILITY_LIMITATION,
    )
    quiet(evaluate(with_events(facility), {"PRIV-055"}), "PRIV-055")
    not_final = restriction(on=D(2026, 3, 1))
    quiet(evaluate(with_events(not_final), {"PRIV-055"}), "PRIV-055")


# ---------------------------------------------------------------- §6.6 PRIV-060


@pytest.mark.parametrize(
    ("last_privileged", "fires"),
    [
        pytest.param(D(2024, 11, 22), False, id="exactly-2-years-passes"),
        pytest.param(D(2024, 11, 21), True, id="2-years-plus-1-day-fires"),
    ],
)
def test_priv_060_current_competence(last_privileged: dt.date, fires: bool) -> None:
    record = with_priv(granted_on=D(2022, 11, 23), expires_on=last_privileged)
    found = evaluate(record, {"PRIV-060"})
    if fires:
        fired(found, "PRIV-060", "2 years before 2026-11-22", str(last_privileged))
    else:
        assert found == []


def test_priv_060_recent_graduate_education_counts() -> None:
    record = change_training(
        with_priv(granted_on=D(2020, 7, 1), expires_on=D(2022, 6, 30)),
        TrainingKind.RESIDENCY,
        completed_on=D(2025, 6, 30),
    )
    quiet(evaluate(record, {"PRIV-060"}), "PRIV-060")


def test_priv_060_reservist_with_an_old_tour_and_no_civilian_privileges() -> None:
    old = LastTour(mtf="Naval Hospital Jacksonville", start=D(2024, 6, 1), end=D(2024, 6, 14))
    record = replace(
        fx.reserve_record(last_tour=old, civ_privileges="None"),
        privileges=fx.privileges(granted_on=D(2022, 6, 1), expires_on=D(2024, 5, 31)),
    )
    fired(evaluate(record, {"PRIV-060"}), "PRIV-060", "the last clinical tour on 2024-06-14")
    recent = replace(record, reserve=fx.reserve_details(last_tour=old))  # civilian privileges
    quiet(evaluate(recent, {"PRIV-060"}), "PRIV-060")


def test_priv_060_suspended_privileges_are_no_permission_to_practise() -> None:
    revoked = PrivilegeEvent(type=E.REVOCATION, on=D(2024, 7, 1))
    record = replace(
        with_priv(granted_on=D(2023, 7, 1), expires_on=D(2025, 6, 30)), privilege_events=(revoked,)
    )
    fired(evaluate(record, {"PRIV-060"}), "PRIV-060", "2024-06-30")


# ---------------------------------------------------------------- the ends of the calendar


def eventful_record() -> CredentialRecord:
    """Supervised privileges, a complete credentials file, appointments and every kind of
    privilege event: something for every PRIV rule's date arithmetic."""
    events = (
        abeyance(D(2026, 1, 5)),
        summary_suspension(D(2026, 3, 1), extensions=(Extension(D(2026, 5, 1)),)),
        PrivilegeEvent(type=E.REINSTATEMENT, on=D(2026, 4, 1)),
        restriction(final_on=D(2026, 6, 1), npdb_reported_on=D(2026, 6, 20)),
    )
    return replace(
        supervised(),
        credentials_file=credentials_file(),
        privilege_events=events,
        appointments=(appointment(A.INITIAL, D(2025, 1, 1), D(2025, 12, 31)),),
    )


@pytest.mark.parametrize("as_of", [AS_OF, dt.date.max, dt.date.min], ids=str)
@pytest.mark.parametrize("day", [dt.date.max, dt.date.min], ids=str)
def test_every_priv_rule_evaluates_a_record_at_an_end_of_the_calendar(
    day: dt.date, as_of: dt.date
) -> None:
    # Every date of the record and of its brief on 9999-12-31 (or 0001-01-01): the rules
    # still run, none of their date arithmetic overflows.
    record = fx.every_date(eventful_record(), day)
    brief = fx.every_date(fx.build_brief(record), day)
    for found in evaluate(record, CODES, brief=brief, as_of=as_of):
        assert found.code in CODES


def test_priv_001_over_a_period_to_the_last_day_of_the_calendar() -> None:
    period = Period(facility_id=fx.GAINING.id, start=D(9999, 12, 30), end=dt.date.max)
    found = evaluate(fx.complete_record(), {"PRIV-001"}, periods=(period,))
    fired(found, "PRIV-001", "9999-12-30 to 9999-12-31")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    window=st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted),
    granted=st.none() | st.integers(0, 40),
    expires=st.none() | st.integers(0, 40),
)
def test_priv_001_uncovered_runs_are_the_days_outside_the_privileges(
    window: list[int], granted: int | None, expires: int | None
) -> None:
    # Worked out from the ends, the runs are exactly the uncovered days of D2, grouped.
    def day(n: int) -> dt.date:
        return D(2026, 1, 1) + dt.timedelta(days=n)

    first, last = day(window[0]), day(window[1])
    g = None if granted is None else day(granted)
    e = None if expires is None else day(expires)
    runs = priv_rules._uncovered(first, last, g, e)
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    outside = [d for d in days if not (g is None or d >= g) or not (e is None or d <= e)]
    expected: list[tuple[dt.date, dt.date]] = []
    for d in outside:
        if expected and expected[-1][1] + DAY == d:
            expected[-1] = (expected[-1][0], d)
        else:
            expected.append((d, d))
    assert runs == expected


def test_priv_043_practice_covered_to_the_last_day_of_the_calendar() -> None:
    history = (PracticeHistoryEntry(start=D(2014, 7, 1), end=dt.date.max),)
    record = record_with(credentials_file=credentials_file(practice_history=history))
    assert evaluate(record, {"PRIV-043"}, as_of=dt.date.max) == []


def test_competence_steps_back_over_a_suspension_from_the_first_day_of_the_calendar() -> None:
    # Privileges granted on 0001-01-01 and suspended since: no day of permitted practice
    # (the step back must stop at the first day, not run before it).
    record = with_events(summary_suspension(dt.date.min))
    record = replace(record, privileges=fx.privileges(granted_on=dt.date.min))
    for found in evaluate(record, CODES):
        assert found.code in CODES


# ---------------------------------------------------------------- the real samples


JOBS = roster.read(SAMPLES / "roster.csv")


def sample_findings(record_path: Path, assignment: build.Assignment) -> list[Finding]:
    record = records.load(record_path)
    brief = build.assemble(record, assignment, issued_on=D(2026, 11, 22))
    context = rules.Context(
        brief=brief, as_of=D(2026, 11, 22), policy=policy.default(), record=record
    )
    return rules.evaluate(context, CODES)


@pytest.mark.parametrize(
    ("record_path", "assignment"), JOBS, ids=[f"{p.stem}-{a.gaining.id}" for p, a in JOBS]
)
def test_sample_findings_are_well_formed(record_path: Path, assignment: build.Assignment) -> None:
    record = records.load(record_path)
    personal = [v for v in (record.provider.ssn, record.provider.dob) if v is not None]
    personal += [c.number for c in record.credentials if c.kind is CredentialKind.DEA and c.number]
    if record.provider.home_address is not None:
        personal += list(record.provider.home_address.lines)
    for found in sample_findings(record_path, assignment):
        assert found.code in CODES
        assert found.severity is SEVERITY[found.code]
        assert found.location and found.location.startswith(("/credential_record/", "/ictb/brief/"))
        assert not any(str(value) in found.message for value in personal), found.message
