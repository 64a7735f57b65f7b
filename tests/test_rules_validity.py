"""ICTB validity rules (RULES.md §3-§4: ICTB-016..035) as `check` runs them.

Every code fires in some case here (with the severity RULES.md gives and a message that
names the dates or items) and none fires on the complete record.  The date edges follow
D2 and Interp. A1 (the expiry day is still covered), D7 (the window's last day) and
D8 ("after" is strict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace

import pytest

from ictb import policy, rules
from ictb.findings import Finding, Severity
from ictb.model import (
    Brief,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialRef,
    DatabankQuery,
    Distribution,
    DistributionEntry,
    GainingGrant,
    NotGranted,
    NotGrantedReason,
    OtherInformation,
    Period,
    PrivilegeEvent,
    PrivilegeEventType,
    RenewalConfirmation,
)
from ictb.rules import Context
from ictb.rules.validity import blocking_intervals, confirmation_problems, effective_events
from tests import factories as fx

D = dt.date
E = PrivilegeEventType
AS_OF = fx.AS_OF  # 2026-11-22, also the issue and certification date of the briefs
GAINING = fx.GAINING.id  # N00183
PRIV_EXPIRES = D(2027, 6, 30)
PERIOD = Period(facility_id=GAINING, start=D(2026, 12, 1), end=D(2027, 1, 31))
LAST_DAY = PERIOD.end
BLS = "Basic Life Support (BLS)"
APPRAISAL = "Performance appraisal on DA Form 67-10-2 at the end of the assignment"
OTHER_ICTB = "9a1d4c2e-0b7f-4e3a-8c6d-5f2e1b0a9c87"

VALIDITY_CODES = rules.code_range("ICTB", 16, 35)

# Severities as RULES.md §3-§4 state them (not read from the packaged catalog, so a
# catalog that drifted from RULES.md fails here).
SEVERITY = {
    "ICTB-016": Severity.WARNING,
    "ICTB-017": Severity.WARNING,
    "ICTB-018": Severity.WARNING,
    "ICTB-019": Severity.WARNING,
    "ICTB-020": Severity.ERROR,
    "ICTB-021": Severity.ERROR,
    "ICTB-022": Severity.WARNING,
    "ICTB-023": Severity.INFO,
    "ICTB-024": Severity.INFO,
    "ICTB-025": Severity.WARNING,
    "ICTB-026": Severity.ERROR,
    "ICTB-027": Severity.WARNING,
    "ICTB-028": Severity.INFO,
    "ICTB-029": Severity.WARNING,
    "ICTB-030": Severity.ERROR,
    "ICTB-031": Severity.ERROR,
    "ICTB-032": Severity.ERROR,
    "ICTB-033": Severity.ERROR,
    "ICTB-034": Severity.INFO,
    "ICTB-035": Severity.INFO,
}


# ---------------------------------------------------------------- helpers


def credentials(
    *,
    license: Credential | None = None,
    dea: Credential | None = None,
    board: Credential | None = None,
    bls: Credential | None = None,
) -> tuple[Credential, ...]:
    """The factory record's credentials with some replaced."""
    return (
        license or fx.state_license(),
        dea or fx.dea_registration(),
        board or fx.board_certification(),
        bls or fx.life_support(BLS, D(2027, 9, 30)),
        fx.life_support("Advanced Cardiovascular Life Support (ACLS)", D(2027, 10, 31)),
    )


def record(
    *,
    events: Iterable[PrivilegeEvent] = (),
    creds: tuple[Credential, ...] | None = None,
    **provider: object,
) -> CredentialRecord:
    base = fx.complete_record(**provider)
    return replace(
        base,
        privilege_events=tuple(events),
        credentials=creds if creds is not None else base.credentials,
    )


def brief(
    source: CredentialRecord | None = None,
    *,
    periods: tuple[Period, ...] | None = None,
    **overrides: object,
) -> Brief:
    """The ICTB `build` makes on AS_OF (issued and certified that day), with overrides."""
    assignment = fx.assignment(periods=periods) if periods is not None else None
    return fx.build_brief(source or fx.complete_record(), assignment, **overrides)


def run(
    document: Brief | None = None,
    *,
    as_of: dt.date = AS_OF,
    record: CredentialRecord | None = None,
    **context: object,
) -> list[Finding]:
    """The ICTB-016..035 findings, each checked against the severity RULES.md gives."""
    ctx = Context(
        brief=document if document is not None else brief(),
        as_of=as_of,
        policy=policy.default(),
        record=record,
        **context,  # type: ignore[arg-type]
    )
    found = rules.evaluate(ctx, VALIDITY_CODES)
    for f in found:
        assert f.severity is SEVERITY[f.code], (f.code, f.severity)
        assert f.source.startswith("DoDM 6025.13 Encl. 4 §5"), f
    return found


def only(found: list[Finding], code: str) -> list[Finding]:
    return [f for f in found if f.code == code]


def codes(found: list[Finding]) -> set[str]:
    return {f.code for f in found}


def event(kind: PrivilegeEventType, on: dt.date, ended_on: dt.date | None = None) -> PrivilegeEvent:
    return PrivilegeEvent(type=kind, on=on, ended_on=ended_on)


