"""``ictb redact`` from the command line, end to end: build, sign, redact, verify, check.

Everything runs in ``tmp_path`` through the real entry point with a fresh test PKI
(``tests/pki.py``); the CLI's clock is frozen at the signing time the PKI is made for.
"""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from ictb import detectors, disclosure, ictb_xml, records, xmldsig, xmlsafe
from tests import factories, pki
from tests.conftest import CliResult

Run = Callable[..., CliResult]

ASSIGN = (
    "--gaining-facility",
    "N00183",
    "--gaining-name",
    "Naval Hospital Camp Pendleton",
    "--purpose",
    "Cover a deployed emergency physician",
    "--period",
    "2026-12-01..2027-01-31",
    "--issued-on",
    "2026-11-22",
)
AS_OF = ("--as-of", "2026-11-22")
RELEASE = (
    "--released-to",
    "Republic of Palau",
    "--released-by",
    "CAPT A. Smdr",
    "--released-on",
    "2026-11-22",
)
WITHHELD = ["dea_number", "dob", "home_address", "home_phone", "ssn"]
STEM = "castellano--N00183"


@dataclasses.dataclass(frozen=True)
class Setup:
    folder: Path
    signer: pki.Signer
    key: Path
    cert: Path
    passphrase: Path
    trust: Path
    unsigned: Path
    signed: Path


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ICTB_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture(scope="module")
def test_pki() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture
def setup(tmp_path: Path, run_cli: Run, test_pki: pki.Pki) -> Setup:
    signer = test_pki.signer()
    key, cert = signer.write(tmp_path)
    passphrase = tmp_path / "signer.pass"
    passphrase.write_bytes(pki.PASSPHRASE + b"\n")
    record = tmp_path / "castellano.json"
    record.write_text(records.to_json_text(factories.complete_record()), "utf-8")
    built = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path / "built")
    assert built.exit_code == 0, built.stdout + built.stderr
    unsigned = tmp_path / "built" / f"{STEM}.ictb.xml"
    signed = sign(run_cli, tmp_path, unsigned, key, cert, passphrase)
    return Setup(
        tmp_path, signer, key, cert, passphrase, test_pki.trust_file(tmp_path), unsigned, signed
    )


def sign(run_cli: Run, folder: Path, ictb: Path, key: Path, cert: Path, secret: Path) -> Path:
    args = ("--key", key, "--cert", cert, "--passphrase-file", secret)
    result = run_cli("sign", ictb, *args, "--out-dir", folder / "signed")
    assert result.exit_code == 0, result.stdout + result.stderr
    target = folder / "signed" / f"{STEM}.signed.ictb.xml"
    assert target.exists()
    return target


def no_traceback(*results: CliResult) -> None:
    for result in results:
        assert "Traceback" not in result.stdout + result.stderr
        assert "internal error" not in result.stderr


def one_error_line(result: CliResult) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ictb: error: ")
    no_traceback(result)
    return lines[0]


def no_identifiers(*results: CliResult) -> None:
    forms = (
        detectors.ssn_formats(factories.SSN)
        | detectors.date_formats(factories.DOB)
        | {factories.DEA, factories.HOME_LINE, factories.HOME_PHONE}
    )
    for result in results:
        for form in forms:
            assert form not in result.stdout + result.stderr, form


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def signed_variant(setup: Setup, change: Callable[[etree._Element], None], name: str) -> Path:
    """The signed ICTB, changed, saved beside it (re-signed by hand if ``change`` asks)."""
    root = xmlsafe.parse_bytes(setup.signed.read_bytes(), "signed")
    change(root)
    path = setup.folder / "variants" / f"{name}.signed.ictb.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(xmlsafe.serialize(root, pretty=False))
    return path


def ssn_in_remarks(setup: Setup) -> Path:
    """An authentic ICTB whose signed remarks carry the SSN (``sign`` would refuse it)."""
    brief = dataclasses.replace(
        factories.build_brief(factories.complete_record()),
        remarks=f"Member SSN {factories.SSN} confirmed by phone.",
    )
    root = xmlsafe.parse_bytes(ictb_xml.to_bytes(brief), "direct")
    body = root.find(ictb_xml.q("brief"))
    assert body is not None
    disclosure.bind(root, body)
    xmldsig.sign(root, body, setup.signer.material.key, [setup.signer.certificate])
    path = setup.folder / "variants" / "remarks.signed.ictb.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(xmlsafe.serialize(root, pretty=False))
    return path


