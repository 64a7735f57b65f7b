"""``ictb smdr review`` on the Continuing Promise 2027 sample (``samples/mission/``).

The expected statuses are the ones ``samples/mission/README.md`` gives; a test checks
that the README and this file agree, so neither can drift from what the command says.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ictb import detectors, keys, mission, policy, records, verify
from ictb.model import CredentialKind
from tests.conftest import ROOT, SAMPLES, CliResult

Run = Callable[..., CliResult]

MISSION = SAMPLES / "mission"
ROSTER = MISSION / "roster.xml"
ROSTER_JSON = MISSION / "roster.json"
TRUST = ROOT / "keys" / "demo-trust"
DEMO_CA = ROOT / "keys" / "demo-ca.pem"
AS_OF = "2027-01-03"

CLEARED, NOT_CLEARED, OUTSIDE = "cleared", "not cleared", "outside SMDR verification"
# provider id -> status, and for the cleared: specialty, practice, valid through.
EXPECTED: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "ad-emergency-physician": (CLEARED, "Emergency Medicine", "independent", "2027-02-26"),
    "ad-general-surgeon": (CLEARED, "General Surgery", "independent", "2027-02-26"),
    "ad-critical-care-nurse": (CLEARED, "Critical Care Nursing", "independent", "2027-02-26"),
    "rc-anesthesiologist": (CLEARED, "Anesthesiology", "independent", "2027-02-26"),
    "civ-pharmacist": (
        CLEARED,
        "Clinical Pharmacist (Ambulatory Care)",
        "independent",
        "2027-02-26",
    ),
    "psc-pediatrician": (CLEARED, "Pediatrics", "independent", "2027-02-26"),
    "ad-dentist-ia": (CLEARED, "General Dentistry (AEGD)", "independent", "2027-02-26"),
    "ad-family-physician": (NOT_CLEARED, None, None, None),
    "civ-physical-therapist": (NOT_CLEARED, None, None, None),
    "ngo-ophthalmologist": (CLEARED, "Ophthalmology", "independent", "2027-01-29"),
    "ngo-perioperative-nurse": (NOT_CLEARED, None, None, None),
    "lfa-family-physician": (OUTSIDE, None, None, None),
    "hn-internist": (CLEARED, "Internal Medicine", "as the SMDR directs", "2027-02-26"),
    "hn-obstetric-nurse": (CLEARED, "Obstetric Nursing", "as the SMDR directs", "2027-02-26"),
}
# The error codes that keep the not-cleared providers from being cleared.
BLOCKED_BY = {
    "ad-family-physician": {"HUM-005", "ICTB-021", "PRIV-001"},
    "civ-physical-therapist": {"HUM-003"},
    "ngo-perioperative-nurse": {"HUM-010"},
}
CLEARED_DOD = [
    "ad-emergency-physician",
    "ad-general-surgeon",
    "ad-critical-care-nurse",
    "rc-anesthesiologist",
    "civ-pharmacist",
    "psc-pediatrician",
    "ad-dentist-ia",
]
TOTALS = "14 providers: 10 cleared, 3 not cleared, 1 outside SMDR verification"
CSV_FIELDS = [
    "provider_id",
    "name",
    "component",
    "status",
    "specialty_authorized",
    "practice",
    "valid_through",
    "missing",
]
# Pin xmlsec1's certificate check to the demo signing time (the demo CA runs 2026-2035).
XMLSEC_AT = ("--verification-gmt-time", "2026-12-01 12:00:00")


def review(run_cli: Run, roster: Path = ROSTER, *extra: str | Path) -> CliResult:
    return run_cli("smdr", "review", roster, "--trust", TRUST, "--as-of", AS_OF, *extra)


def roster_rows(result: CliResult) -> dict[str, dict[str, Any]]:
    assert result.stdout, result.stderr
    return {row["provider_id"]: row for row in result.json()["summary"]["authorization_roster"]}


def provider_documents(result: CliResult) -> dict[str, dict[str, Any]]:
    return {doc["document"]: doc for doc in result.json()["documents"]}


def error_codes(row: dict[str, Any]) -> set[str]:
    return {item.split(":", 1)[0] for item in row["missing"]}


def copy_mission(tmp_path: Path) -> Path:
    target = tmp_path / "mission"
    shutil.copytree(MISSION, target)
    return target


def names() -> dict[str, str]:
    return {p.id: p.name.display() for p in mission.load(ROSTER).providers}


# ---------------------------------------------------------------- the sample and its README


def readme_table() -> dict[str, tuple[str, set[str]]]:
    """Provider id -> (status, every code named) from the README's provider table."""
    text = (MISSION / "README.md").read_text("utf-8")
    rows = {}
    pattern = re.compile(
        r"^\| \d+ \| `([a-z0-9-]+)` \|.*\| \*\*([a-zA-Z ]+)\*\*[^|]*\| ([^|]*) \|$"
    )
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            rows[match[1]] = (match[2], set(re.findall(r"\b[A-Z]{3,4}-\d{3}\b", match[3])))
    return rows