def confirmation(**overrides: object) -> RenewalConfirmation:
    """A renewal confirmation of the BLS card that meets every condition of ICTB-028."""
    base = RenewalConfirmation(
        credential=CredentialRef(kind=CredentialKind.LIFE_SUPPORT, title=BLS),
        ictb_id=fx.DOCUMENT_ID,
        confirmed_with="Naval Medical Center San Diego, Medical Staff Services",
        with_is_file_holder=True,
        on=D(2026, 11, 20),
        new_expires_on=D(2028, 10, 31),
        in_gaining_file=True,
        recorded_by="Medical Staff Services, Naval Hospital Camp Pendleton",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def expired_bls() -> Brief:
    return brief(record(creds=credentials(bls=fx.life_support(BLS, D(2026, 10, 31)))))


def expired_license() -> Brief:
    return brief(record(creds=credentials(license=fx.state_license(expires_on=D(2026, 11, 15)))))


LICENSE_REF = CredentialRef(kind=CredentialKind.LICENSE, issuer="California")


def grant(**overrides: object) -> GainingGrant:
    """The gaining facility grants the whole sending list up to the sending expiry."""
    base = GainingGrant(
        ictb_id=fx.DOCUMENT_ID,
        facility=GAINING,
        granted_on=D(2026, 12, 1),
        expires_on=PRIV_EXPIRES,
        privileges=fx.privileges().privileges,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


# ---------------------------------------------------------------- every code


def test_complete_record_has_no_validity_finding() -> None:
    assert run() == []
    # ... also with the record, a matching distribution record and a matching grant
    sent = Distribution(sent=(DistributionEntry(ictb_id=fx.DOCUMENT_ID, facility=GAINING),))
    assert run(record=fx.complete_record(), distribution=sent, grant=grant()) == []


SCENARIOS: dict[str, Callable[[], list[Finding]]] = {
    "ICTB-016": lambda: run(brief(npdb=fx.npdb(reported=True))),
    "ICTB-017": lambda: run(brief(observer=fx.observer(other_info=OtherInformation(True)))),
    "ICTB-018": lambda: run(brief(application_attached=False)),
    "ICTB-019": lambda: run(brief(record(privileged=False))),
    "ICTB-020": lambda: run(as_of=D(2027, 7, 1)),
    "ICTB-021": lambda: run(brief(periods=(replace(PERIOD, end=D(2027, 7, 1)),))),
    "ICTB-022": lambda: run(as_of=PRIV_EXPIRES),
    "ICTB-023": lambda: run(as_of=D(2027, 6, 15)),
    "ICTB-024": lambda: run(
        brief(periods=(PERIOD, replace(PERIOD, start=D(2027, 3, 1), end=D(2027, 3, 14))))
    ),
    "ICTB-025": lambda: run(distribution=Distribution()),
    "ICTB-026": lambda: run(expired_license()),
    "ICTB-027": lambda: run(expired_bls()),
    "ICTB-028": lambda: run(expired_bls(), confirmations=(confirmation(),)),
    "ICTB-029": lambda: run(expired_bls(), confirmations=(confirmation(on=None),)),
    "ICTB-030": lambda: run(superseded_by=OTHER_ICTB),
    "ICTB-031": lambda: run(
        as_of=D(2026, 12, 10), record=record(events=[event(E.SUSPENSION, D(2026, 12, 5))])
    ),
    "ICTB-032": lambda: run(brief(privileges=fx.privileges(granted_on=D(2026, 11, 23)))),
    "ICTB-033": lambda: run(grant=grant(privileges=("Cardiac catheterization",))),
    "ICTB-034": lambda: run(
        grant=grant(
            not_granted=(NotGranted("Surgical airway", NotGrantedReason.FACILITY_LIMITATION),)
        )
    ),
    "ICTB-035": lambda: run(brief(appraisal_request=APPRAISAL)),
}


def test_scenarios_cover_every_validity_code() -> None:
    assert set(SCENARIOS) == set(VALIDITY_CODES) == set(SEVERITY)


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_each_code_fires_with_the_rules_md_severity(code: str) -> None:
    found = only(SCENARIOS[code](), code)
    assert found, code
    assert all(f.severity is SEVERITY[code] for f in found)
    assert all(f.message and f.location for f in found)


# ---------------------------------------------------------------- §3: things to look into


@pytest.mark.parametrize(
    ("queries", "bank", "day"),
    [
        ({"npdb": fx.npdb(reported=True)}, "NPDB", "2025-06-20"),
        (
            {"hipdb": DatabankQuery(queried_on=D(2025, 6, 21), reported=True)},
            "HIPDB",
            "2025-06-21",
        ),
    ],
    ids=["npdb-reported", "hipdb-reported"],
)
def test_016_databank_report_is_looked_into(queries: dict[str, object], bank: str, day: str):
    (found,) = only(run(brief(**queries)), "ICTB-016")
    assert bank in found.message and day in found.message
    assert found.location is not None and found.location.endswith(bank.lower())


@pytest.mark.parametrize(
    "queries",
    [
        {"npdb": fx.npdb(reported=False)},
        {"hipdb": DatabankQuery(queried_on=D(2025, 6, 21), reported=False)},
        {"npdb": None},
    ],
    ids=["npdb-nothing", "hipdb-nothing", "no-query"],
)
def test_016_not_when_nothing_reported(queries: dict[str, object]) -> None:
    assert not only(run(brief(**queries)), "ICTB-016")


@pytest.mark.parametrize(
    ("overrides", "element"),
    [
        ({"observer": fx.observer(other_info=OtherInformation(True, "training extension"))}, "9"),
        ({"file_review": fx.file_review(other_info=OtherInformation(True, "malpractice"))}, "10"),
    ],
    ids=["observer-5f9", "file-review-5f10"],
)
def test_017_other_relevant_information(overrides: dict[str, object], element: str) -> None:
    (found,) = only(run(brief(**overrides)), "ICTB-017")
    assert f"§5f({element})" in found.message


def test_017_not_when_absence_is_stated() -> None:
    document = brief()
    assert document.observer is not None and document.observer.other_info == OtherInformation(False)
    assert not only(run(document), "ICTB-017")


@pytest.mark.parametrize(
    ("attached", "fires"),
    [(False, True), (None, False), (True, False)],
    ids=["application-missing", "bare-ictb", "application-joined"],
)
def test_018_formal_application(attached: bool | None, fires: bool) -> None:
    assert bool(only(run(brief(application_attached=attached)), "ICTB-018")) is fires


def test_019_non_privileged_has_no_expiry_rules() -> None:
    document = brief(record(privileged=False), periods=(replace(PERIOD, end=D(2027, 8, 31)),))
    assert document.non_privileged and document.privileges is None
    found = run(document, as_of=D(2027, 7, 1))
    assert codes(found) & {"ICTB-020", "ICTB-021", "ICTB-022", "ICTB-023", "ICTB-032"} == set()
    (note,) = only(found, "ICTB-019")
    assert "no clinical privileges" in note.message


def test_019_guard_holds_even_if_a_privilege_block_is_left_in() -> None:
    # The brief says non-privileged but still carries an (expired) privilege block:
    # the expiry rules must not run on it.
    document = brief(non_privileged=True, privileges=fx.privileges(expires_on=D(2026, 11, 1)))
    found = run(document)
    assert "ICTB-019" in codes(found)
    assert codes(found) & {"ICTB-020", "ICTB-021", "ICTB-022", "ICTB-023", "ICTB-032"} == set()
    # ... whereas the same privileges on a privileged brief do fire them
    assert {"ICTB-020", "ICTB-021", "ICTB-032"} <= codes(
        run(brief(privileges=fx.privileges(expires_on=D(2026, 11, 1))))
    )


# ---------------------------------------------------------------- §5e: privilege expiry


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2027, 5, 30), set()),
        (D(2027, 5, 31), {"ICTB-023"}),
        (D(2027, 6, 29), {"ICTB-023"}),
        (D(2027, 6, 30), {"ICTB-022", "ICTB-023"}),
        (D(2027, 7, 1), {"ICTB-020"}),
    ],
    ids=[
        "expires-in-31-days",
        "expires-in-30-days",
        "expires-the-day-after-as-of",
        "expires-on-as-of",
        "expired-the-day-before-as-of",
    ],
)
def test_privilege_expiry_edges(as_of: dt.date, expected: set[str]) -> None:
    # Privileges expire 2027-06-30; the assignment ended 2027-01-31, so only the
    # as-of date matters here.
    found = run(as_of=as_of)
    assert codes(found) & {"ICTB-020", "ICTB-021", "ICTB-022", "ICTB-023"} == expected
    for f in found:
        assert "2027-06-30" in f.message


