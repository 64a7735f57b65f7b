"""``ictb.check``: the report, how long the ICTB stays valid and what ends it, and what expires.

The factory record is valid as of 2026-11-22: regular privileges to 2027-06-30, license
to 2028-03-31, DEA to 2027-07-31, BLS to 2027-09-30; one assignment period
2026-12-01..2027-01-31 at Naval Hospital Camp Pendleton.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from ictb import check, policy
from ictb.findings import Verdict
from ictb.model import (
    Brief,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialRef,
    Period,
    PrivilegeEvent,
    PrivilegeEventType,
    RenewalConfirmation,
)
from tests import factories as fx

D = dt.date
E = PrivilegeEventType
AS_OF = fx.AS_OF
BLS = "Basic Life Support (BLS)"
ACLS = "Advanced Cardiovascular Life Support (ACLS)"


def credentials(**replacing: Credential) -> tuple[Credential, ...]:
    base = {
        "license": fx.state_license(),
        "dea": fx.dea_registration(),
        "board": fx.board_certification(),
        "bls": fx.life_support(BLS, D(2027, 9, 30)),
        "acls": fx.life_support(ACLS, D(2027, 10, 31)),
    }
    base.update(replacing)
    return tuple(base.values())


def record(
    *, events: tuple[PrivilegeEvent, ...] = (), creds: tuple[Credential, ...] | None = None
) -> CredentialRecord:
    base = fx.complete_record()
    return replace(
        base,
        privilege_events=events,
        credentials=creds if creds is not None else base.credentials,
    )


def brief(source: CredentialRecord | None = None, **overrides: Any) -> Brief:
    return fx.build_brief(source or fx.complete_record(), **overrides)


def options(**overrides: Any) -> check.CheckOptions:
    values: dict[str, Any] = {"as_of": AS_OF, "policy": policy.default()}
    values.update(overrides)
    return check.CheckOptions(**values)


def through(document: Brief | None = None, **overrides: Any) -> check.Constraint | None:
    ctx = check.context_for(document if document is not None else brief(), options(**overrides))
    return check.valid_through(ctx)


def expiring(document: Brief, **overrides: Any) -> list[dict[str, Any]]:
    return check.expiring(check.context_for(document, options(**overrides)))


def license_confirmation(new_expires_on: dt.date) -> RenewalConfirmation:
    return RenewalConfirmation(
        credential=CredentialRef(kind=CredentialKind.LICENSE, issuer="California"),
        ictb_id=fx.DOCUMENT_ID,
        confirmed_with="Naval Medical Center San Diego, Medical Staff Services",
        with_is_file_holder=True,
        on=D(2026, 11, 20),
        new_expires_on=new_expires_on,
        in_gaining_file=True,
    )


# ---------------------------------------------------------------- the report


def test_complete_brief_is_valid() -> None:
    report = check.check(brief(), "castellano.ictb.xml", options())
    assert report.document == "castellano.ictb.xml"
    assert report.findings == ()
    assert report.verdict is Verdict.VALID
    assert report.facts["valid_through"] == "2027-06-30"
    assert report.facts["ictb_id"] == fx.DOCUMENT_ID
    assert report.facts["gaining_facility"] == "N00183"
    assert report.facts["periods"] == [["2026-12-01", "2027-01-31"]]
    assert report.facts["as_of"] == "2026-11-22"


def test_check_applies_validity_and_content_rules() -> None:
    # A period past the privilege expiry (ICTB-021) and a missing purpose (ICTB-008).
    document = brief(purpose=None)
    report = check.check(
        document,
        "x",
        options(extra_periods=(Period(start=D(2027, 6, 1), end=D(2027, 7, 1)),)),
    )
    assert {"ICTB-008", "ICTB-021"} <= set(report.codes())
    assert report.verdict is Verdict.INVALID


def test_check_passes_the_context_documents_and_successor() -> None:
    lapsed = brief(record(creds=credentials(license=fx.state_license(expires_on=D(2026, 11, 15)))))
    bare = check.check(lapsed, "x", options())
    assert "ICTB-026" in bare.codes() and bare.verdict is Verdict.INVALID
    confirmed = check.check(
        lapsed,
        "x",
        options(context={"confirmations": (license_confirmation(D(2028, 11, 30)),)}),
    )
    assert "ICTB-028" in confirmed.codes() and "ICTB-026" not in confirmed.codes()
    assert confirmed.verdict is Verdict.VALID
    superseded = check.check(brief(), "x", options(), superseded_by="later-id")
    assert "ICTB-030" in superseded.codes()


def test_record_events_reach_the_rules() -> None:
    events = (PrivilegeEvent(type=E.SUSPENSION, on=D(2026, 12, 5)),)
    report = check.check(brief(), "x", options(as_of=D(2026, 12, 10), record=record(events=events)))
    assert {"ICTB-030", "ICTB-031"} <= set(report.codes())


# ---------------------------------------------------------------- valid_through


def test_valid_through_privilege_expiry() -> None:
    found = through()
    assert found is not None
    assert found.last_day == D(2027, 6, 30)
    assert found.reason == "privilege expiry on 2027-06-30"


def test_valid_through_the_day_before_a_suspension_mid_assignment() -> None:
    events = (PrivilegeEvent(type=E.SUSPENSION, on=D(2026, 12, 15)),)
    found = through(record=record(events=events))
    assert found is not None
    assert found.last_day == D(2026, 12, 14)
    assert found.reason == "suspension from 2026-12-15"


def test_valid_through_suspension_already_in_effect_means_not_valid_now() -> None:
    events = (PrivilegeEvent(type=E.ABEYANCE, on=D(2026, 11, 23)),)
    found = through(as_of=D(2026, 12, 1), record=record(events=events))
    assert found is not None
    assert found.last_day < D(2026, 12, 1)
    assert "abeyance from 2026-11-23" in found.reason


def test_valid_through_suspension_mid_assignment_checked_later() -> None:
    events = (PrivilegeEvent(type=E.SUSPENSION, on=D(2026, 12, 15)),)
    found = through(as_of=D(2026, 12, 20), record=record(events=events))
    assert found is not None
    assert found.last_day == D(2026, 12, 14)


def test_valid_through_ignores_a_block_that_ended_before_as_of() -> None:
    events = (PrivilegeEvent(type=E.ABEYANCE, on=D(2026, 11, 23), ended_on=D(2026, 11, 30)),)
    found = through(as_of=D(2026, 12, 1), record=record(events=events))
    assert found is not None and found.last_day == D(2027, 6, 30)


def test_valid_through_authorizing_license_expiring_first() -> None:
    lapsing = brief(record(creds=credentials(license=fx.state_license(expires_on=D(2027, 3, 31)))))
    found = through(lapsing)
    assert found is not None
    assert found.last_day == D(2027, 3, 31)
    assert "Physician and Surgeon License (California)" in found.reason
    assert "2027-03-31" in found.reason


def test_valid_through_not_cut_by_life_support_or_dea() -> None:
    # BLS and DEA need review (ICTB-027) but do not end the ICTB's validity.
    creds = credentials(
        bls=fx.life_support(BLS, D(2027, 1, 15)),
        dea=fx.dea_registration(expires_on=D(2027, 2, 28)),
    )
    found = through(brief(record(creds=creds)))
    assert found is not None and found.last_day == D(2027, 6, 30)


def test_valid_through_license_covered_by_a_confirmation() -> None:
    lapsed = brief(record(creds=credentials(license=fx.state_license(expires_on=D(2026, 11, 15)))))
    unconfirmed = through(lapsed)
    assert unconfirmed is not None and unconfirmed.last_day == D(2026, 11, 15)
    confirmed = through(lapsed, context={"confirmations": (license_confirmation(D(2027, 3, 31)),)})
    assert confirmed is not None
    assert confirmed.last_day == D(2027, 3, 31)
    assert "confirmed renewed through 2027-03-31" in confirmed.reason


def test_valid_through_ignores_a_confirmation_that_does_not_count() -> None:
    lapsed = brief(record(creds=credentials(license=fx.state_license(expires_on=D(2026, 11, 15)))))
    from_provider = replace(license_confirmation(D(2027, 3, 31)), with_is_file_holder=False)
    found = through(lapsed, context={"confirmations": (from_provider,)})
    assert found is not None and found.last_day == D(2026, 11, 15)


def test_valid_through_none_for_a_non_privileged_provider() -> None:
    document = brief(fx.complete_record(privileged=False))
    assert document.non_privileged
    assert through(document) is None
    facts = check.check(document, "x", options()).facts
    assert facts["valid_through"] is None
    assert "ICTB-019" in facts["valid_through_reason"]


# ---------------------------------------------------------------- expiring


def expiring_brief(*dates: dt.date) -> Brief:
    """The factory brief with BLS, ACLS and DEA expiring on ``dates`` (in that order)."""
    bls, acls, dea = dates
    creds = credentials(
        bls=fx.life_support(BLS, bls),
        acls=fx.life_support(ACLS, acls),
        dea=fx.dea_registration(expires_on=dea),
    )
    return brief(record(creds=creds))


@pytest.mark.parametrize(
    ("expires", "during", "within"),
    [
        (D(2026, 11, 22), True, 30),  # the as-of date: lapsed on every assignment day
        (D(2026, 12, 1), True, 30),  # the first day of the period
        (D(2026, 12, 22), True, 30),  # as-of + 30
        (D(2026, 12, 23), True, 60),  # as-of + 31
        (D(2027, 1, 21), True, 60),  # as-of + 60
        (D(2027, 1, 22), True, 90),  # as-of + 61
        (D(2027, 1, 31), False, 90),  # the last day of the period: current throughout
        (D(2027, 2, 20), False, 90),  # as-of + 90
    ],
    ids=[
        "on-as-of",
        "first-period-day",
        "within-30",
        "within-60-first-day",
        "within-60-last-day",
        "within-90-first-day",
        "last-period-day",
        "within-90-last-day",
    ],
)
def test_expiring_listed(expires: dt.date, during: bool, within: int) -> None:
    listed = expiring(expiring_brief(expires, D(2027, 10, 31), D(2027, 7, 31)))
    assert listed == [
        {
            "credential": "Basic Life Support (BLS) (American Heart Association)",
            "expires_on": expires.isoformat(),
            "during_assignment": during,
            "within_days": within,
        }
    ]


@pytest.mark.parametrize(
    "expires",
    [D(2026, 11, 21), D(2026, 10, 31), D(2027, 2, 21), D(2031, 12, 31)],
    ids=["expired-yesterday", "expired-last-month", "as-of-plus-91", "far-future"],
)
def test_expiring_not_listed(expires: dt.date) -> None:
    assert expiring(expiring_brief(expires, D(2027, 10, 31), D(2027, 7, 31))) == []


def test_expiring_during_a_later_period_beyond_90_days() -> None:
    extra = (Period(start=D(2027, 4, 1), end=D(2027, 4, 30)),)
    listed = expiring(
        expiring_brief(D(2027, 9, 30), D(2027, 4, 10), D(2027, 7, 31)), extra_periods=extra
    )
    assert listed == [
        {
            "credential": f"{ACLS} (American Heart Association)",
            "expires_on": "2027-04-10",
            "during_assignment": True,
            "within_days": None,
        }
    ]


def test_expiring_sorted_by_date() -> None:
    listed = expiring(expiring_brief(D(2027, 1, 10), D(2026, 12, 5), D(2027, 2, 1)))
    assert [e["expires_on"] for e in listed] == ["2026-12-05", "2027-01-10", "2027-02-01"]
    assert [e["within_days"] for e in listed] == [30, 60, 90]


def test_expiring_lists_a_credential_that_lapses_before_the_period_starts() -> None:
    extra = (Period(start=D(2027, 4, 1), end=D(2027, 4, 30)),)
    document = expiring_brief(D(2027, 9, 30), D(2027, 3, 15), D(2027, 7, 31))
    listed = expiring(document, extra_periods=extra)
    assert [e["expires_on"] for e in listed] == ["2027-03-15"]
    assert listed[0]["during_assignment"] is True


# ---------------------------------------------------------------- facts are safe to show


SENSITIVE = (
    fx.SSN,
    fx.SSN.replace("-", ""),
    fx.DOB.isoformat(),
    fx.HOME_LINE,
    "Chula Vista",
    "91915",
    fx.DEA,
)


def test_facts_are_json_and_hold_no_personal_identifiers() -> None:
    # DEA and BLS expire during the assignment, so both are named in the facts
    # and in findings; the record (with every personal value) is given too.
    creds = credentials(
        dea=fx.dea_registration(expires_on=D(2027, 1, 10)),
        bls=fx.life_support(BLS, D(2026, 12, 20)),
    )
    source = record(creds=creds)
    report = check.check(brief(source), "x", options(record=source))
    text = json.dumps(report.facts)
    assert json.loads(text) == report.facts
    assert {e["credential"] for e in report.facts["expiring"]} == {
        "DEA Controlled Substance Registration (DEA)",
        "Basic Life Support (BLS) (American Heart Association)",
    }
    assert report.facts["provider"] == "Miriam Teresa Castellano"
    whole = json.dumps(report.as_dict(), ensure_ascii=False)
    assert "ICTB-027" in whole
    for value in SENSITIVE:
        assert value not in whole, value


# ---------------------------------------------------------------- the ends of the calendar


def test_expiry_windows_from_the_last_day_of_the_calendar() -> None:
    # The 30/60/90-day windows from 9999-12-31 end with the calendar.
    document = fx.every_date(brief(), dt.date.max)
    found = expiring(document, as_of=dt.date.max)
    assert found and all(item["expires_on"] == "9999-12-31" for item in found)
    assert {item["within_days"] for item in found} == {30}


def test_valid_through_a_suspension_from_the_first_day_of_the_calendar() -> None:
    events = (PrivilegeEvent(type=E.SUMMARY_SUSPENSION, on=dt.date.min),)
    document = brief(record(events=events))
    constraint = check.valid_through(
        check.context_for(document, options(as_of=dt.date.min, record=record(events=events)))
    )
    assert constraint is not None and constraint.last_day == dt.date.min


@pytest.mark.parametrize("as_of", [AS_OF, dt.date.max, dt.date.min], ids=str)
@pytest.mark.parametrize("day", [dt.date.max, dt.date.min], ids=str)
def test_check_evaluates_a_brief_at_an_end_of_the_calendar(day: dt.date, as_of: dt.date) -> None:
    source = fx.every_date(record(events=(PrivilegeEvent(type=E.ABEYANCE, on=AS_OF),)), day)
    report = check.check(
        fx.every_date(brief(source), day), "brief", options(as_of=as_of, record=source)
    )
    assert report.verdict in (Verdict.VALID, Verdict.NEEDS_REVIEW, Verdict.INVALID)