def test_the_readme_gives_the_statuses_and_codes_the_review_reports(run_cli: Run) -> None:
    table = readme_table()
    assert {key: status for key, (status, _) in table.items()} == {
        key: value[0] for key, value in EXPECTED.items()
    }
    documents = provider_documents(review(run_cli, ROSTER, "--format", "json"))
    for key, (_, named) in table.items():
        assert named == {f["code"] for f in documents[key]["findings"]}, key
    readme = (MISSION / "README.md").read_text("utf-8")
    command = (
        "ictb smdr review samples/mission/roster.xml --trust keys/demo-trust "
        "--as-of 2027-01-03 --release-dir OUT"
    )
    assert command in readme
    assert TOTALS in readme.replace("**", "")


def test_the_roster_names_every_provider_once_and_their_ictbs_exist() -> None:
    roster = mission.load(ROSTER)
    assert [p.id for p in roster.providers] == list(EXPECTED)
    for provider in roster.providers:
        assert (provider.ictb is not None) == provider.is_dod, provider.id
        if provider.ictb:
            assert (MISSION / provider.ictb).is_file()
    records_dir = sorted((MISSION / "records").glob("*.json"))
    assert len(records_dir) == sum(p.is_dod for p in roster.providers)


def test_the_json_roster_is_the_xml_roster() -> None:
    assert mission.load(ROSTER_JSON) == mission.load(ROSTER)