def test_020_message_says_invalid() -> None:
    (found,) = only(run(as_of=D(2027, 7, 1)), "ICTB-020")
    assert "expired on 2027-06-30" in found.message and "invalid" in found.message


def test_022_on_the_as_of_date_names_it() -> None:
    (found,) = only(run(as_of=PRIV_EXPIRES), "ICTB-022")
    assert "the as-of date" in found.message and "confirm" in found.message


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (D(2027, 6, 29), set()),
        (D(2027, 6, 30), {"ICTB-022"}),
        (D(2027, 7, 1), {"ICTB-021"}),
    ],
    ids=["ends-the-day-before-expiry", "ends-on-expiry-day", "ends-the-day-after-expiry"],
)
def test_period_end_edges(end: dt.date, expected: set[str]) -> None:
    found = run(brief(periods=(Period(facility_id=GAINING, start=D(2027, 6, 1), end=end),)))
    assert codes(found) & {"ICTB-020", "ICTB-021", "ICTB-022"} == expected


def test_021_message_gives_the_last_covered_day() -> None:
    period = Period(facility_id=GAINING, start=D(2027, 6, 1), end=D(2027, 7, 1))
    (found,) = only(run(brief(periods=(period,))), "ICTB-021")
    assert "2027-06-01..2027-07-01" in found.message
    assert "last day covered is 2027-06-30" in found.message


def test_022_on_a_period_end_names_the_period() -> None:
    period = Period(facility_id=GAINING, start=D(2027, 6, 1), end=PRIV_EXPIRES)
    (found,) = only(run(brief(periods=(period,))), "ICTB-022")
    assert "2027-06-30" in found.message and "last day of a period" in found.message


