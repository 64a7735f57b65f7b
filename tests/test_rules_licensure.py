"""Licensure rules (RULES.md §7.1-§7.3: LIC-001..009, LIC-020..023, LIC-030..037).

Every code has cases that fire it (with the severity RULES.md gives and a message naming
the credential or criterion) and cases that do not, with the date edges of D2 and D7:
a license must be current on the as-of date (2026-11-22) and on the last day of the
assignment (2027-01-31 for the factory assignment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import ictb.rules.licensure  # registers the LIC checkers
from ictb import build, policy, records, roster, rules
from ictb.findings import Finding, Severity
from ictb.model import (
    ApnQualification,
    Component,
    Credential,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    Discipline,
    FormalSupervisionPlan,
    IssuerType,
    PaQualification,
    PrivilegeEvent,
    PrivilegeEventType,
    Restriction,
    Waiver,
    WaiverKind,
)
from tests import factories as fx
from tests.conftest import SAMPLES

AS_OF = fx.AS_OF  # 2026-11-22
LAST = dt.date(2027, 1, 31)  # the last day of the factory assignment
DAY = dt.timedelta(days=1)
GRANTED = dt.date(2025, 7, 1)  # the grant date of the factory privileges

# Severities as RULES.md §7.1-§7.3 state them (not read from the packaged catalog).
SEVERITY = {
    "LIC-001": Severity.ERROR,
    "LIC-002": Severity.ERROR,
    "LIC-003": Severity.INFO,
    "LIC-004": Severity.WARNING,
    "LIC-005": Severity.INFO,
    "LIC-006": Severity.ERROR,
    "LIC-007": Severity.WARNING,
    "LIC-008": Severity.ERROR,
    "LIC-009": Severity.ERROR,
    "LIC-020": Severity.ERROR,
    "LIC-021": Severity.ERROR,
    "LIC-022": Severity.ERROR,
    "LIC-023": Severity.ERROR,
    "LIC-030": Severity.ERROR,
    "LIC-031": Severity.ERROR,
    "LIC-032": Severity.WARNING,
    "LIC-033": Severity.ERROR,
    "LIC-034": Severity.ERROR,
    "LIC-035": Severity.ERROR,
    "LIC-036": Severity.ERROR,
    "LIC-037": Severity.WARNING,
}
LIC_CODES = frozenset(SEVERITY)
# Rules that read waivers, the PA/APN blocks, the plan of supervision or privilege events.
RECORD_ONLY = sorted(
    {"LIC-001", "LIC-002", "LIC-008"}
    | rules.code_range("LIC", 20, 23)
    | rules.code_range("LIC", 30, 37)
)


# ---------------------------------------------------------------- helpers


def run(
    record: CredentialRecord,
    *,
    as_of: dt.date = AS_OF,
    with_record: bool = True,
    only: frozenset[str] = LIC_CODES,
    **brief_overrides: Any,
) -> list[Finding]:
    """The LIC findings for ``record`` and the brief built from it."""
    brief = fx.build_brief(record, **brief_overrides)
    context = rules.Context(
        brief=brief,
        as_of=as_of,
        policy=policy.default(),
        record=record if with_record else None,
    )
    return rules.evaluate(context, only)


def on_as_of_only(record: CredentialRecord, **kwargs: Any) -> list[Finding]:
    """Evaluated with no assignment window, so the only day tested is the as-of date."""
    return run(record, periods=(), **kwargs)


def codes(found: list[Finding]) -> list[str]:
    return sorted(f.code for f in found)


def fired(found: list[Finding], code: str, *fragments: str) -> list[Finding]:
    """The findings with ``code``; at least one names every fragment."""
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} did not fire; found {[(f.code, f.message) for f in found]}"
    for hit in hits:
        assert hit.severity is SEVERITY[code], hit
        assert fx.DEA not in hit.message, hit  # a DEA number is never echoed
        assert hit.location and hit.location.startswith(("/credential_record", "/ictb/brief"))
    messages = [h.message for h in hits]
    assert any(all(part in m for part in fragments) for m in messages), (fragments, messages)
    return hits


def quiet(found: list[Finding], code: str) -> None:
    assert code not in codes(found), [(f.code, f.message) for f in found]


# ---------------------------------------------------------------- records


def physician(*licenses: Credential, **changes: Any) -> CredentialRecord:
    """The factory physician, with ``licenses`` in place of her California license."""
    record = fx.complete_record()
    if licenses:
        others = tuple(c for c in record.credentials if c.kind is not CredentialKind.LICENSE)
        record = replace(record, credentials=(*licenses, *others))
    return replace(record, **changes)


def provider_record(
    discipline: Discipline, *credentials: Credential, **changes: Any
) -> CredentialRecord:
    record = fx.complete_record(discipline=discipline)
    return replace(record, credentials=credentials, **changes)


def md_license(**changes: Any) -> Credential:
    return fx.state_license(**changes)


def rn_license(**changes: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.LICENSE,
        title="Registered Nurse License",
        authorizing=True,
        issuer="Texas Board of Nursing",
        issuer_type=IssuerType.STATE,
        number="RN 912044",
        effective_on=dt.date(2025, 7, 1),
        expires_on=dt.date(2027, 6, 30),
        status=CredentialStatus.ACTIVE,
        restriction=Restriction.NONE,
    )
    return replace(base, **changes)


def rn(*licenses: Credential, **changes: Any) -> CredentialRecord:
    return provider_record(Discipline.RN, *licenses, **changes)


def restricted_waiver(**changes: Any) -> Waiver:
    base = Waiver(
        kind=WaiverKind.RESTRICTED_LICENSE,
        granted_by="The Surgeon General of the Navy",
        dated=dt.date(2026, 4, 6),
        expires_on=dt.date(2028, 3, 31),  # the licensure period of md_license()
        in_ccqas=True,
        basis="State requirement to maintain private malpractice insurance (ASD(HA) list)",
        state_on_asdha_list=True,
    )
    return replace(base, **changes)


def waived_physician(
    *, waiver: Waiver | None = None, license: Credential | None = None, **changes: Any
) -> CredentialRecord:
    """A physician whose only license carries a waived administrative or financial limit."""
    held = license or md_license(restriction=Restriction.ADMIN_FINANCIAL)
    return physician(held, waivers=(waiver or restricted_waiver(),), **changes)


def nccpa(**changes: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.CERTIFICATION,
        title="Physician Assistant - Certified (PA-C)",
        issuer="NCCPA",
        issuer_type=IssuerType.NATIONAL_BODY,
        body="NCCPA",
        effective_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2027, 12, 31),
        status=CredentialStatus.ACTIVE,
    )
    return replace(base, **changes)


def pa_waiver(**changes: Any) -> Waiver:
    base = Waiver(
        kind=WaiverKind.PA,
        granted_by="Privileging authority, Naval Medical Center San Diego",
        dated=GRANTED,
        expires_on=dt.date(2027, 6, 30),
        in_ccqas=True,
        basis="Privileged MHS PA meeting Encl. 4 para 1b(6)(c)",
    )
    return replace(base, **changes)


def pa_block(**changes: Any) -> PaQualification:
    base = PaQualification(
        program_accreditor="ARC-PA",
        program_completed_on=dt.date(2014, 12, 12),
        pance_passed=True,
        nccpa_expires_on=dt.date(2027, 12, 31),
    )
    return replace(base, **changes)


def pa(*credentials: Credential, **changes: Any) -> CredentialRecord:
    """A privileged PA with no license, practising under the automatic PA waiver."""
    values: dict[str, object] = {"waivers": (pa_waiver(),), "pa": pa_block()}
    values.update(changes)
    return provider_record(Discipline.PA, *(credentials or (nccpa(),)), **values)


def apn_rn_license(**changes: Any) -> Credential:
    """An RN license: it does not authorize advanced practice."""
    return rn_license(title="Registered Nurse (multistate)", authorizing=False, **changes)


def apn_certification() -> Credential:
    return Credential(
        kind=CredentialKind.CERTIFICATION,
        title="Family Nurse Practitioner - Certified (FNP-C)",
        issuer="AANPCB",
        issuer_type=IssuerType.NATIONAL_BODY,
        body="AANPCB",
        effective_on=dt.date(2022, 11, 1),
        expires_on=dt.date(2027, 10, 31),
        status=CredentialStatus.ACTIVE,
    )


def apn_block(**changes: Any) -> ApnQualification:
    base = ApnQualification(
        license_ok=True,
        program="Family Nurse Practitioner program (CCNE accredited)",
        completed_on=dt.date(2012, 8, 17),
        degree_level="Master of Science in Nursing",
        exam_passed=True,
        ce_ok=True,
        cert_expires_on=dt.date(2027, 10, 31),
        renewal_review_in_ccqas=True,
    )
    return replace(base, **changes)


def apn(*credentials: Credential, **changes: Any) -> CredentialRecord:
    """A privileged APN with an RN license only, practising under the APN waiver."""
    values: dict[str, object] = {
        "waivers": (pa_waiver(kind=WaiverKind.APN),),
        "apn": apn_block(),
    }
    values.update(changes)
    held = credentials or (apn_rn_license(), apn_certification())
    return provider_record(Discipline.APN, *held, **values)


def cdr_registration(**changes: Any) -> Credential:
    base = Credential(
        kind=CredentialKind.REGISTRATION,
        title="Registered Dietitian Nutritionist (RDN)",
        authorizing=True,
        issuer="Commission on Dietetic Registration",
        issuer_type=IssuerType.NATIONAL_BODY,
        body="CDR",
        effective_on=dt.date(2026, 6, 1),
        expires_on=dt.date(2027, 5, 31),
        status=CredentialStatus.ACTIVE,
    )
    return replace(base, **changes)


def plan(**changes: Any) -> FormalSupervisionPlan:
    base = FormalSupervisionPlan(
        written=True, supervisor_discipline="apn", supervisor_licensed=True
    )
    return replace(base, **changes)


def renewal(on: dt.date = GRANTED) -> PrivilegeEvent:
    return PrivilegeEvent(type=PrivilegeEventType.RENEWAL, on=on)


def foreign_license(**changes: Any) -> Credential:
    return md_license(
        title="Registration with the General Medical Council",
        issuer="General Medical Council (United Kingdom)",
        issuer_type=IssuerType.FOREIGN,
        **changes,
    )


# ---------------------------------------------------------------- the complete cases


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(fx.complete_record, [], id="physician"),
        pytest.param(fx.reserve_record, [], id="reserve-physician"),
        pytest.param(lambda: rn(rn_license()), [], id="rn"),
        pytest.param(lambda: rn(rn_license(multistate=True)), ["LIC-005"], id="rn-multistate"),
        pytest.param(pa, [], id="pa-with-waiver"),
        pytest.param(apn, [], id="apn-with-waiver"),
        pytest.param(waived_physician, [], id="physician-with-restricted-waiver"),
        pytest.param(
            lambda: provider_record(Discipline.DIETITIAN, cdr_registration()), [], id="dietitian"
        ),
    ],
)
def test_complete_records_give_exactly_these_codes(
    make: Callable[[], CredentialRecord], expected: list[str]
) -> None:
    found = run(make())
    assert codes(found) == expected
    # in particular, nothing that blocks or needs review
    assert [f.code for f in found if f.severity is not Severity.INFO] == []


def test_complete_record_without_the_record_gives_no_findings() -> None:
    assert codes(run(fx.complete_record(), with_record=False)) == []


@pytest.mark.parametrize("code", sorted(LIC_CODES))
def test_each_rule_is_quiet_on_the_complete_record(code: str) -> None:
    # asked for this code alone, so a checker registered under the wrong code shows too
    assert run(fx.complete_record(), only=frozenset({code})) == []


def test_every_code_is_registered() -> None:
    assert LIC_CODES <= rules.registered_codes()
    assert fx.privileges().granted_on == GRANTED


# ---------------------------------------------------------------- LIC-001 license requirement


@pytest.mark.parametrize(
    ("record", "fragments"),
    [
        pytest.param(
            rn(rn_license(expires_on=dt.date(2026, 10, 31))),
            ["RN", "Registered Nurse License (Texas Board of Nursing): expires 2026-10-31"],
            id="rn-only-expired",
        ),
        pytest.param(
            rn(rn_license(status=CredentialStatus.SUSPENDED)),
            ["Registered Nurse License (Texas Board of Nursing): suspended"],
            id="rn-suspended",
        ),
        pytest.param(rn(rn_license(status=CredentialStatus.REVOKED)), ["revoked"], id="rn-revoked"),
        pytest.param(rn(rn_license(status=CredentialStatus.LAPSED)), ["lapsed"], id="rn-lapsed"),
        pytest.param(
            rn(rn_license(status=CredentialStatus.INACTIVE)), ["inactive"], id="rn-inactive"
        ),
        pytest.param(
            rn(rn_license(issuer="Ontario College of Nurses", issuer_type=IssuerType.FOREIGN)),
            ["Ontario College of Nurses): foreign"],
            id="rn-foreign-only",
        ),
        pytest.param(
            rn(rn_license(effective_on=AS_OF + DAY)),
            [f"not effective until {AS_OF + DAY}", f"{AS_OF} (the as-of date)"],
            id="rn-not-yet-effective",
        ),
        pytest.param(
            rn(rn_license(authorizing=False, title="Licensed Vocational Nurse License")),
            ["does not authorize practice"],
            id="rn-license-for-another-discipline",
        ),
        pytest.param(
            rn(rn_license(issuer_type=IssuerType.NATIONAL_BODY)),
            ["not from a US jurisdiction"],
            id="rn-national-body",
        ),
        pytest.param(
            rn(rn_license(expires_on=LAST - DAY)),
            [f"expires {LAST - DAY}", f"{LAST} (the last day of the assignment)"],
            id="rn-expires-before-the-assignment-ends",
        ),
        pytest.param(rn(), ["no license is recorded"], id="rn-no-license"),
        pytest.param(
            physician(md_license(expires_on=dt.date(2026, 3, 31))), ["physician"], id="md"
        ),
        pytest.param(
            provider_record(Discipline.OCCUPATIONAL_THERAPIST),
            ["occupational therapist"],
            id="ot-after-grace",
        ),
        pytest.param(
            rn(
                rn_license(expires_on=dt.date(2026, 10, 31)),
                formal_supervision_plan=plan(written=False),
            ),
            ["no written plan of supervision"],
            id="rn-plan-not-written",
        ),
    ],
)
def test_lic_001_fires(record: CredentialRecord, fragments: list[str]) -> None:
    (hit,) = fired(run(record), "LIC-001", "no current license from a US jurisdiction", *fragments)
    assert hit.location == "/credential_record/credentials"


def test_lic_001_foreign_only_license_also_fires_lic_009() -> None:
    record = rn(rn_license(issuer="Ontario College of Nurses", issuer_type=IssuerType.FOREIGN))
    found = run(record)
    assert codes(found) == ["LIC-001", "LIC-009"]
    fired(found, "LIC-009", "Registered Nurse License (Ontario College of Nurses)")


@pytest.mark.parametrize(
    ("record", "instead"),
    [
        pytest.param(provider_record(Discipline.DIETITIAN), "LIC-006", id="dietitian-not-listed"),
        pytest.param(pa(waivers=()), "LIC-030", id="pa-judged-by-7.3"),
        pytest.param(apn(waivers=()), "LIC-030", id="apn-judged-by-7.3"),
        pytest.param(rn(formal_supervision_plan=plan()), None, id="rn-written-plan"),
        pytest.param(
            rn(
                rn_license(expires_on=dt.date(2025, 6, 30)),
                rn_license(effective_on=dt.date(2025, 7, 1)),
            ),
            None,
            id="rn-renewed-license",
        ),
        pytest.param(
            physician(
                md_license(expires_on=dt.date(2026, 3, 31)),
                waivers=(restricted_waiver(expires_on=LAST),),
            ),
            "LIC-021",  # the waiver outlives the licensure period it waives
            id="restricted-waiver-in-force",
        ),
        pytest.param(provider_record(Discipline.UNLICENSED), None, id="unlicensed-discipline"),
    ],
)
def test_lic_001_quiet(record: CredentialRecord, instead: str | None) -> None:
    found = run(record)
    quiet(found, "LIC-001")
    if instead is not None:
        fired(found, instead)


@pytest.mark.parametrize(
    ("as_of", "fires"),
    [
        pytest.param(ictb.rules.licensure.OT_GRACE_ENDED_ON - DAY, False, id="last-day-of-grace"),
        pytest.param(ictb.rules.licensure.OT_GRACE_ENDED_ON, True, id="grace-over"),
    ],
)
def test_lic_001_occupational_therapist_grace_period(as_of: dt.date, fires: bool) -> None:
    assert ictb.rules.licensure.OT_GRACE_ENDED_ON == dt.date(2015, 10, 29)
    record = provider_record(Discipline.OCCUPATIONAL_THERAPIST)
    found = on_as_of_only(record, as_of=as_of)
    assert ("LIC-001" in codes(found)) is fires


def test_lic_001_needs_the_record() -> None:
    # whether a waiver or a plan of supervision exists is in the record only
    assert codes(run(rn(), with_record=False)) == []


# ---------------------------------------------------------------- D2/D7 date edges


@pytest.mark.parametrize(
    ("changes", "window", "fires"),
    [
        pytest.param(
            {"expires_on": AS_OF - DAY}, "as-of only", True, id="expires-day-before-as-of"
        ),
        pytest.param({"expires_on": AS_OF}, "as-of only", False, id="expires-on-as-of"),
        pytest.param(
            {"expires_on": AS_OF + DAY}, "as-of only", False, id="expires-day-after-as-of"
        ),
        pytest.param({"expires_on": LAST - DAY}, "assignment", True, id="expires-day-before-last"),
        pytest.param({"expires_on": LAST}, "assignment", False, id="expires-on-last-day"),
        pytest.param({"effective_on": AS_OF}, "assignment", False, id="effective-on-as-of"),
        pytest.param({"effective_on": AS_OF + DAY}, "assignment", True, id="effective-day-after"),
    ],
)
def test_license_currency_date_edges(changes: dict[str, dt.date], window: str, fires: bool) -> None:
    record = physician(md_license(**changes))
    found = on_as_of_only(record) if window == "as-of only" else run(record)
    assert codes(found) == (["LIC-001"] if fires else [])


# ---------------------------------------------------------------- LIC-002 unrestricted license


@pytest.mark.parametrize(
    "restriction",
    [
        Restriction.FEDERAL_ONLY,
        Restriction.CONFINED,
        Restriction.MILITARY_EXEMPT,
        Restriction.ADMIN_FINANCIAL,
        Restriction.SUPERVISION,
        Restriction.COMPETENCY,
    ],
    ids=lambda r: r.value,
)
def test_lic_002_fires_when_every_license_is_restricted_and_not_waived(
    restriction: Restriction,
) -> None:
    found = run(physician(md_license(restriction=restriction)))
    (hit,) = fired(
        found, "LIC-002", "Physician and Surgeon License (California)", "expires 2028-03-31"
    )
    assert hit.location == "/credential_record/credentials/credential[1]"
    quiet(found, "LIC-001")


@pytest.mark.parametrize(
    "waiver",
    [
        pytest.param(restricted_waiver(expires_on=AS_OF - DAY), id="waiver-expired"),
        pytest.param(restricted_waiver(expires_on=LAST - DAY), id="waiver-ends-before-last-day"),
        pytest.param(restricted_waiver(dated=AS_OF + DAY), id="waiver-not-yet-granted"),
        pytest.param(pa_waiver(), id="waiver-of-another-kind"),
    ],
)
def test_lic_002_fires_when_no_waiver_is_in_force(waiver: Waiver) -> None:
    record = physician(md_license(restriction=Restriction.MILITARY_EXEMPT), waivers=(waiver,))
    fired(run(record), "LIC-002", "military-exemption", "no restricted-license waiver")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(waived_physician(), id="waiver-in-force"),
        pytest.param(
            physician(
                md_license(), md_license(issuer="Texas", restriction=Restriction.MILITARY_EXEMPT)
            ),
            id="also-unrestricted",
        ),
        pytest.param(physician(md_license(expires_on=AS_OF - DAY)), id="no-current-license"),
    ],
)
def test_lic_002_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-002")


def test_lic_002_needs_the_record() -> None:
    record = physician(md_license(restriction=Restriction.FEDERAL_ONLY))
    quiet(run(record, with_record=False), "LIC-002")


# ---------------------------------------------------------------- LIC-003 extra restricted licenses


@pytest.mark.parametrize(
    "restriction", [Restriction.MILITARY_EXEMPT, Restriction.FEDERAL_ONLY], ids=lambda r: r.value
)
def test_lic_003_informs_about_extra_restricted_licenses(restriction: Restriction) -> None:
    record = physician(md_license(), md_license(issuer="Texas", restriction=restriction))
    found = run(record)
    (hit,) = fired(found, "LIC-003", "Physician and Surgeon License (Texas)", "allowed")
    assert hit.location == "/credential_record/credentials/credential[2]"
    assert codes(found) == ["LIC-003"]


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(fx.complete_record(), id="only-unrestricted"),
        pytest.param(physician(md_license(restriction=Restriction.CONFINED)), id="only-restricted"),
        pytest.param(
            physician(
                md_license(),
                md_license(
                    issuer="Texas", restriction=Restriction.MILITARY_EXEMPT, expires_on=AS_OF - DAY
                ),
            ),
            id="extra-one-expired",
        ),
        pytest.param(
            physician(
                md_license(), md_license(issuer="Texas", restriction=Restriction.SUPERVISION)
            ),
            id="extra-one-board-limited",
        ),
    ],
)
def test_lic_003_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-003")


# ---------------------------------------------------------------- LIC-004 adverse license status


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param({"status": CredentialStatus.SUSPENDED}, "is suspended", id="suspended"),
        pytest.param({"status": CredentialStatus.REVOKED}, "is revoked", id="revoked"),
        pytest.param(
            {"restriction": Restriction.SUPERVISION}, "practice under supervision", id="disciplined"
        ),
        pytest.param(
            {"restriction": Restriction.COMPETENCY}, "clinical-competency", id="competency-limit"
        ),
    ],
)
@pytest.mark.parametrize("with_record", [True, False], ids=["record", "ictb-only"])
def test_lic_004_fires_even_beside_a_good_license(
    changes: dict[str, object], fragment: str, with_record: bool
) -> None:
    record = physician(md_license(), md_license(issuer="Nevada", **changes))
    found = run(record, with_record=with_record)
    (hit,) = fired(found, "LIC-004", "Physician and Surgeon License (Nevada)", fragment)
    section = "/credential_record/credentials" if with_record else "/ictb/brief/licensure"
    assert hit.location == f"{section}/credential[2]"
    quiet(found, "LIC-001")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"expires_on": AS_OF - DAY}, id="plain-expiry"),
        pytest.param({"status": CredentialStatus.LAPSED}, id="lapsed"),
        pytest.param({"restriction": Restriction.MILITARY_EXEMPT}, id="military-exempt"),
    ],
)
def test_lic_004_quiet(changes: dict[str, object]) -> None:
    quiet(run(physician(md_license(), md_license(issuer="Nevada", **changes))), "LIC-004")


# ---------------------------------------------------------------- LIC-005 Nurse Licensure Compact


@pytest.mark.parametrize("discipline", [Discipline.RN, Discipline.LPN], ids=lambda d: d.value)
def test_lic_005_multistate_nurse(discipline: Discipline) -> None:
    record = provider_record(discipline, rn_license(multistate=True))
    fired(run(record), "LIC-005", "Registered Nurse License (Texas Board of Nursing)", "Compact")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(rn(rn_license()), id="single-state"),
        pytest.param(rn(rn_license(multistate=True, expires_on=AS_OF - DAY)), id="expired"),
        pytest.param(apn(rn_license(multistate=True), apn_certification()), id="apn"),
    ],
)
def test_lic_005_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-005")


# ---------------------------------------------------------------- LIC-006 / LIC-007


@pytest.mark.parametrize(
    ("credentials", "fragment"),
    [
        pytest.param((), "none is recorded", id="none"),
        pytest.param((cdr_registration(expires_on=AS_OF - DAY),), "expires", id="expired"),
        pytest.param(
            (cdr_registration(expires_on=LAST - DAY),), f"{LAST}", id="lapses-during-assignment"
        ),
        pytest.param(
            (cdr_registration(kind=CredentialKind.BOARD, title="Sports Dietetics (CSSD)"),),
            "none is recorded",
            id="cdr-specialty-board-only",
        ),
        pytest.param(
            (cdr_registration(body="ACEND", issuer="Accreditation Council"),),
            "none is recorded",
            id="other-body",
        ),
    ],
)
@pytest.mark.parametrize("with_record", [True, False], ids=["record", "ictb-only"])
def test_lic_006_dietitian_without_current_cdr_registration(
    credentials: tuple[Credential, ...], fragment: str, with_record: bool
) -> None:
    record = provider_record(Discipline.DIETITIAN, *credentials)
    found = run(record, with_record=with_record)
    fired(found, "LIC-006", "Commission on Dietetic Registration", fragment)
    quiet(found, "LIC-001")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(provider_record(Discipline.DIETITIAN, cdr_registration()), id="current"),
        pytest.param(
            provider_record(
                Discipline.DIETITIAN,
                cdr_registration(body=None, issuer="Commission on Dietetic Registration"),
            ),
            id="named-by-issuer",
        ),
        pytest.param(rn(rn_license()), id="not-a-dietitian"),
    ],
)
def test_lic_006_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-006")


def test_lic_007_sud_counselor_without_certification() -> None:
    found = run(provider_record(Discipline.SUD_COUNSELOR))
    fired(found, "LIC-007", "substance-use-disorder counselor", "certification or registration")


@pytest.mark.parametrize(
    "kind", [CredentialKind.CERTIFICATION, CredentialKind.REGISTRATION], ids=lambda k: k.value
)
def test_lic_007_quiet_with_certification_or_registration(kind: CredentialKind) -> None:
    held = cdr_registration(kind=kind, title="Certified Alcohol and Drug Counselor", body="IC&RC")
    quiet(run(provider_record(Discipline.SUD_COUNSELOR, held)), "LIC-007")


# ---------------------------------------------------------------- LIC-008 plan of supervision


@pytest.mark.parametrize(
    ("discipline", "the_plan", "fragment"),
    [
        pytest.param(Discipline.RN, plan(written=False), "not written", id="not-written"),
        pytest.param(
            Discipline.RN,
            plan(supervisor_licensed=False),
            "not shown to be licensed",
            id="unlicensed",
        ),
        pytest.param(
            Discipline.RN,
            plan(supervisor_discipline="pharmacist"),
            "(pharmacist) is not the same as or similar to the provider's (RN)",
            id="other-discipline",
        ),
        pytest.param(
            Discipline.DENTAL_HYGIENIST,
            plan(supervisor_discipline=None),
            "(not recorded)",
            id="discipline-not-recorded",
        ),
        pytest.param(
            Discipline.UNLICENSED,
            plan(supervisor_licensed=None),
            "licensed",
            id="unlicensed-provider",
        ),
    ],
)
def test_lic_008_fires(
    discipline: Discipline, the_plan: FormalSupervisionPlan, fragment: str
) -> None:
    record = provider_record(discipline, formal_supervision_plan=the_plan)
    (hit,) = fired(run(record), "LIC-008", "plan of supervision", fragment)
    assert hit.location == "/credential_record/formal_supervision_plan"


def test_lic_008_a_foreign_license_is_no_authorizing_document_here() -> None:
    foreign_rn = rn_license(issuer="Ontario College of Nurses", issuer_type=IssuerType.FOREIGN)
    bad_plan = plan(supervisor_licensed=False)
    fired(run(rn(foreign_rn, formal_supervision_plan=bad_plan)), "LIC-008", "not shown")
    # for a foreign national abroad the foreign grant is the authorizing document (Gloss.)
    foreign_provider = fx.provider(discipline=Discipline.RN, component=Component.FOREIGN)
    record = rn(foreign_rn, formal_supervision_plan=bad_plan, provider=foreign_provider)
    quiet(run(record), "LIC-008")


@pytest.mark.parametrize(
    ("record", "instead"),
    [
        pytest.param(rn(formal_supervision_plan=plan()), None, id="rn-under-licensed-apn"),
        pytest.param(
            rn(formal_supervision_plan=plan(supervisor_discipline="rn")), None, id="same-discipline"
        ),
        pytest.param(
            provider_record(
                Discipline.LPN, formal_supervision_plan=plan(supervisor_discipline="rn")
            ),
            None,
            id="lpn-under-rn",
        ),
        pytest.param(
            pa(
                nccpa(), waivers=(), formal_supervision_plan=plan(supervisor_discipline="physician")
            ),
            None,
            id="pa-under-physician",
        ),
        pytest.param(
            rn(rn_license(), formal_supervision_plan=plan(written=False)), None, id="licensed"
        ),
        pytest.param(rn(), "LIC-001", id="no-plan-at-all"),
    ],
)
def test_lic_008_quiet(record: CredentialRecord, instead: str | None) -> None:
    found = run(record)
    quiet(found, "LIC-008")
    if instead:
        fired(found, instead)


# ---------------------------------------------------------------- LIC-009 foreign only


@pytest.mark.parametrize("with_record", [True, False], ids=["record", "ictb-only"])
def test_lic_009_foreign_only(with_record: bool) -> None:
    found = run(physician(foreign_license()), with_record=with_record)
    fired(found, "LIC-009", "General Medical Council (United Kingdom)", "US-jurisdiction")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(physician(md_license(), foreign_license()), id="with-us-license"),
        pytest.param(
            physician(foreign_license(), provider=fx.provider(component=Component.FOREIGN)),
            id="foreign-provider-hum-020",
        ),
        pytest.param(pa(nccpa(), foreign_license()), id="pa-under-waiver"),
    ],
)
def test_lic_009_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-009")


def test_lic_009_pa_without_waiver() -> None:
    found = run(pa(nccpa(), foreign_license(), waivers=()))
    fired(found, "LIC-009", "General Medical Council")


# ---------------------------------------------------------------- LIC-020..023 restricted waivers


@pytest.mark.parametrize(
    ("waiver", "fragment"),
    [
        pytest.param(restricted_waiver(in_ccqas=False), "not recorded in CCQAS", id="not-in-ccqas"),
        pytest.param(restricted_waiver(in_ccqas=None), "not recorded in CCQAS", id="ccqas-unknown"),
        pytest.param(
            restricted_waiver(granted_by="MTF Commander"),
            "not granted by the Service SG (granted by MTF Commander)",
            id="not-sg",
        ),
        pytest.param(
            restricted_waiver(state_on_asdha_list=False), "ASD(HA) list", id="not-on-asdha-list"
        ),
        pytest.param(
            restricted_waiver(state_on_asdha_list=None), "ASD(HA) list", id="asdha-list-unknown"
        ),
    ],
)
def test_lic_020_fires(waiver: Waiver, fragment: str) -> None:
    (hit,) = fired(
        run(waived_physician(waiver=waiver)), "LIC-020", "restricted-license waiver", fragment
    )
    assert hit.location == "/credential_record/waivers/waiver[1]"


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(waived_physician(), id="navy-sg"),
        pytest.param(waived_physician(waiver=restricted_waiver(granted_by="AF/SG")), id="af-sg"),
        pytest.param(
            waived_physician(waiver=restricted_waiver(granted_by="Chief, BUMED")), id="bumed"
        ),
        pytest.param(
            physician(md_license(), waivers=(restricted_waiver(in_ccqas=False),)),
            id="not-relied-on",
        ),
    ],
)
def test_lic_020_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-020")


def test_lic_021_waiver_date_differs_from_license_expiry() -> None:
    record = waived_physician(waiver=restricted_waiver(expires_on=dt.date(2028, 6, 30)))
    (hit,) = fired(
        run(record), "LIC-021", "expiring 2028-06-30", "does not end with the licensure period"
    )
    assert "expires 2028-03-31" in hit.message


def test_lic_021_license_renewed_without_a_new_waiver() -> None:
    old = md_license(restriction=Restriction.ADMIN_FINANCIAL, expires_on=dt.date(2026, 3, 31))
    new = md_license(
        restriction=Restriction.ADMIN_FINANCIAL,
        effective_on=dt.date(2026, 4, 1),
        expires_on=dt.date(2028, 3, 31),
    )
    waiver = restricted_waiver(dated=dt.date(2024, 4, 1), expires_on=dt.date(2026, 3, 31))
    found = run(physician(old, new, waivers=(waiver,)))
    fired(found, "LIC-021", "renewed", "no new waiver", "expires 2028-03-31")
    fired(found, "LIC-002")
    # with the new waiver the renewal is covered
    renewed = physician(old, new, waivers=(waiver, restricted_waiver()))
    assert codes(run(renewed)) == []


@pytest.mark.parametrize(
    ("basis", "fragment"),
    [
        pytest.param("Avoid paying the standard license fee", "standard license fee", id="fee"),
        pytest.param(
            "Declines to pay the standard license renewal fee", "renewal fee", id="renewal-fee"
        ),
        pytest.param(
            "Position not involving the provision of patient care", "patient care", id="no-care"
        ),
        pytest.param(
            "Administrative-only position (no patient care)", "Administrative", id="admin"
        ),
        pytest.param("Duties are entirely administrative position", "administrative", id="admin-2"),
    ],
)
def test_lic_022_unacceptable_basis(basis: str, fragment: str) -> None:
    record = waived_physician(waiver=restricted_waiver(basis=basis))
    fired(run(record), "LIC-022", "not justified", fragment)


def test_lic_022_physician_with_a_fee_removable_restriction() -> None:
    waived = md_license(restriction=Restriction.ADMIN_FINANCIAL)
    exempt = md_license(issuer="Virginia", restriction=Restriction.MILITARY_EXEMPT)
    found = run(physician(waived, exempt, waivers=(restricted_waiver(),)))
    fired(found, "LIC-022", "Physician and Surgeon License (Virginia)", "standard license fee")


def test_lic_022_quiet() -> None:
    quiet(run(waived_physician()), "LIC-022")
    # the second clause names "the physician"
    waived = md_license(restriction=Restriction.ADMIN_FINANCIAL)
    exempt = md_license(issuer="Virginia", restriction=Restriction.MILITARY_EXEMPT)
    dentist = physician(waived, exempt, waivers=(restricted_waiver(),))
    dentist = replace(dentist, provider=fx.provider(discipline=Discipline.DENTIST))
    quiet(run(dentist), "LIC-022")


@pytest.mark.parametrize(
    "restriction", [Restriction.SUPERVISION, Restriction.COMPETENCY], ids=lambda r: r.value
)
def test_lic_023_waiver_for_a_clinical_limit(restriction: Restriction) -> None:
    record = waived_physician(license=md_license(restriction=restriction))
    fired(
        run(record), "LIC-023", "Physician and Surgeon License (California)", "clinical competence"
    )


@pytest.mark.parametrize(
    "restriction",
    [Restriction.ADMIN_FINANCIAL, Restriction.FEDERAL_ONLY, Restriction.MILITARY_EXEMPT],
    ids=lambda r: r.value,
)
def test_lic_023_quiet(restriction: Restriction) -> None:
    quiet(run(waived_physician(license=md_license(restriction=restriction))), "LIC-023")


def record_firing(code: str) -> CredentialRecord:
    """A record on which ``code`` fires (all of these read record-only data)."""
    npsc = fx.provider(discipline=Discipline.PA, component=Component.NPSC_CONTRACTOR)
    denial = PrivilegeEvent(type=PrivilegeEventType.DENIAL, on=dt.date(2026, 10, 1))
    return {
        "LIC-001": lambda: rn(),
        "LIC-002": lambda: physician(md_license(restriction=Restriction.FEDERAL_ONLY)),
        "LIC-008": lambda: rn(formal_supervision_plan=plan(supervisor_licensed=False)),
        "LIC-020": lambda: waived_physician(waiver=restricted_waiver(in_ccqas=False)),
        "LIC-021": lambda: waived_physician(
            waiver=restricted_waiver(expires_on=dt.date(2028, 6, 30))
        ),
        "LIC-022": lambda: waived_physician(waiver=restricted_waiver(basis="standard license fee")),
        "LIC-023": lambda: waived_physician(
            license=md_license(restriction=Restriction.SUPERVISION)
        ),
        "LIC-030": lambda: pa(waivers=()),
        "LIC-031": lambda: pa(waivers=()),
        "LIC-032": lambda: pa(waivers=(pa_waiver(dated=dt.date(2023, 7, 3)),)),
        "LIC-033": lambda: pa(pa=None),
        "LIC-034": lambda: apn(apn=None),
        "LIC-035": lambda: pa(provider=npsc),
        "LIC-036": lambda: pa(privilege_events=(denial,)),
        "LIC-037": lambda: apn(
            apn=apn_block(renewal_review_in_ccqas=False), privilege_events=(renewal(),)
        ),
    }[code]()


@pytest.mark.parametrize("code", RECORD_ONLY)
def test_record_only_rules_are_silent_without_the_record(code: str) -> None:
    record = record_firing(code)
    fired(run(record), code)
    assert run(record, with_record=False, only=frozenset({code})) == []


# ---------------------------------------------------------------- LIC-030..032 PA and APN waivers


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        pytest.param(pa(waivers=()), "no PA waiver is recorded", id="pa-no-waiver"),
        pytest.param(
            pa(waivers=(pa_waiver(in_ccqas=False),)), "not recorded in CCQAS", id="pa-not-in-ccqas"
        ),
        pytest.param(
            pa(waivers=(pa_waiver(expires_on=LAST - DAY),)), "is not in force", id="pa-waiver-ends"
        ),
        pytest.param(apn(waivers=(pa_waiver(),)), "no APN waiver", id="apn-with-pa-waiver"),
        pytest.param(
            apn(apn_rn_license(), apn_certification(), waivers=()),
            "no APN waiver",
            id="apn-rn-only",
        ),
    ],
)
def test_lic_030_fires(record: CredentialRecord, fragment: str) -> None:
    fired(run(record), "LIC-030", "no current unrestricted license of their own", fragment)


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(pa(), id="pa-waiver"),
        pytest.param(
            pa(nccpa(), md_license(title="Physician Assistant License"), waivers=()),
            id="own-license",
        ),
        pytest.param(
            pa(waivers=(), provider=fx.provider(discipline=Discipline.PA, privileged=False)),
            id="not-privileged",
        ),
    ],
)
def test_lic_030_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-030")


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        pytest.param(pa(waivers=()), "a PA waiver or an unrestricted license", id="no-waiver"),
        pytest.param(
            pa(privileges=fx.privileges(expires_on=LAST - DAY)),
            "current clinical privileges",
            id="privileges-end-during-assignment",
        ),
        pytest.param(
            pa(provider=fx.provider(discipline=Discipline.PA, privileged=False)),
            "current clinical privileges",
            id="not-privileged",
        ),
        pytest.param(apn(privileges=None), "current clinical privileges", id="apn-no-privileges"),
    ],
)
def test_lic_031_fires(record: CredentialRecord, fragment: str) -> None:
    fired(run(record), "LIC-031", "no formal plan of supervision", fragment)


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(pa(), id="waiver-and-privileges"),
        pytest.param(apn(), id="apn-waiver-and-privileges"),
        pytest.param(
            pa(waivers=(), formal_supervision_plan=plan(supervisor_discipline="physician")),
            id="plan-on-file",
        ),
    ],
)
def test_lic_031_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-031")


def test_lic_032_waiver_not_updated_at_renewal() -> None:
    record = pa(waivers=(pa_waiver(dated=dt.date(2023, 7, 3)),))
    fired(run(record), "LIC-032", "dated 2023-07-03", f"is not dated {GRANTED}")


def test_lic_032_quiet() -> None:
    quiet(run(pa()), "LIC-032")
    quiet(run(apn()), "LIC-032")


# ---------------------------------------------------------------- LIC-033 PA criteria


@pytest.mark.parametrize(
    ("block", "fails", "fragment"),
    [
        pytest.param(pa_block(), False, "", id="arc-pa"),
        pytest.param(
            pa_block(program_accreditor="CAHEA", program_completed_on=dt.date(2000, 5, 20)),
            False,
            "",
            id="cahea-2000",
        ),
        pytest.param(
            pa_block(program_accreditor="CAAHEP", program_completed_on=dt.date(2000, 12, 31)),
            False,
            "",
            id="caahep-2000-12-31",
        ),
        pytest.param(
            pa_block(program_accreditor="CAHEA", program_completed_on=dt.date(2003, 5, 17)),
            True,
            "(1) the program accredited by CAHEA was completed 2003-05-17",
            id="cahea-2003",
        ),
        pytest.param(
            pa_block(program_accreditor="CAAHEP", program_completed_on=dt.date(2001, 1, 1)),
            True,
            "CAHEA or CAAHEP counts only before 2001",
            id="caahep-2001-01-01",
        ),
        pytest.param(pa_block(program_accreditor="LCME"), True, "(1)", id="other-accreditor"),
        pytest.param(pa_block(pance_passed=False), True, "(2) passing the PANCE", id="no-pance"),
        pytest.param(pa_block(pance_passed=None), True, "(2)", id="pance-unknown"),
        pytest.param(
            pa_block(nccpa_expires_on=AS_OF - DAY),
            True,
            f"(3) the NCCPA certification expires {AS_OF - DAY}",
            id="nccpa-expires-day-before",
        ),
        pytest.param(pa_block(nccpa_expires_on=AS_OF), False, "", id="nccpa-expires-on-the-day"),
        pytest.param(pa_block(nccpa_expires_on=None), True, "(3)", id="nccpa-unknown"),
        pytest.param(None, True, "not recorded", id="no-pa-block"),
    ],
)
def test_lic_033_pa_criteria(block: PaQualification | None, fails: bool, fragment: str) -> None:
    found = on_as_of_only(pa(pa=block))
    if fails:
        (hit,) = fired(found, "LIC-033", "PA waiver is relied on", fragment)
        assert hit.location == "/credential_record/pa"
    else:
        quiet(found, "LIC-033")


@pytest.mark.parametrize(
    ("expires", "fails"),
    [
        pytest.param(LAST - DAY, True, id="day-before-last"),
        pytest.param(LAST, False, id="last-day"),
    ],
)
def test_lic_033_nccpa_must_last_through_the_assignment(expires: dt.date, fails: bool) -> None:
    found = run(pa(pa=pa_block(nccpa_expires_on=expires)))
    assert ("LIC-033" in codes(found)) is fails


def test_lic_033_not_relied_on_with_own_license() -> None:
    record = pa(
        nccpa(), md_license(title="Physician Assistant License"), pa=pa_block(pance_passed=False)
    )
    quiet(run(record), "LIC-033")


# ---------------------------------------------------------------- LIC-034 APN criteria


@pytest.mark.parametrize(
    ("record", "fails", "fragment"),
    [
        pytest.param(apn(), False, "", id="complete"),
        pytest.param(
            apn(
                apn=apn_block(
                    completed_on=dt.date(2001, 12, 31), degree_level="BSN with certificate"
                )
            ),
            False,
            "",
            id="completed-2001-12-31-no-masters",
        ),
        pytest.param(
            apn(
                apn=apn_block(completed_on=dt.date(2002, 1, 1), degree_level="BSN with certificate")
            ),
            True,
            "(3) the program was completed 2002-01-01, after 2001-12-31",
            id="completed-2002-01-01-no-masters",
        ),
        pytest.param(
            apn(apn=apn_block(completed_on=dt.date(2002, 1, 1), degree_level="DNP")),
            False,
            "",
            id="doctorate",
        ),
        pytest.param(apn(apn=apn_block(license_ok=False)), True, "(1)", id="license-not-ok"),
        pytest.param(
            apn(apn_certification()),
            True,
            "(1) no current, active, valid, unrestricted",
            id="no-rn",
        ),
        pytest.param(
            apn(apn_rn_license(restriction=Restriction.FEDERAL_ONLY), apn_certification()),
            True,
            "(1)",
            id="restricted-rn",
        ),
        pytest.param(
            apn(apn_rn_license(expires_on=LAST - DAY), apn_certification()),
            True,
            f"(1) no current, active, valid, unrestricted RN or APN license is shown on {LAST}",
            id="rn-lapses-during-assignment",
        ),
        pytest.param(apn(apn=apn_block(program=None)), True, "(2)", id="no-program"),
        pytest.param(apn(apn=apn_block(exam_passed=False)), True, "(4)", id="no-exam"),
        pytest.param(apn(apn=apn_block(ce_ok=False)), True, "(5) continuing education", id="no-ce"),
        pytest.param(apn(apn=apn_block(ce_ok=None)), True, "(5)", id="ce-unknown"),
        pytest.param(apn(apn=apn_block(exam_passed=None)), True, "(4)", id="exam-unknown"),
        pytest.param(
            apn(apn=apn_block(cert_expires_on=LAST - DAY)),
            True,
            f"(6) the national certification expires {LAST - DAY}",
            id="cert-lapses",
        ),
        pytest.param(apn(apn=None), True, "not recorded", id="no-apn-block"),
    ],
)
def test_lic_034_apn_criteria(record: CredentialRecord, fails: bool, fragment: str) -> None:
    found = run(record)
    if fails:
        (hit,) = fired(found, "LIC-034", "APN waiver is relied on", fragment)
        assert hit.location == "/credential_record/apn"
    else:
        quiet(found, "LIC-034")


def test_apn_master_constant() -> None:
    assert ictb.rules.licensure.APN_MASTERS_REQUIRED_AFTER == dt.date(2001, 12, 31)
    assert ictb.rules.licensure.PA_LEGACY_ACCREDITATION_BEFORE == dt.date(2001, 1, 1)


# ---------------------------------------------------------------- LIC-035..037


def test_lic_035_npsc_contractor_relies_on_the_waiver() -> None:
    provider = fx.provider(discipline=Discipline.PA, component=Component.NPSC_CONTRACTOR)
    found = run(pa(provider=provider))
    fired(found, "LIC-035", "non-personal services contractor PA", "does not apply")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(
            pa(provider=fx.provider(discipline=Discipline.PA, component=Component.PSC_CONTRACTOR)),
            id="personal-services",
        ),
        pytest.param(
            pa(
                nccpa(),
                md_license(title="Physician Assistant License"),
                provider=fx.provider(discipline=Discipline.PA, component=Component.NPSC_CONTRACTOR),
            ),
            id="npsc-with-own-license",
        ),
    ],
)
def test_lic_035_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-035")


def test_lic_036_renewed_while_a_criterion_was_unmet() -> None:
    record = pa(
        pa=pa_block(nccpa_expires_on=dt.date(2025, 6, 30)),
        privilege_events=(renewal(),),
    )
    (hit,) = fired(run(record), "LIC-036", f"renewed on {GRANTED}", "NCCPA certification")
    assert hit.location == "/credential_record/privilege_events/event[1]"


def test_lic_036_apn_renewed_without_masters() -> None:
    block = apn_block(completed_on=dt.date(2010, 5, 1), degree_level="Certificate")
    fired(run(apn(apn=block, privilege_events=(renewal(),))), "LIC-036", "APN waiver", "(3)")


def test_lic_036_denied_but_waiver_still_active() -> None:
    denial = PrivilegeEvent(type=PrivilegeEventType.DENIAL, on=dt.date(2026, 10, 1))
    found = run(pa(privilege_events=(denial,)))
    fired(found, "LIC-036", "not approved on 2026-10-01", "still shown as active")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(pa(privilege_events=(renewal(),)), id="renewed-criteria-met"),
        pytest.param(
            pa(
                waivers=(pa_waiver(expires_on=dt.date(2026, 10, 1)),),
                privilege_events=(
                    PrivilegeEvent(type=PrivilegeEventType.DENIAL, on=dt.date(2026, 10, 1)),
                ),
            ),
            id="denied-waiver-lapsed",
        ),
        pytest.param(
            pa(
                waivers=(pa_waiver(dated=dt.date(2026, 11, 2)),),
                privilege_events=(
                    PrivilegeEvent(type=PrivilegeEventType.DENIAL, on=dt.date(2026, 10, 1)),
                ),
            ),
            id="new-waiver-after-denial",
        ),
    ],
)
def test_lic_036_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-036")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"privilege_events": (renewal(),)}, id="renewal-event"),
        pytest.param(
            {"privileges": fx.privileges(prev_action_on=dt.date(2023, 7, 3))}, id="previous-grant"
        ),
    ],
)
def test_lic_037_review_not_documented(changes: dict[str, object]) -> None:
    record = apn(apn=apn_block(renewal_review_in_ccqas=False), **changes)
    fired(run(record), "LIC-037", "renewed", "not documented in CCQAS")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(apn(privilege_events=(renewal(),)), id="documented"),
        pytest.param(apn(apn=apn_block(renewal_review_in_ccqas=False)), id="initial-grant"),
        pytest.param(pa(privilege_events=(renewal(),)), id="pa"),
    ],
)
def test_lic_037_quiet(record: CredentialRecord) -> None:
    quiet(run(record), "LIC-037")


# ---------------------------------------------------------------- the real samples

JOBS = roster.read(SAMPLES / "roster.csv")


@pytest.mark.parametrize(
    ("record_path", "assignment"), JOBS, ids=[f"{p.stem}-{a.gaining.id}" for p, a in JOBS]
)
def test_samples_give_well_formed_lic_findings(
    record_path: Path, assignment: build.Assignment
) -> None:
    """The findings on the samples are reported in the final review, not asserted clean."""
    record = records.load(record_path)
    brief = build.assemble(record, assignment, issued_on=dt.date(2026, 11, 22))
    context = rules.Context(
        brief=brief, as_of=dt.date(2026, 11, 22), policy=policy.default(), record=record
    )
    secrets = [c.number for c in record.credentials if c.kind is CredentialKind.DEA and c.number]
    secrets += [record.provider.ssn] if record.provider.ssn else []
    for found in rules.evaluate(context, LIC_CODES):
        assert found.code in LIC_CODES
        assert found.severity is SEVERITY[found.code]
        assert found.location and found.location.startswith("/credential_record/")
        assert not any(secret in found.message for secret in secrets), found
