"""`ictb check` from the command line: verdicts, exit codes, JSON, context files, bad input.

Every ICTB here is first built with `ictb build --issued-on 2026-11-22`, then checked
with `--as-of` so the results do not depend on today's date.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ictb import ictb_xml, policy, records
from ictb.model import PrivilegeEvent, PrivilegeEventType
from tests import factories
from tests.conftest import SAMPLES, CliResult

AS_OF = ("--as-of", "2026-11-22")
CHECK = SAMPLES / "check"
BLS_SAMPLE = SAMPLES / "records" / "12-pediatrician-bls-expired.json"
CARDIOLOGY_SAMPLE = SAMPLES / "records" / "01-physician-cardiology-fellowship.json"

RunCli = Callable[..., CliResult]


def write_record(path: Path, record: object = None) -> Path:
    path.write_text(records.to_json_text(record or factories.complete_record()), "utf-8")
    return path


def build(
    run_cli: RunCli,
    out_dir: Path,
    record: Path,
    *,
    gaining: str = "N00183",
    periods: tuple[str, ...] = ("2026-12-01..2027-01-31",),
    extra: tuple[str, ...] = (),
) -> Path:
    """Build one ICTB into ``out_dir`` and return its path."""
    args: list[str | Path] = [
        "build",
        record,
        "--gaining-facility",
        gaining,
        "--purpose",
        "Temporary duty to augment the department during a staff vacancy",
        "--issued-on",
        "2026-11-22",
        "--out-dir",
        out_dir,
        *extra,
    ]
    for period in periods:
        args += ["--period", period]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    (written,) = out_dir.glob(f"{record.stem}--{gaining}.ictb.xml")
    return written


@pytest.fixture
def valid_ictb(tmp_path: Path, run_cli: RunCli) -> Path:
    return build(run_cli, tmp_path / "out", write_record(tmp_path / "castellano.json"))


@pytest.fixture
def bls_ictb(tmp_path: Path, run_cli: RunCli) -> Path:
    return build(
        run_cli, tmp_path / "out", BLS_SAMPLE, gaining="N68094", periods=("2026-12-14..2027-01-08",)
    )


def no_traceback(result: CliResult) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def document(result: CliResult, index: int = 0) -> dict[str, Any]:
    payload = result.json()
    assert payload["command"] == "check"
    return payload["documents"][index]


def codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"]]


# ---------------------------------------------------------------- verdicts and exit codes


def test_valid_ictb(run_cli: RunCli, valid_ictb: Path) -> None:
    result = run_cli("check", valid_ictb, *AS_OF)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"{valid_ictb}: VALID - valid through 2027-06-30" in result.stdout
    assert "privilege expiry on 2027-06-30" in result.stdout
    assert "1 accepted, 0 rejected (of 1)" in result.stdout
    assert result.stderr == ""


def test_needs_review_exits_0_and_1_with_strict(run_cli: RunCli, bls_ictb: Path) -> None:
    lenient = run_cli("check", bls_ictb, *AS_OF)
    assert lenient.exit_code == 0
    assert "NEEDS REVIEW" in lenient.stdout and "ICTB-027" in lenient.stdout
    assert "Basic Life Support (BLS) Provider" in lenient.stdout
    strict = run_cli("check", bls_ictb, *AS_OF, "--strict")
    assert strict.exit_code == 1
    assert "0 accepted, 1 rejected (of 1)" in strict.stdout


def test_extra_period_past_expiry_is_invalid(run_cli: RunCli, valid_ictb: Path) -> None:
    result = run_cli("check", valid_ictb, *AS_OF, "--period", "2027-06-01..2027-07-15")
    assert result.exit_code == 1
    assert "INVALID" in result.stdout and "ICTB-021" in result.stdout
    assert "the last day covered is 2027-06-30" in result.stdout


def test_as_of_after_expiry_is_invalid(run_cli: RunCli, valid_ictb: Path) -> None:
    result = run_cli("check", valid_ictb, "--as-of", "2027-07-01")
    assert result.exit_code == 1
    assert "ICTB-020" in result.stdout
    assert "not valid on 2027-07-01" in result.stdout


def test_expiring_credentials_are_listed(tmp_path: Path, run_cli: RunCli) -> None:
    base = factories.complete_record()
    soon = replace(
        base,
        credentials=(
            *base.credentials[:3],
            factories.life_support("Basic Life Support (BLS)", factories.AS_OF.replace(day=30)),
            base.credentials[4],
        ),
    )
    ictb = build(run_cli, tmp_path / "out", write_record(tmp_path / "soon.json", soon))
    result = run_cli("check", ictb, *AS_OF)
    assert result.exit_code == 0
    assert (
        "expires 2026-11-30 (before the assignment ends): Basic Life Support (BLS)" in result.stdout
    )


# ---------------------------------------------------------------- JSON


def test_json_report_shape(run_cli: RunCli, bls_ictb: Path) -> None:
    result = run_cli("check", bls_ictb, *AS_OF, "--format", "json")
    assert result.exit_code == 0
    payload = result.json()
    assert payload["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 0, "total": 1}
    doc = document(result)
    assert doc["document"] == str(bls_ictb)
    assert doc["verdict"] == "needs review"
    assert doc["findings"], doc
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "message", "location", "source"}
    (bls,) = [f for f in doc["findings"] if f["code"] == "ICTB-027"]
    assert bls["severity"] == "warning"
    assert bls["location"] == "/ictb/brief/life_support"
    assert bls["source"].startswith("DoDM 6025.13 Encl. 4 §5e")
    assert "2026-10-31" in bls["message"]
    # the license (2027-07-31) ends validity before the privileges (2027-09-14)
    assert doc["valid_through"] == "2027-07-31"
    assert "Osteopathic Physician and Surgeon license" in doc["valid_through_reason"]
    assert isinstance(doc["expiring"], list)
    assert doc["as_of"] == "2026-11-22"


def test_json_on_stdout_only(run_cli: RunCli, valid_ictb: Path) -> None:
    result = run_cli("check", valid_ictb, *AS_OF, "--format", "json")
    doc = document(result)
    assert doc["verdict"] == "valid" and doc["findings"] == []
    assert doc["valid_through"] == "2027-06-30"
    assert doc["valid_through_reason"] == "privilege expiry on 2027-06-30"
    assert doc["expiring"] == []
    assert "VALID" not in result.stdout.replace('"valid"', "")


# ---------------------------------------------------------------- context files


def test_renewal_confirmation_makes_the_bls_sample_valid(run_cli: RunCli, bls_ictb: Path) -> None:
    result = run_cli(
        "check",
        bls_ictb,
        *AS_OF,
        "--confirmations",
        CHECK / "renewal-confirmations.json",
        "--format",
        "json",
        "--strict",
    )
    assert result.exit_code == 0
    doc = document(result)
    assert doc["verdict"] == "valid"
    assert codes(doc) == ["ICTB-028"]
    assert "2028-11-30" in doc["findings"][0]["message"]


def test_provider_says_renewed_does_not_count(run_cli: RunCli, bls_ictb: Path) -> None:
    result = run_cli(
        "check",
        bls_ictb,
        *AS_OF,
        "--confirmations",
        CHECK / "provider-says-renewed.json",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    doc = document(result)
    assert doc["verdict"] == "needs review"
    assert sorted(codes(doc)) == ["ICTB-027", "ICTB-029"]
    (why,) = [f["message"] for f in doc["findings"] if f["code"] == "ICTB-029"]
    assert "not confirmed with the facility holding the credentials file" in why
    assert "not recorded in the gaining facility's file" in why


def test_gaining_grant_with_facility_limitation(tmp_path: Path, run_cli: RunCli) -> None:
    ictb = build(
        run_cli,
        tmp_path / "out",
        CARDIOLOGY_SAMPLE,
        gaining="W1HTAA",
        periods=("2026-12-07..2026-12-18", "2027-02-01..2027-02-12"),
    )
    result = run_cli(
        "check", ictb, *AS_OF, "--grant", CHECK / "gaining-grant-01.xml", "--format", "json"
    )
    assert result.exit_code == 0
    doc = document(result)
    assert doc["verdict"] == "valid"
    assert "ICTB-033" not in codes(doc)
    (limit,) = [f for f in doc["findings"] if f["code"] == "ICTB-034"]
    assert limit["severity"] == "info"
    assert "catheterization" in limit["message"]


def test_distribution_record_without_this_ictb(
    tmp_path: Path, run_cli: RunCli, valid_ictb: Path
) -> None:
    brief = ictb_xml.load(valid_ictb)
    sent = {"sent": [{"ictb_id": brief.document_id, "facility": "N68094"}]}
    path = tmp_path / "distribution.json"
    path.write_text(json.dumps(sent), "utf-8")
    result = run_cli("check", valid_ictb, *AS_OF, "--distribution", path, "--format", "json")
    assert "ICTB-025" in codes(document(result))
    sent["sent"][0]["facility"] = "N00183"
    path.write_text(json.dumps(sent), "utf-8")
    result = run_cli("check", valid_ictb, *AS_OF, "--distribution", path, "--format", "json")
    assert codes(document(result)) == []


def test_later_ictb_supersedes_the_first(tmp_path: Path, run_cli: RunCli) -> None:
    record = write_record(tmp_path / "castellano.json")
    first = build(run_cli, tmp_path / "first", record)
    first_id = ictb_xml.load(first).document_id
    second = build(run_cli, tmp_path / "second", record, extra=("--supersedes", first_id))
    second_id = ictb_xml.load(second).document_id
    result = run_cli("check", first, second, *AS_OF, "--format", "json")
    assert result.exit_code == 1
    old, new = document(result, 0), document(result, 1)
    assert old["document"] == str(first) and new["document"] == str(second)
    (replaced,) = [f for f in old["findings"] if f["code"] == "ICTB-030"]
    assert replaced["severity"] == "error" and second_id in replaced["message"]
    assert old["verdict"] == "invalid"
    assert new["verdict"] == "valid" and codes(new) == []
    # Checked alone, the first ICTB does not know it was superseded.
    alone = run_cli("check", first, *AS_OF, "--format", "json")
    assert alone.exit_code == 0 and "ICTB-030" not in codes(document(alone))


def test_record_adds_record_only_rules(tmp_path: Path, run_cli: RunCli, valid_ictb: Path) -> None:
    suspended = replace(
        factories.complete_record(),
        privilege_events=(
            PrivilegeEvent(type=PrivilegeEventType.SUSPENSION, on=factories.AS_OF.replace(day=25)),
        ),
    )
    record = write_record(tmp_path / "suspended.json", suspended)
    later = ("--as-of", "2026-12-01")
    without = run_cli("check", valid_ictb, *later, "--format", "json")
    assert without.exit_code == 0 and codes(document(without)) == []
    with_record = run_cli("check", valid_ictb, *later, "--record", record, "--format", "json")
    assert with_record.exit_code == 1
    doc = document(with_record)
    assert {"ICTB-030", "ICTB-031"} <= set(codes(doc))
    blocked = [f["message"] for f in doc["findings"] if f["code"] == "ICTB-031"]
    assert any("suspension from 2026-11-25" in m for m in blocked)
    assert doc["valid_through"] < "2026-12-01"  # not valid on the as-of date
    text = run_cli("check", valid_ictb, *later, "--record", record)
    assert "INVALID - not valid on 2026-12-01 (suspension from 2026-11-25)" in text.stdout


# ---------------------------------------------------------------- bad input


def test_missing_ictb(tmp_path: Path, run_cli: RunCli) -> None:
    missing = tmp_path / "nowhere.ictb.xml"
    result = run_cli("check", missing, *AS_OF)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"ictb: error: {missing}") and "no such file" in lines[0]
    no_traceback(result)


def test_malformed_ictb(tmp_path: Path, run_cli: RunCli) -> None:
    bad = tmp_path / "bad.ictb.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n<ictb xmlns="urn:ictb:ictb:1">\n  <brief>\n</ictb>\n', "utf-8"
    )
    result = run_cli("check", bad, *AS_OF)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"ictb: error: {bad}:4: ") and "not well-formed" in lines[0]
    assert "INPUT-001" in result.stdout and "INVALID" in result.stdout
    no_traceback(result)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (SAMPLES / "records" / "03-crna-nurse-anesthetist.xml", "not an ICTB"),
        (SAMPLES / "records" / "01-physician-cardiology-fellowship.json", "not well-formed"),
    ],
    ids=["xml-record", "json-record"],
)
def test_credential_record_instead_of_ictb(run_cli: RunCli, record: Path, expected: str) -> None:
    result = run_cli("check", record, *AS_OF)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ictb: error: {record}")
    assert expected in lines[0]
    no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("--as-of", "2026-11-31"),
        ("--as-of", "22/11/2026"),
        ("--period", "2026-12-01"),
        ("--period", "2027-01-31..2026-12-01"),
        ("--period", "2026-12-01..2027-02-30"),
    ],
    ids=["as-of-day-31", "as-of-day-first", "period-no-end", "period-backwards", "period-bad-end"],
)
def test_bad_option_is_a_usage_error(run_cli: RunCli, valid_ictb: Path, args: tuple[str, str]):
    result = run_cli("check", valid_ictb, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("ictb: error: ")
    assert result.stdout == ""
    no_traceback(result)


def test_missing_confirmations_file(tmp_path: Path, run_cli: RunCli, valid_ictb: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = run_cli("check", valid_ictb, *AS_OF, "--confirmations", missing)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ictb: error: {missing}")
    no_traceback(result)


def test_malformed_grant_file(tmp_path: Path, run_cli: RunCli, valid_ictb: Path) -> None:
    bad = tmp_path / "grant.json"
    bad.write_text('{\n  "facility": "N00183",\n  "expires_on": "2027-13-01"\n}\n', "utf-8")
    result = run_cli("check", valid_ictb, *AS_OF, "--grant", bad)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ictb: error: {bad}:3: ")
    no_traceback(result)


def test_batch_goes_on_past_a_bad_file(tmp_path: Path, run_cli: RunCli, valid_ictb: Path) -> None:
    (valid_ictb.parent / "a-broken.ictb.xml").write_text("<ictb>", "utf-8")
    result = run_cli("check", valid_ictb.parent, *AS_OF)
    assert result.exit_code == 1
    assert result.stderr.count("ictb: error:") == 1 and "a-broken.ictb.xml:1:" in result.stderr
    assert f"{valid_ictb}: VALID - valid through 2027-06-30" in result.stdout
    assert "1 accepted, 1 rejected (of 2)" in result.stdout
    no_traceback(result)


def test_batch_with_a_missing_file_reports_the_rest(
    tmp_path: Path, run_cli: RunCli, valid_ictb: Path
) -> None:
    missing = tmp_path / "gone.ictb.xml"
    result = run_cli("check", missing, valid_ictb, *AS_OF, "--format", "json")
    assert result.exit_code == 3
    payload = result.json()
    assert payload["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 1, "total": 2}
    gone, good = payload["documents"]
    assert gone["verdict"] == "not evaluated" and gone["document"] == str(missing)
    assert good["verdict"] == "valid"


def test_check_with_trust_verifies_a_signed_ictb_first(tmp_path: Path, run_cli) -> None:
    from ictb import signing
    from tests import pki

    test_pki = pki.make_pki()
    signer = test_pki.signer()
    brief = factories.build_brief(factories.complete_record())
    signed = signing.sign(
        brief, "x", signer.material, signed_at=pki.SIGNED_AT, policy=policy.default()
    ).xml
    assert signed is not None
    path = tmp_path / "signed.ictb.xml"
    path.write_bytes(signed)
    trust = test_pki.trust_file(tmp_path)
    good = run_cli("check", path, "--as-of", "2026-11-22", "--trust", trust, "--format", "json")
    assert good.exit_code == 0
    (document,) = good.json()["documents"]
    assert document["signer"]["organization"] == "Naval Medical Center San Diego"
    assert document["valid_through"]
    # A change to the certified content: check alone reads it as it is; with the trust
    # store the changed copy is rejected.
    tampered = tmp_path / "tampered.ictb.xml"
    tampered.write_bytes(signed.replace(b"Medical Corps", b"Dental Corps", 1))
    alone = run_cli("check", tampered, "--as-of", "2026-11-22", "--format", "json")
    assert alone.exit_code == 0
    trusted = run_cli(
        "check", tampered, "--as-of", "2026-11-22", "--trust", trust, "--format", "json"
    )
    assert trusted.exit_code == 1
    codes = {f["code"] for f in trusted.json()["documents"][0]["findings"]}
    assert "ICTB-040" in codes


def test_an_ictb_name_too_long_for_the_file_system_cannot_be_evaluated(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli("check", tmp_path / ("n" * 300 + ".ictb.xml"), *AS_OF)
    assert result.exit_code == 3, result.stderr
    assert "cannot read" in result.stderr and "internal error" not in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("day", ["2026-W48-7", "2026-11-22Z", "10000-01-01", "+2026-11-22"])
def test_an_as_of_date_not_of_the_form_yyyy_mm_dd_is_a_usage_error(
    run_cli: RunCli, valid_ictb: Path, day: str
) -> None:
    result = run_cli("check", valid_ictb, "--as-of", day)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_check_as_of_an_end_of_the_calendar(run_cli: RunCli, valid_ictb: Path, day: str) -> None:
    result = run_cli(
        "check", valid_ictb, "--as-of", day, "--period", f"{day}..{day}", "--format", "json"
    )
    assert result.exit_code == 1, result.stderr  # not valid then: a verdict, not a crash
    assert document(result)["verdict"] == "invalid"