def test_several_brief_periods_only_the_later_past_expiry() -> None:
    periods = (
        Period(facility_id=GAINING, start=D(2026, 12, 1), end=D(2026, 12, 14)),
        Period(facility_id=GAINING, start=D(2027, 3, 1), end=D(2027, 3, 14)),
        Period(facility_id=GAINING, start=D(2027, 6, 21), end=D(2027, 7, 4)),
    )
    found = run(brief(periods=periods))
    (past,) = only(found, "ICTB-021")
    assert "2027-06-21..2027-07-04" in past.message
    (several,) = only(found, "ICTB-024")
    assert "3 periods at N00183" in several.message
    assert "ICTB-020" not in codes(found) and "ICTB-025" not in codes(found)


def test_extra_periods_count_like_the_briefs_own() -> None:
    extra = (Period(start=D(2027, 6, 21), end=D(2027, 7, 4)),)  # from `check --period`
    found = run(extra_periods=extra)
    assert len(only(found, "ICTB-021")) == 1
    assert "2 periods" in only(found, "ICTB-024")[0].message


def test_024_not_for_a_single_period() -> None:
    assert "ICTB-024" not in codes(run())


# ---------------------------------------------------------------- §5e: same location


def test_025_period_at_another_facility() -> None:
    elsewhere = Period(facility_id="N68094", start=D(2027, 2, 1), end=D(2027, 2, 14))
    found = run(brief(periods=(PERIOD, elsewhere)))
    (other,) = only(found, "ICTB-025")
    assert "N68094" in other.message and "N00183" in other.message
    assert "2027-02-01..2027-02-14" in other.message
    assert "ICTB-024" not in codes(found)  # only one period at the gaining facility


@pytest.mark.parametrize(
    ("sent", "fires"),
    [
        ((), True),
        (((OTHER_ICTB, GAINING),), True),
        (((fx.DOCUMENT_ID, "N68094"),), True),
        (((fx.DOCUMENT_ID, GAINING),), False),
        (((OTHER_ICTB, "N68094"), (fx.DOCUMENT_ID, GAINING)), False),
    ],
    ids=[
        "empty-record",
        "other-ictb-to-this-facility",
        "this-ictb-to-another-facility",
        "recorded",
        "recorded-among-others",
    ],
)
def test_025_distribution_record(sent: tuple[tuple[str, str], ...], fires: bool) -> None:
    record_ = Distribution(
        sent=tuple(
            DistributionEntry(ictb_id=i, facility=f, sent_on=D(2026, 11, 22)) for i, f in sent
        )
    )
    found = only(run(distribution=record_), "ICTB-025")
    assert bool(found) is fires
    if fires:
        assert "distribution record" in found[0].message and "N00183" in found[0].message


def test_025_not_without_a_distribution_record() -> None:
    assert "ICTB-025" not in codes(run(distribution=None))


# ---------------------------------------------------------------- §5e: interim expiry


@pytest.mark.parametrize(
    ("expires", "wording"),
    [
        (D(2026, 11, 21), "expired on 2026-11-21"),
        (D(2027, 1, 15), "before the last assignment day 2027-01-31"),
        (D(2027, 1, 30), "before the last assignment day 2027-01-31"),
    ],
    ids=["expired-before-as-of", "expires-mid-assignment", "expires-day-before-last-day"],
)
def test_026_authorizing_license(expires: dt.date, wording: str) -> None:
    document = brief(record(creds=credentials(license=fx.state_license(expires_on=expires))))
    found = run(document)
    (blocked,) = only(found, "ICTB-026")
    assert "Physician and Surgeon License (California)" in blocked.message
    assert expires.isoformat() in blocked.message and wording in blocked.message
    assert blocked.location == "/ictb/brief/licensure"
    assert "ICTB-027" not in codes(found)


def test_026_only_for_an_authorizing_credential() -> None:
    # A second state license kept up but not the one that authorizes practice (Interp. A9:
    # only authorizing licenses, registrations and certifications block).
    second = fx.state_license(
        authorizing=False,
        issuer="Nevada",
        number="NV 22817",
        expires_on=D(2026, 10, 31),
    )
    document = brief(record(creds=(*credentials(), second)))
    assert codes(run(document)) & {"ICTB-026", "ICTB-027"} == set()
    authorizing = brief(record(creds=(*credentials(), replace(second, authorizing=True))))
    (blocked,) = only(run(authorizing), "ICTB-026")
    assert "(Nevada)" in blocked.message and "2026-10-31" in blocked.message


@pytest.mark.parametrize(
    "expires", [D(2027, 1, 31), D(2027, 2, 1)], ids=["expires-on-last-day", "expires-after"]
)
def test_026_not_when_current_through_the_last_day(expires: dt.date) -> None:
    document = brief(record(creds=credentials(license=fx.state_license(expires_on=expires))))
    assert codes(run(document)) & {"ICTB-026", "ICTB-027"} == set()


def test_026_uses_the_as_of_date_when_it_is_after_the_assignment() -> None:
    document = brief(record(creds=credentials(license=fx.state_license(expires_on=D(2027, 2, 1)))))
    assert "ICTB-026" in codes(run(document, as_of=D(2027, 2, 2)))
    assert "ICTB-026" not in codes(run(document, as_of=D(2027, 2, 1)))