# ---------------------------------------------------------------- the happy path


def test_redact_then_verify(setup: Setup, run_cli: Run) -> None:
    signed_before = setup.signed.read_bytes()
    out = setup.folder / "release"
    result = run_cli("redact", setup.signed, *RELEASE, "--out-dir", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    target = out / f"{STEM}.release.ictb.xml"
    assert target.exists()
    assert files_in(out) == [target]
    assert setup.signed.read_bytes() == signed_before
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{setup.signed}: VALID")
    assert f"wrote {target}" in first
    assert "RED-010" in result.stdout
    assert "withheld from this copy: " + ", ".join(WITHHELD) in result.stdout
    assert "1 released, 0 refused (of 1)" in result.stdout
    assert result.stderr == ""

    checked = run_cli("verify", target, "--trust", setup.trust, *AS_OF)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    headline = checked.stdout.splitlines()[0]
    assert headline.startswith(f"{target}: VALID")
    assert "signed by RDML Test Signer (Naval Medical Center San Diego)" in headline
    assert "release copy, withheld: " + ", ".join(WITHHELD) in headline
    assert "RED-010" in checked.stdout
    assert "1 accepted, 0 rejected (of 1)" in checked.stdout
    no_traceback(result, checked)
    no_identifiers(result, checked)
    copy = target.read_bytes()
    assert factories.SSN.encode() not in copy and factories.DEA.encode() not in copy


def test_redact_and_verify_json(setup: Setup, run_cli: Run) -> None:
    out = setup.folder / "release"
    result = run_cli("redact", setup.signed, *RELEASE, "--out-dir", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = result.json()
    assert payload["command"] == "redact"
    (document,) = payload["documents"]
    target = out / f"{STEM}.release.ictb.xml"
    assert document["released"] is True
    assert document["output"] == str(target)
    assert document["withheld"] == WITHHELD
    assert document["profile"] == "host-nation"
    assert [f["code"] for f in document["findings"]] == ["RED-010"]
    assert payload["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 0, "total": 1}

    checked = run_cli("verify", target, "--trust", setup.trust, *AS_OF, "--format", "json")
    assert checked.exit_code == 0, checked.stderr
    (verified,) = checked.json()["documents"]
    assert verified["release_copy"] is True
    assert verified["withheld"] == WITHHELD
    assert verified["verdict"] == "valid"
    assert "RED-010" in [f["code"] for f in verified["findings"]]
    no_identifiers(result, checked)

    original = run_cli("verify", setup.signed, "--trust", setup.trust, *AS_OF, "--format", "json")
    (plain,) = original.json()["documents"]
    assert plain["release_copy"] is False and plain["withheld"] == []


def test_redact_to_standard_output(setup: Setup, run_cli: Run) -> None:
    result = run_cli("redact", setup.signed, *RELEASE, "-o", "-")
    assert result.exit_code == 0, result.stderr
    brief = ictb_xml.load("stdout.xml", result.stdout.encode("utf-8"))
    assert brief.release is not None and brief.release.target == "Republic of Palau"
    assert brief.withheld == frozenset(WITHHELD)


def test_check_a_release_copy(setup: Setup, run_cli: Run) -> None:
    out = setup.folder / "release"
    assert run_cli("redact", setup.signed, *RELEASE, "--out-dir", out).exit_code == 0
    target = out / f"{STEM}.release.ictb.xml"
    plain = run_cli("check", target, *AS_OF)
    assert plain.exit_code == 1
    assert "ICTB-001" in plain.stdout and "missing SSN" in plain.stdout
    as_release = run_cli("check", target, *AS_OF, "--release", "host-nation")
    assert as_release.exit_code == 0, as_release.stdout
    assert "ICTB-001" not in as_release.stdout and "RED-012" not in as_release.stdout
    unknown = run_cli("check", target, *AS_OF, "--release", "host_nation")
    assert unknown.exit_code == 3
    assert "host_nation" in one_error_line(unknown)
    no_traceback(plain, as_release)


def test_redact_without_a_release_marking_warns(setup: Setup, run_cli: Run) -> None:
    out = setup.folder / "release"
    result = run_cli("redact", setup.signed, "--out-dir", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "NEEDS REVIEW" in result.stdout.splitlines()[0]
    assert "RED-011" in result.stdout
    assert (out / f"{STEM}.release.ictb.xml").exists()


def test_a_mission_profile_file(setup: Setup, run_cli: Run) -> None:
    profiles = setup.folder / "mission.json"
    profiles.write_text(
        json.dumps({"profiles": {"minimum": {"withhold": ["ssn", "dob", "home_address", "dea"]}}}),
        "utf-8",
    )
    out = setup.folder / "release"
    result = run_cli(
        "redact",
        setup.signed,
        *RELEASE,
        "--profile",
        "minimum",
        "--profile-file",
        profiles,
        "--out-dir",
        out,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    (document,) = result.json()["documents"]
    assert document["profile"] == "minimum"
    assert document["withheld"] == ["dea_number", "dob", "home_address", "ssn"]
    assert factories.HOME_PHONE.encode() in (out / f"{STEM}.release.ictb.xml").read_bytes()


# ---------------------------------------------------------------- refusals


def _tamper(root: etree._Element) -> None:
    poc = root.find(f"{ictb_xml.q('brief')}/{ictb_xml.q('point_of_contact')}")
    assert poc is not None
    name = poc.find(ictb_xml.q("name"))
    assert name is not None
    name.text = "Somebody Else"


def _comment_with_ssn(root: etree._Element) -> None:
    signature = root.find(xmldsig.ds("Signature"))
    assert signature is not None
    signature.addnext(etree.Comment(f" SSN {factories.SSN} "))


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda s: s.unsigned, "ICTB-040", "no signature"),
        (lambda s: signed_variant(s, _tamper, "tampered"), "ICTB-040", "changed after signing"),
        (ssn_in_remarks, "RED-022", "/ictb/brief/remarks"),
        (lambda s: signed_variant(s, _comment_with_ssn, "comment"), "RED-022", "(comment)"),
    ],
    ids=["unsigned", "tampered", "SSN in signed remarks", "SSN in a comment"],
)
def test_refused_copies_exit_1_and_write_nothing(
    setup: Setup, run_cli: Run, make: Callable[[Setup], Path], code: str, words: str
) -> None:
    source = make(setup)
    before = source.read_bytes()
    out = setup.folder / "release"
    result = run_cli("redact", source, *RELEASE, "--out-dir", out)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert files_in(out) == []
    assert source.read_bytes() == before
    assert "INVALID" in result.stdout.splitlines()[0]
    assert "refused: nothing written" in result.stdout
    assert code in result.stdout and words in result.stdout
    assert "0 released, 1 refused (of 1)" in result.stdout
    no_traceback(result)
    no_identifiers(result)

    as_json = run_cli("redact", source, *RELEASE, "--out-dir", out, "--format", "json")
    assert as_json.exit_code == 1
    (document,) = as_json.json()["documents"]
    assert document["released"] is False and document["output"] is None
    assert code in [f["code"] for f in document["findings"]]
    assert files_in(out) == []
    no_identifiers(as_json)


def test_a_batch_goes_on_past_a_refused_ictb(setup: Setup, run_cli: Run) -> None:
    bad = ssn_in_remarks(setup)
    out = setup.folder / "release"
    result = run_cli("redact", bad, setup.signed, *RELEASE, "--out-dir", out)
    assert result.exit_code == 1
    assert files_in(out) == [out / f"{STEM}.release.ictb.xml"]
    assert "1 released, 1 refused (of 2)" in result.stdout
    no_identifiers(result)


def test_a_release_copy_is_not_redacted_again(setup: Setup, run_cli: Run) -> None:
    out = setup.folder / "release"
    assert run_cli("redact", setup.signed, *RELEASE, "--out-dir", out).exit_code == 0
    copy = out / f"{STEM}.release.ictb.xml"
    again = run_cli("redact", copy, *RELEASE, "--out-dir", setup.folder / "again")
    assert again.exit_code == 3
    assert "already a release copy" in one_error_line(again)
    assert files_in(setup.folder / "again") == []


@pytest.mark.parametrize("force", [False, True])
def test_output_onto_the_input_is_refused(setup: Setup, run_cli: Run, force: bool) -> None:
    before = setup.signed.read_bytes()
    extra = ("--force",) if force else ()
    result = run_cli("redact", setup.signed, *RELEASE, "-o", setup.signed, *extra)
    assert result.exit_code == 3
    assert "refusing to overwrite the input file" in one_error_line(result)
    assert setup.signed.read_bytes() == before


def test_an_existing_output_needs_force(setup: Setup, run_cli: Run) -> None:
    target = setup.folder / "copy.xml"
    target.write_text("precious", "utf-8")
    result = run_cli("redact", setup.signed, *RELEASE, "-o", target)
    assert result.exit_code == 3
    assert "already exists" in one_error_line(result)
    assert target.read_text("utf-8") == "precious"
    forced = run_cli("redact", setup.signed, *RELEASE, "-o", target, "--force")
    assert forced.exit_code == 0, forced.stdout + forced.stderr
    assert ictb_xml.load(target).release is not None


def test_an_unknown_profile(setup: Setup, run_cli: Run) -> None:
    out = setup.folder / "release"
    result = run_cli("redact", setup.signed, *RELEASE, "--profile", "hostnation", "--out-dir", out)
    assert result.exit_code == 3
    line = one_error_line(result)
    assert "hostnation" in line and "host-nation" in line
    assert result.stdout == ""
    assert files_in(out) == []


def test_an_unknown_category_in_a_profile_file(setup: Setup, run_cli: Run) -> None:
    profiles = setup.folder / "mission.json"
    profiles.write_text(json.dumps({"profiles": {"m": {"withhold": ["ssn", "birthday"]}}}), "utf-8")
    result = run_cli("redact", setup.signed, "--profile", "m", "--profile-file", profiles, *RELEASE)
    assert result.exit_code == 3
    assert "birthday" in one_error_line(result)


def test_a_malformed_profile_file(setup: Setup, run_cli: Run) -> None:
    profiles = setup.folder / "mission.json"
    profiles.write_text(
        json.dumps(
            {"categories": {"badge": {}}, "profiles": {"m": {"withhold": ["ssn", "badge"]}}}
        ),
        "utf-8",
    )
    result = run_cli("redact", setup.signed, "--profile", "m", "--profile-file", profiles, *RELEASE)
    assert result.exit_code == 3
    one_error_line(result)


def test_a_missing_input(setup: Setup, run_cli: Run) -> None:
    result = run_cli("redact", setup.folder / "absent.signed.ictb.xml", *RELEASE)
    assert result.exit_code == 3
    assert "absent.signed.ictb.xml" in result.stderr
    no_traceback(result)


def test_output_and_several_inputs(setup: Setup, run_cli: Run) -> None:
    result = run_cli("redact", setup.signed, setup.signed, *RELEASE, "-o", setup.folder / "one.xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("ictb: error: ")
    assert not (setup.folder / "one.xml").exists()
    no_traceback(result)


@pytest.mark.parametrize("option", ["--released-to", "--released-by"])
@pytest.mark.parametrize("text", ["Palau\x1b[2J", "\ud800", "a\x01b"])
def test_release_marking_text_no_document_can_hold_is_a_usage_error(
    setup: Setup, run_cli: Run, option: str, text: str
) -> None:
    out = setup.folder / "release"
    result = run_cli("redact", setup.signed, *RELEASE, option, text, "--out-dir", out)
    assert result.exit_code == 2 and "no document can hold" in result.stderr
    no_traceback(result)
    assert not out.exists()


@pytest.mark.parametrize("day", ["2026-W48-7", "2026-11-22+14:00", "0000-01-01"])
def test_a_release_date_not_of_the_form_yyyy_mm_dd_is_a_usage_error(
    setup: Setup, run_cli: Run, day: str
) -> None:
    result = run_cli("redact", setup.signed, *RELEASE, "--released-on", day, "-o", "-")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    no_traceback(result)