def test_the_generator_reproduces_the_sample(tmp_path: Path) -> None:
    script = ROOT / "tools" / "make_mission_samples.py"
    for run in ("a", "b"):
        done = subprocess.run(
            [sys.executable, str(script), str(tmp_path / run)],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    fixed = ["roster.xml", "roster.json"] + [
        f"records/{p.name}" for p in sorted((MISSION / "records").glob("*.json"))
    ]
    made = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*.*"))
    ictbs = [f"ictbs/{p.name}" for p in sorted((MISSION / "ictbs").glob("*.xml"))]
    assert made == sorted(fixed + ictbs)
    for name in fixed:
        sample = (MISSION / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() == sample, name
        assert (tmp_path / "b" / name).read_bytes() == sample, name
    # The ICTBs differ only in their randomized signatures: same document ids.
    for name in ictbs:
        ids = [
            re.findall(rb'Id="([^"]+)"', (folder / name).read_bytes())
            for folder in (MISSION, tmp_path / "a", tmp_path / "b")
        ]
        assert ids[0] and ids[0] == ids[1] == ids[2], name


# ---------------------------------------------------------------- the text roster


def test_text_review_one_line_per_provider(run_cli: Run) -> None:
    result = review(run_cli)
    assert result.exit_code == 1, result.stderr  # some providers are not cleared
    assert result.stderr == ""
    status_line = re.compile(r"^  (CLEARED|NOT CLEARED|OUTSIDE SMDR VERIFICATION) +(.*)$")
    lines = [m for m in map(status_line.match, result.stdout.splitlines()) if m]
    assert len(lines) == len(EXPECTED)
    display = names()
    for key, (status, specialty, practice, through) in EXPECTED.items():
        mine = [m for m in lines if m[2].startswith(display[key] + " ")]
        assert len(mine) == 1, key
        assert mine[0][1] == status.upper(), key
        rest = mine[0][2]
        if status == CLEARED:
            assert rest.endswith(f"{specialty}, {practice}, through {through}"), rest
        for code in BLOCKED_BY.get(key, ()):
            assert code in rest, (key, code)
    assert "HUM-014" in next(m[2] for m in lines if m[1] == OUTSIDE.upper())


def test_text_review_shows_what_is_missing_and_the_totals(run_cli: Run) -> None:
    out = review(run_cli).stdout
    assert out.startswith(
        "Mission Continuing Promise 2027, Republic of Honduras, 2027-01-04..2027-02-26; "
        "SMDR CAPT Rosalind H. Achterberg, MC, USN\n"
    )
    assert "error   HUM-003   no medical readiness certification" in out
    assert "service members only" in out
    assert "error   ICTB-021  the period 2027-01-04..2027-02-26 runs past" in out
    assert "warning HUM-022   clinical duties start 2027-01-06" in out
    assert "mission:" not in out  # no mission-wide finding
    assert TOTALS in out.splitlines()
    assert "Clinical competence is the SMDR's judgement" in out


def test_a_missing_authorization_becomes_hum_001_on_the_first_clinical_day(run_cli: Run) -> None:
    result = run_cli(
        "smdr", "review", ROSTER, "--trust", TRUST, "--as-of", "2027-01-06", "--format", "json"
    )
    rows = roster_rows(result)
    # First clinical day 2027-01-06, no authorization yet.
    for key in ("ad-critical-care-nurse", "ad-dentist-ia", "hn-obstetric-nurse"):
        assert rows[key]["status"] == NOT_CLEARED, key
        assert error_codes(rows[key]) == {"HUM-001"}, key
    # Authorized before their first clinical day, or not starting yet.
    for key in ("ad-emergency-physician", "rc-anesthesiologist", "hn-internist"):
        assert rows[key]["status"] == CLEARED, key


# ---------------------------------------------------------------- JSON and CSV


def test_json_authorization_roster(run_cli: Run) -> None:
    result = review(run_cli, ROSTER, "--format", "json")
    assert result.exit_code == 1
    summary = result.json()["summary"]
    assert {k: summary[k] for k in ("providers", CLEARED, NOT_CLEARED, OUTSIDE)} == {
        "providers": 14,
        CLEARED: 10,
        NOT_CLEARED: 3,
        OUTSIDE: 1,
    }
    rows = roster_rows(result)
    assert list(rows) == list(EXPECTED)
    for key, (status, specialty, practice, through) in EXPECTED.items():
        row = rows[key]
        assert {"provider_id", "status", "specialty_authorized", "practice", "valid_through"} <= (
            set(row)
        )
        assert (row["status"], row["specialty_authorized"], row["practice"]) == (
            status,
            specialty,
            practice,
        ), key
        assert row["valid_through"] == through, key
        assert isinstance(row["missing"], list)
        if status == NOT_CLEARED:
            assert error_codes(row) == BLOCKED_BY[key], key
        else:
            assert row["missing"] == [], key
    documents = provider_documents(result)
    assert documents["mission"]["findings"] == []
    assert "HUM-004" in {f["code"] for f in documents["ad-dentist-ia"]["findings"]}


def test_csv_authorization_roster(run_cli: Run) -> None:
    result = review(run_cli, ROSTER, "--format", "csv")
    assert result.exit_code == 1
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == CSV_FIELDS
    rows = {row["provider_id"]: row for row in reader}
    assert list(rows) == list(EXPECTED)
    display = names()
    for key, (status, specialty, practice, through) in EXPECTED.items():
        row = rows[key]
        assert row["name"] == display[key]
        assert row["status"] == status
        assert row["specialty_authorized"] == (specialty or "")
        assert row["practice"] == (practice or "")
        assert row["valid_through"] == (through or "")
        found = set(re.findall(r"\b[A-Z]{3,4}-\d{3}(?=:)", row["missing"]))
        assert found == BLOCKED_BY.get(key, set()), key
    assert rows["civ-pharmacist"]["component"] == "dod_civilian"
    assert rows["psc-pediatrician"]["component"] == "psc_contractor"


def test_the_json_roster_gives_the_same_review(run_cli: Run) -> None:
    from_xml = review(run_cli, ROSTER, "--format", "json")
    from_json = review(run_cli, ROSTER_JSON, "--format", "json")
    assert from_json.exit_code == from_xml.exit_code == 1
    assert from_json.json()["summary"] == from_xml.json()["summary"]
    assert review(run_cli, ROSTER_JSON).stdout == review(run_cli, ROSTER).stdout


def test_the_smdr_may_authorize_supervised_practice(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_mission(tmp_path)
    data = json.loads(ROSTER_JSON.read_text("utf-8"))
    by_id = {p["id"]: p for p in data["provider"]}
    by_id["ad-general-surgeon"]["authorization"]["independent"] = False
    by_id["ngo-ophthalmologist"]["authorization"]["independent"] = False
    roster = folder / "supervised.json"
    roster.write_text(json.dumps(data), "utf-8")
    rows = roster_rows(review(run_cli, roster, "--format", "json"))
    for key in ("ad-general-surgeon", "ngo-ophthalmologist"):
        assert (rows[key]["status"], rows[key]["practice"]) == (CLEARED, "supervised"), key
    assert rows["ad-emergency-physician"]["practice"] == "independent"


def test_everyone_cleared_exits_0(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_mission(tmp_path)
    data = json.loads(ROSTER_JSON.read_text("utf-8"))
    data["provider"] = [p for p in data["provider"] if p["id"] not in BLOCKED_BY]
    roster = folder / "cleared.json"
    roster.write_text(json.dumps(data), "utf-8")
    result = review(run_cli, roster)
    assert result.exit_code == 0, result.stdout
    assert "11 providers: 10 cleared, 0 not cleared, 1 outside SMDR verification" in result.stdout


# ---------------------------------------------------------------- the host-nation bundle


def withheld_values() -> dict[str, set[str]]:
    """Every SSN, date of birth, home-address line and DEA number in the mission records,
    in every form the detectors know."""
    values: dict[str, set[str]] = {"ssn": set(), "dob": set(), "home_address": set(), "dea": set()}
    for path in sorted((MISSION / "records").glob("*.json")):
        provider = records.load(path).provider
        record = records.load(path)
        assert provider is not None and provider.ssn and provider.dob and provider.home_address
        values["ssn"] |= detectors.ssn_formats(provider.ssn)
        values["dob"] |= detectors.date_formats(provider.dob)
        values["home_address"] |= set(provider.home_address.lines)
        values["dea"] |= {
            c.number for c in record.credentials if c.kind is CredentialKind.DEA and c.number
        }
    return values


def run_xmlsec1(document: Path) -> subprocess.CompletedProcess[str]:
    xmlsec1 = shutil.which("xmlsec1")
    assert xmlsec1, "xmlsec1 is not installed (Debian: apt-get install xmlsec1)"
    return subprocess.run(
        [
            xmlsec1,
            "--verify",
            "--trusted-pem",
            str(DEMO_CA),
            "--id-attr:Id",
            "urn:ictb:ictb:1:brief",
            *XMLSEC_AT,
            str(document),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def bundle(run_cli: Run, tmp_path: Path) -> Path:
    out = tmp_path / "OUT"
    result = review(run_cli, ROSTER, "--release-dir", out)
    assert result.exit_code == 1, result.stderr
    assert f"Host-nation bundle: 7 redacted copies and manifest.json in {out}/" in result.stdout
    return out


def test_the_bundle_holds_a_copy_per_cleared_dod_provider_and_a_manifest(bundle: Path) -> None:
    files = sorted(p.name for p in bundle.iterdir())
    assert files == sorted([f"{key}.release.ictb.xml" for key in CLEARED_DOD] + ["manifest.json"])
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    assert manifest["mission"] == "Continuing Promise 2027"
    assert manifest["host_nation"] == "Republic of Honduras"
    assert manifest["released_on"] == AS_OF
    assert manifest["released_by"] == "CAPT Rosalind H. Achterberg, MC, USN"
    assert [c["provider_id"] for c in manifest["copies"]] == CLEARED_DOD
    for copy in manifest["copies"]:
        data = (bundle / copy["file"]).read_bytes()
        assert copy["sha256"] == hashlib.sha256(data).hexdigest(), copy["file"]
        assert {"ssn", "dob", "home_address", "dea"} <= set(copy["withheld_categories"])
        assert {"ssn", "dob", "home_address", "home_phone"} <= set(copy["withheld_fields"])
        assert copy["verified"] is True
    fields = {c["provider_id"]: set(c["withheld_fields"]) for c in manifest["copies"]}
    # The pharmacist and the nurse hold no DEA registration; the physicians do.
    assert "dea_number" in fields["ad-emergency-physician"]
    assert "dea_number" not in fields["civ-pharmacist"]


def test_every_copy_verifies_with_ictb_as_a_release_copy(bundle: Path) -> None:
    options = verify.VerifyOptions(
        keys.TrustStore.load(TRUST), dt.date.fromisoformat(AS_OF), policy.default()
    )
    for key in CLEARED_DOD:
        path = bundle / f"{key}.release.ictb.xml"
        result = verify.verify(path.read_bytes(), str(path), options)
        assert result.report.errors == (), (key, result.report.errors)
        assert result.report.facts["release_copy"] is True
        assert {"ssn", "dob", "home_address"} <= set(result.report.facts["withheld"])
        assert result.brief is not None and result.brief.release is not None
        assert result.brief.provider is not None and result.brief.provider.ssn is None


def test_every_copy_verifies_with_xmlsec1(bundle: Path) -> None:
    for key in CLEARED_DOD:
        done = run_xmlsec1(bundle / f"{key}.release.ictb.xml")
        assert done.returncode == 0 and done.stderr.startswith("OK"), (key, done.stderr)


def test_xmlsec1_rejects_a_tampered_copy(bundle: Path, tmp_path: Path) -> None:
    # The check above could pass for any file: show that xmlsec1 really checks these.
    path = bundle / "ad-general-surgeon.release.ictb.xml"
    tampered = tmp_path / "tampered.xml"
    data = path.read_bytes()
    assert data.count(b"Thyroidectomy") == 1
    tampered.write_bytes(data.replace(b"Thyroidectomy", b"Thyroidectomx"))
    assert run_xmlsec1(tampered).returncode != 0


def test_the_bundle_leaks_no_withheld_identifier(bundle: Path) -> None:
    values = withheld_values()
    assert len(values["ssn"]) >= 9 * 3 and len(values["dob"]) >= 9 * 8
    assert len(values["home_address"]) == 9 and len(values["dea"]) == 6
    contents = {p.name: p.read_bytes() for p in bundle.iterdir()}
    for name, data in contents.items():
        for category, forms in values.items():
            leaked = sorted(form for form in forms if form.encode("utf-8") in data)
            assert leaked == [], (name, category, leaked)
    # The values were there to withhold: the signed originals carry them.
    signed = b"".join(p.read_bytes() for p in sorted((MISSION / "ictbs").glob("*.xml")))
    for category, forms in values.items():
        assert any(form.encode("utf-8") in signed for form in forms), category


@pytest.mark.parametrize(
    "existing",
    [f"{CLEARED_DOD[0]}.release.ictb.xml", f"{CLEARED_DOD[-1]}.release.ictb.xml", "manifest.json"],
)
def test_an_existing_bundle_file_is_not_replaced_without_force(
    existing: str, run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "OUT"
    out.mkdir()
    (out / existing).write_bytes(b"precious")
    result = review(run_cli, ROSTER, "--release-dir", out)
    assert result.exit_code == 3
    assert result.stderr.startswith("ictb: error:") and "already exists" in result.stderr
    assert "--force" in result.stderr
    assert (out / existing).read_bytes() == b"precious"
    forced = review(run_cli, ROSTER, "--release-dir", out, "--force")
    assert forced.exit_code == 1, forced.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert len(manifest["copies"]) == len(CLEARED_DOD)
    for copy in manifest["copies"]:
        data = (out / copy["file"]).read_bytes()
        assert copy["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_refused_bundle_writes_nothing(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "OUT"
    out.mkdir()
    (out / "manifest.json").write_bytes(b"precious manifest")
    result = review(run_cli, ROSTER, "--release-dir", out)
    assert result.exit_code == 3
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]


# ---------------------------------------------------------------- what cannot be used


def test_no_trust_store_exits_3(run_cli: Run) -> None:
    result = run_cli("smdr", "review", ROSTER, "--as-of", AS_OF)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("ictb: error:") and "--trust" in result.stderr


def test_a_missing_ictb_file_is_hum_005_not_a_crash(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_mission(tmp_path)
    (folder / "ictbs" / "ad-emergency-physician.signed.ictb.xml").unlink()
    result = review(run_cli, folder / "roster.xml", "--format", "json")
    assert result.exit_code == 1, result.stderr
    rows = roster_rows(result)
    row = rows["ad-emergency-physician"]
    assert row["status"] == NOT_CLEARED
    assert error_codes(row) == {"HUM-005"}
    assert "no such file" in row["missing"][0]
    for key, (status, *_) in EXPECTED.items():
        if key != "ad-emergency-physician":
            assert rows[key]["status"] == status, key


def test_an_ictb_tampered_after_signing_is_hum_005_and_ictb_040(
    run_cli: Run, tmp_path: Path
) -> None:
    folder = copy_mission(tmp_path)
    path = folder / "ictbs" / "ad-general-surgeon.signed.ictb.xml"
    data = path.read_bytes()
    assert data.count(b"<privilege>Thyroidectomy</privilege>") == 1
    path.write_bytes(data.replace(b"Thyroidectomy", b"Thyroidectomy and parathyroidectomy"))
    result = review(run_cli, folder / "roster.xml", "--format", "json")
    assert result.exit_code == 1
    row = roster_rows(result)["ad-general-surgeon"]
    assert row["status"] == NOT_CLEARED
    assert {"HUM-005", "ICTB-040"} <= error_codes(row)
    assert roster_rows(result)["ad-emergency-physician"]["status"] == CLEARED


BAD_ROSTERS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "malformed xml": lambda: ("roster.xml", ROSTER.read_bytes()[:400]),
    "malformed json": lambda: ("roster.json", ROSTER_JSON.read_bytes()[:300]),
    "unknown field": lambda: (
        "roster.json",
        ROSTER_JSON.read_bytes().replace(b'"platform":', b'"ship": "x",\n    "platform":', 1),
    ),
    "unknown element": lambda: (
        "roster.xml",
        ROSTER.read_bytes().replace(b"<platform>", b"<ship>x</ship><platform>", 1),
    ),
    "impossible date": lambda: (
        "roster.xml",
        ROSTER.read_bytes().replace(b"<end>2027-02-26</end>", b"<end>2027-02-30</end>", 1),
    ),
    "not a date": lambda: (
        "roster.json",
        ROSTER_JSON.read_bytes().replace(b'"2027-01-04"', b'"4 January 2027"', 1),
    ),
    "wrong root": lambda: ("roster.xml", b'<credential_record xmlns="urn:ictb:mission-roster:1"/>'),
}


@pytest.mark.parametrize("make", BAD_ROSTERS.values(), ids=list(BAD_ROSTERS))
def test_bad_roster_input_is_one_error_line(
    make: Callable[[], tuple[str, bytes]], run_cli: Run, tmp_path: Path
) -> None:
    name, data = make()
    assert data not in (ROSTER.read_bytes(), ROSTER_JSON.read_bytes())
    folder = copy_mission(tmp_path)
    path = folder / ("bad-" + name)
    path.write_bytes(data)
    result = review(run_cli, path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ictb: error: {path}"), result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- suspected bugs


def test_a_member_of_an_ngo_not_on_the_roster_is_not_cleared(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_mission(tmp_path)
    data = json.loads(ROSTER_JSON.read_text("utf-8"))
    member = next(p for p in data["provider"] if p["id"] == "ngo-perioperative-nurse")
    member["ngo"] = "hagmn"  # misspelt
    roster = folder / "typo.json"
    roster.write_text(json.dumps(data), "utf-8")
    result = review(run_cli, roster, "--format", "json")
    assert result.exit_code == 1
    assert roster_rows(result)["ngo-perioperative-nurse"]["status"] == NOT_CLEARED


def test_an_ictb_for_exactly_the_mission_window_is_one_period(run_cli: Run) -> None:
    documents = provider_documents(review(run_cli, ROSTER, "--format", "json"))
    assert "ICTB-024" not in {f["code"] for f in documents["ad-emergency-physician"]["findings"]}


def test_a_release_dir_name_too_long_for_the_file_system_cannot_be_written(
    run_cli: Run, tmp_path: Path
) -> None:
    result = review(run_cli, ROSTER, "--release-dir", tmp_path / ("n" * 300))
    assert result.exit_code == 3
    assert "cannot write" in result.stderr and "internal error" not in result.stderr