@pytest.mark.parametrize(
    ("creds", "label", "location"),
    [
        (
            credentials(bls=fx.life_support(BLS, D(2026, 10, 31))),
            "Basic Life Support (BLS) (American Heart Association)",
            "/ictb/brief/life_support",
        ),
        (
            credentials(dea=fx.dea_registration(expires_on=D(2026, 12, 31))),
            "DEA Controlled Substance Registration (DEA)",
            "/ictb/brief/licensure",
        ),
        (
            credentials(board=fx.board_certification(expires_on=D(2026, 11, 1))),
            "Board Certification in Emergency Medicine (ABEM)",
            "/ictb/brief/board_certifications",
        ),
    ],
    ids=["bls", "dea", "board"],
)
def test_027_review_credentials(creds: tuple[Credential, ...], label: str, location: str) -> None:
    found = run(brief(record(creds=creds)))
    (review,) = only(found, "ICTB-027")
    assert label in review.message and review.location == location
    assert "ICTB-026" not in codes(found)
    assert fx.DEA not in review.message  # the DEA number is never in a message


def test_record_credentials_are_used_when_the_record_is_given() -> None:
    # The brief is clean; the record now shows a lapsed BLS card.
    lapsed = record(creds=credentials(bls=fx.life_support(BLS, D(2026, 10, 31))))
    assert "ICTB-027" not in codes(run(brief()))
    assert "ICTB-027" in codes(run(brief(), record=lapsed))


# ---------------------------------------------------------------- §5e: renewal confirmations


@pytest.mark.parametrize(
    ("document", "conf", "blocked"),
    [
        (expired_bls, confirmation(), "ICTB-027"),
        (
            expired_license,
            confirmation(credential=LICENSE_REF, new_expires_on=D(2028, 11, 30)),
            "ICTB-026",
        ),
    ],
    ids=["bls", "license"],
)
def test_028_valid_confirmation(
    document: Callable[[], Brief], conf: RenewalConfirmation, blocked: str
) -> None:
    found = run(document(), confirmations=(conf,))
    (used,) = only(found, "ICTB-028")
    assert conf.new_expires_on is not None
    assert conf.new_expires_on.isoformat() in used.message
    assert "Naval Medical Center San Diego, Medical Staff Services" in used.message
    assert "2026-11-20" in used.message
    assert codes(found) & {blocked, "ICTB-029"} == set()


@pytest.mark.parametrize(
    "overrides",
    [
        {"on": AS_OF},
        {"new_expires_on": LAST_DAY},
        {"ictb_id": None},
        {"credential": CredentialRef(kind=CredentialKind.LIFE_SUPPORT)},
    ],
    ids=["dated-on-as-of", "renewed-to-the-last-day", "no-ictb-id", "kind-only-reference"],
)
def test_028_edges_that_still_count(overrides: dict[str, object]) -> None:
    found = run(expired_bls(), confirmations=(confirmation(**overrides),))
    assert "ICTB-028" in codes(found)
    assert codes(found) & {"ICTB-027", "ICTB-029"} == set()


FAILED_CONDITIONS = [
    pytest.param(
        {"with_is_file_holder": False, "confirmed_with": "the provider"},
        "not confirmed with the facility holding the credentials file",
        id="from-the-provider",
    ),
    pytest.param(
        {"with_is_file_holder": None},
        "not confirmed with the facility holding the credentials file",
        id="file-holder-not-stated",
    ),
    pytest.param(
        {"confirmed_with": None},
        "not confirmed with the facility holding the credentials file",
        id="no-one-named",
    ),
    pytest.param({"on": None}, "undated", id="undated"),
    pytest.param(
        {"on": D(2026, 11, 23)}, "dated 2026-11-23, after the as-of date", id="dated-after-as-of"
    ),
    pytest.param({"new_expires_on": None}, "no new expiration date", id="no-new-expiry"),
    pytest.param(
        {"new_expires_on": D(2027, 1, 30)},
        "the renewal runs only to 2027-01-30, before 2027-01-31",
        id="renewed-short-of-the-last-day",
    ),
    pytest.param(
        {"in_gaining_file": False},
        "not recorded in the gaining facility's file",
        id="not-in-gaining-file",
    ),
    pytest.param(
        {"in_gaining_file": None},
        "not recorded in the gaining facility's file",
        id="gaining-file-not-stated",
    ),
    pytest.param({"ictb_id": OTHER_ICTB}, "recorded for another ICTB", id="another-ictb"),
]


@pytest.mark.parametrize(("overrides", "why"), FAILED_CONDITIONS)
@pytest.mark.parametrize(
    ("document", "ref", "blocked"),
    [
        (expired_bls, None, "ICTB-027"),
        (expired_license, LICENSE_REF, "ICTB-026"),
    ],
    ids=["bls", "license"],
)
def test_029_failed_condition(
    document: Callable[[], Brief],
    ref: CredentialRef | None,
    blocked: str,
    overrides: dict[str, object],
    why: str,
) -> None:
    conf = confirmation(**overrides)
    if ref is not None:
        conf = replace(conf, credential=ref)
    found = run(document(), confirmations=(conf,))
    (failed,) = only(found, "ICTB-029")
    assert why in failed.message
    assert blocked in codes(found) and "ICTB-028" not in codes(found)


def test_029_lists_every_failed_condition() -> None:
    conf = confirmation(with_is_file_holder=False, in_gaining_file=False, on=None)
    (failed,) = only(run(expired_bls(), confirmations=(conf,)), "ICTB-029")
    for why in ("credentials file", "undated", "gaining facility's file"):
        assert why in failed.message


def test_confirmation_for_another_credential_is_ignored() -> None:
    conf = confirmation(credential=CredentialRef(kind=CredentialKind.LIFE_SUPPORT, title="PALS"))
    found = run(expired_bls(), confirmations=(conf,))
    assert "ICTB-027" in codes(found)
    assert codes(found) & {"ICTB-028", "ICTB-029"} == set()


def test_one_valid_confirmation_beats_a_bad_one() -> None:
    found = run(expired_bls(), confirmations=(confirmation(on=None), confirmation()))
    assert "ICTB-028" in codes(found)
    assert codes(found) & {"ICTB-027", "ICTB-029"} == set()


def test_confirmation_problems_directly() -> None:
    ctx = Context(brief=expired_bls(), as_of=AS_OF, policy=policy.default(), confirmations=())
    assert confirmation_problems(confirmation(), ctx, LAST_DAY) == []
    assert confirmation_problems(confirmation(on=None, in_gaining_file=False), ctx, LAST_DAY) == [
        "undated",
        "not recorded in the gaining facility's file",
    ]


# ---------------------------------------------------------------- §5e: status change


AFTER = D(2026, 12, 5)  # after the certification on 2026-11-22
LATER_AS_OF = D(2026, 12, 10)

STATUS_CHANGES = [
    E.RENEWAL,
    E.CATEGORY_CHANGE,
    E.RESTRICTION,
    E.REDUCTION,
    E.SUSPENSION,
    E.REVOCATION,
    E.DENIAL,
    E.SUMMARY_SUSPENSION,
    E.REINSTATEMENT,
]


@pytest.mark.parametrize("kind", STATUS_CHANGES, ids=lambda k: k.value)
def test_030_status_change_after_certification(kind: PrivilegeEventType) -> None:
    found = run(as_of=LATER_AS_OF, record=record(events=[event(kind, AFTER)]))
    (changed,) = only(found, "ICTB-030")
    assert "certified on 2026-11-22" in changed.message
    assert f"{kind.value.replace('_', ' ')} on 2026-12-05" in changed.message
    assert "new ICTB" in changed.message


@pytest.mark.parametrize("kind", [E.ABEYANCE, E.GRANT], ids=lambda k: k.value)
def test_030_not_for_abeyance_or_grant_alone(kind: PrivilegeEventType) -> None:
    found = run(as_of=LATER_AS_OF, record=record(events=[event(kind, AFTER)]))
    assert "ICTB-030" not in codes(found)


@pytest.mark.parametrize(
    ("on", "as_of"),
    [
        (D(2026, 12, 15), LATER_AS_OF),
        (AS_OF, LATER_AS_OF),
        (D(2026, 11, 1), LATER_AS_OF),
    ],
    ids=["dated-after-as-of", "on-the-certification-date", "before-certification"],
)
def test_030_not_outside_certification_to_as_of(on: dt.date, as_of: dt.date) -> None:
    found = run(as_of=as_of, record=record(events=[event(E.RENEWAL, on)]))
    assert "ICTB-030" not in codes(found)


def test_030_event_on_the_as_of_date_counts() -> None:
    found = run(as_of=AFTER, record=record(events=[event(E.RENEWAL, AFTER)]))
    assert "ICTB-030" in codes(found)


def test_030_falls_back_to_the_issue_date_without_a_signing_date() -> None:
    signed = brief(issued_on=D(2026, 11, 20))
    assert signed.certification is not None
    unsigned = replace(signed, certification=replace(signed.certification, signed_on=None))
    events = record(events=[event(E.RESTRICTION, D(2026, 11, 21))])
    # Certified 2026-11-22: the restriction of 2026-11-21 came before it.
    assert "ICTB-030" not in codes(run(signed, as_of=LATER_AS_OF, record=events))
    # No signing date: the issue date 2026-11-20 is used, and the restriction is after it.
    (changed,) = only(run(unsigned, as_of=LATER_AS_OF, record=events), "ICTB-030")
    assert "certified on 2026-11-20" in changed.message


def test_030_superseded_by_a_later_ictb() -> None:
    (found,) = only(run(superseded_by=OTHER_ICTB), "ICTB-030")
    assert OTHER_ICTB in found.message and "supersedes" in found.message


def test_030_not_without_events_or_successor() -> None:
    assert "ICTB-030" not in codes(run(as_of=LATER_AS_OF, record=fx.complete_record()))


# ---------------------------------------------------------------- §5e: privileges in effect

BLOCKING = [E.ABEYANCE, E.SUSPENSION, E.SUMMARY_SUSPENSION, E.REVOCATION]


@pytest.mark.parametrize("kind", BLOCKING, ids=lambda k: k.value)
def test_031_in_effect_on_the_as_of_date(kind: PrivilegeEventType) -> None:
    found = run(as_of=D(2026, 11, 28), record=record(events=[event(kind, D(2026, 11, 23))]))
    messages = [f.message for f in only(found, "ICTB-031")]
    label = kind.value.replace("_", " ")
    assert any(f"not in effect on the as-of date ({label} from 2026-11-23)" in m for m in messages)
    # ... and on the days of the period, which starts later
    assert any("from 2026-12-01, a day of the period 2026-12-01..2027-01-31" in m for m in messages)


@pytest.mark.parametrize("kind", BLOCKING, ids=lambda k: k.value)
def test_031_on_a_period_day_only(kind: PrivilegeEventType) -> None:
    # It started and ended inside the assignment, before the as-of date.
    events = [event(kind, D(2026, 12, 20), ended_on=D(2026, 12, 24))]
    (found,) = only(run(as_of=D(2027, 1, 5), record=record(events=events)), "ICTB-031")
    assert "from 2026-12-20, a day of the period 2026-12-01..2027-01-31" in found.message
    assert "as-of date" not in found.message


@pytest.mark.parametrize("kind", BLOCKING, ids=lambda k: k.value)
def test_031_not_when_ended_the_day_before_the_period(kind: PrivilegeEventType) -> None:
    events = [event(kind, D(2026, 11, 23), ended_on=D(2026, 11, 30))]
    assert "ICTB-031" not in codes(run(as_of=D(2026, 12, 1), record=record(events=events)))


@pytest.mark.parametrize("kind", BLOCKING, ids=lambda k: k.value)
def test_031_once_when_it_ends_on_the_first_period_day_which_is_as_of(
    kind: PrivilegeEventType,
) -> None:
    events = [event(kind, D(2026, 11, 23), ended_on=D(2026, 12, 1))]
    (found,) = only(run(as_of=D(2026, 12, 1), record=record(events=events)), "ICTB-031")
    assert "as-of date" in found.message


@pytest.mark.parametrize("kind", BLOCKING, ids=lambda k: k.value)
def test_031_not_after_reinstatement(kind: PrivilegeEventType) -> None:
    events = [event(kind, D(2026, 11, 23)), event(E.REINSTATEMENT, D(2026, 11, 30))]
    found = run(as_of=D(2026, 12, 1), record=record(events=events))
    assert "ICTB-031" not in codes(found)
    assert "ICTB-030" in codes(found)  # reinstatement is a status change (A10)


def test_031_not_for_status_changes_that_leave_privileges_in_effect() -> None:
    events = [event(k, D(2026, 11, 25)) for k in (E.RESTRICTION, E.REDUCTION, E.RENEWAL)]
    assert "ICTB-031" not in codes(run(as_of=D(2026, 12, 10), record=record(events=events)))


# Abeyance from 2026-11-23 with no disposition: day 30 is 2026-12-22, day 31 2026-12-23.
ABEYANCE_ON = D(2026, 11, 23)


def test_abeyance_of_30_days_is_only_a_block() -> None:
    found = run(as_of=D(2026, 12, 22), record=record(events=[event(E.ABEYANCE, ABEYANCE_ON)]))
    assert "ICTB-031" in codes(found)
    assert "ICTB-030" not in codes(found)
    assert all("summary suspension" not in f.message for f in found)


def test_abeyance_without_disposition_becomes_summary_suspension_on_day_31() -> None:
    found = run(as_of=D(2026, 12, 23), record=record(events=[event(E.ABEYANCE, ABEYANCE_ON)]))
    (changed,) = only(found, "ICTB-030")
    assert "summary suspension on 2026-12-23" in changed.message
    assert any("summary suspension from 2026-12-23" in f.message for f in only(found, "ICTB-031"))


def test_abeyance_ended_on_day_30_does_not_become_summary_suspension() -> None:
    events = [event(E.ABEYANCE, ABEYANCE_ON, ended_on=D(2026, 12, 22))]
    found = run(as_of=D(2027, 1, 5), record=record(events=events))
    assert "ICTB-030" not in codes(found)
    assert all("summary suspension" not in f.message for f in found)
    # It still blocked the period days 2026-12-01..2026-12-22.
    (blocked,) = only(found, "ICTB-031")
    assert "abeyance from 2026-11-23" in blocked.message


def test_abeyance_ended_on_day_31_became_summary_suspension() -> None:
    events = [event(E.ABEYANCE, ABEYANCE_ON, ended_on=D(2026, 12, 23))]
    found = run(as_of=D(2027, 1, 5), record=record(events=events))
    assert "summary suspension on 2026-12-23" in only(found, "ICTB-030")[0].message
    assert any("summary suspension" in f.message for f in only(found, "ICTB-031"))


def test_effective_events_adds_summary_suspension_on_day_31() -> None:
    abeyance = event(E.ABEYANCE, ABEYANCE_ON)
    rules_ = policy.default()
    assert effective_events((abeyance,), D(2026, 12, 22), rules_) == (abeyance,)
    out = effective_events((abeyance,), D(2026, 12, 23), rules_)
    assert [(e.type, e.on) for e in out] == [
        (E.ABEYANCE, ABEYANCE_ON),
        (E.SUMMARY_SUSPENSION, D(2026, 12, 23)),
    ]


@pytest.mark.parametrize(
    "disposition",
    [
        event(E.REINSTATEMENT, D(2026, 12, 22)),
        event(E.RESTRICTION, D(2026, 12, 1)),
    ],
    ids=["reinstated-on-day-30", "restricted-within-30-days"],
)
def test_effective_events_no_summary_suspension_after_disposition(
    disposition: PrivilegeEvent,
) -> None:
    events = (event(E.ABEYANCE, ABEYANCE_ON), disposition)
    out = effective_events(events, D(2027, 1, 5), policy.default())
    assert E.SUMMARY_SUSPENSION not in {e.type for e in out}


def test_blocking_intervals_end_at_ended_on_or_before_reinstatement() -> None:
    events = (
        event(E.SUSPENSION, D(2026, 11, 23), ended_on=D(2026, 12, 31)),
        event(E.REVOCATION, D(2027, 2, 1)),
        event(E.REINSTATEMENT, D(2026, 12, 10)),
        event(E.RESTRICTION, D(2026, 11, 25)),
    )
    spans = [(i.event.type, i.start, i.end) for i in blocking_intervals(events)]
    assert spans == [
        (E.SUSPENSION, D(2026, 11, 23), D(2026, 12, 9)),
        (E.REVOCATION, D(2027, 2, 1), None),
    ]


# ---------------------------------------------------------------- ICTB-032


def test_032_issued_before_the_privileges_were_granted() -> None:
    found = only(run(brief(privileges=fx.privileges(granted_on=D(2026, 11, 23)))), "ICTB-032")
    messages = sorted(f.message for f in found)
    assert len(messages) == 2  # issued and certified on the same day
    assert any(m.startswith("the ICTB was issued on 2026-11-22") for m in messages)
    assert any(m.startswith("the ICTB was certified on 2026-11-22") for m in messages)
    assert all("granted 2026-11-23" in m for m in messages)


def test_032_issued_while_privileges_were_in_abeyance() -> None:
    events = record(events=[event(E.ABEYANCE, D(2026, 11, 20))])
    found = only(run(record=events), "ICTB-032")
    assert found and all("abeyance from 2026-11-20" in f.message for f in found)


def test_032_not_on_the_privilege_expiry_day() -> None:
    # Issued on the last day the privileges are current (D2).
    assert "ICTB-032" not in codes(run(brief(privileges=fx.privileges(expires_on=AS_OF))))


# ---------------------------------------------------------------- the gaining grant


def test_033_item_not_on_the_sending_list() -> None:
    extra = "Cardiac catheterization"
    found = only(run(grant=grant(privileges=(*fx.privileges().privileges, extra))), "ICTB-033")
    (item,) = found
    assert repr(extra) in item.message and "not on the sending" in item.message


def test_033_grant_past_the_sending_expiry() -> None:
    (late,) = only(run(grant=grant(expires_on=D(2027, 7, 1))), "ICTB-033")
    assert "2027-07-01" in late.message and "2027-06-30" in late.message


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"expires_on": D(2027, 1, 31)},
        {"expires_on": None},
        {"privileges": ("  emergency MEDICINE core   privileges ",)},
        {"privileges": ()},
    ],
    ids=["whole-list-to-expiry", "shorter", "no-expiry", "case-and-spacing", "nothing-granted"],
)
def test_033_not_for_a_matching_grant(overrides: dict[str, object]) -> None:
    assert "ICTB-033" not in codes(run(grant=grant(**overrides)))


def test_034_facility_limitation_only() -> None:
    not_granted = (
        NotGranted(
            "Emergency airway management including surgical airway",
            NotGrantedReason.FACILITY_LIMITATION,
            "No surgical backup",
        ),
        NotGranted("Point-of-care ultrasound", NotGrantedReason.OTHER),
    )
    found = run(grant=grant(not_granted=not_granted))
    (limit,) = only(found, "ICTB-034")
    assert "surgical airway" in limit.message and "not an adverse" in limit.message
    assert "ICTB-033" not in codes(found)


def test_grant_rules_need_a_grant() -> None:
    assert codes(run(grant=None)) & {"ICTB-033", "ICTB-034"} == set()


# ---------------------------------------------------------------- ICTB-035


def test_035_appraisal_request() -> None:
    (found,) = only(run(brief(appraisal_request=APPRAISAL)), "ICTB-035")
    assert "accepted as is" in found.message
    assert "ICTB-035" not in codes(run(brief(appraisal_request=None)))


# ---------------------------------------------------------------- the ends of the calendar


def test_023_privileges_expiring_on_the_last_day_of_the_calendar() -> None:
    # The 30-day horizon from 9999-12-31 lies beyond the calendar: it stops at its end.
    document = brief(privileges=replace(brief().privileges, expires_on=dt.date.max))
    (found,) = only(run(document, as_of=dt.date.max), "ICTB-023")
    assert "9999-12-31" in found.message


@pytest.mark.parametrize("as_of", [AS_OF, dt.date.max, dt.date.min], ids=str)
@pytest.mark.parametrize("day", [dt.date.max, dt.date.min], ids=str)
def test_every_validity_rule_evaluates_a_brief_at_an_end_of_the_calendar(
    day: dt.date, as_of: dt.date
) -> None:
    events = (
        PrivilegeEvent(type=E.ABEYANCE, on=D(2026, 1, 5)),
        PrivilegeEvent(type=E.SUMMARY_SUSPENSION, on=D(2026, 3, 1)),
        PrivilegeEvent(type=E.REINSTATEMENT, on=D(2026, 4, 1)),
    )
    record = fx.every_date(replace(fx.complete_record(), privilege_events=events), day)
    for found in run(fx.every_date(brief(record), day), as_of=as_of, record=record):
        assert found.code in VALIDITY_CODES
