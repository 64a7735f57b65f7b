"""``ictb detailee validate`` and ``ictb detailee new``, as a user runs them.

The samples and their verdicts are listed in samples/detailee/README.md; the table
below must agree with it.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from ictb import detailee
from tests.conftest import ROOT, SAMPLES, CliResult

Run = Callable[..., CliResult]

AS_OF = ("--as-of", "2026-12-20")
DETAILEE = SAMPLES / "detailee"
TRUST = ROOT / "keys" / "demo-trust"
FEMA = DETAILEE / "02-fema-dod-physician.xml"
FEMA_ICTB = DETAILEE / "02-fema-dod-physician.signed.ictb.xml"
SIGNED_ICTB = "/detailee_packet/signed_ictb"

# file -> (verdict, codes, exit code), as in the README (as of 2026-12-20, no --trust)
EXPECTED: dict[str, tuple[str, set[str], int]] = {
    "01-ice-usphs-nurse-practitioner.xml": ("valid", {"DHS-040"}, 0),
    "02-fema-dod-physician.xml": ("valid", {"DHS-040"}, 0),
    "03-cbp-contract-emt.json": ("valid", {"DHS-040"}, 0),
    "04-uscg-clinic-physician-assistant.json": ("invalid", {"DHS-001", "DHS-040"}, 1),
    "05-state-nurse-not-federal.xml": ("invalid", {"DHS-010", "DHS-040"}, 1),
    "06-cbp-va-physician-license-lapses-mid-detail.json": (
        "needs review",
        {"DHS-021", "DHS-040"},
        0,
    ),
    "07-ice-bop-physician-assistant-no-cmo-copy.xml": ("invalid", {"DHS-016", "DHS-040"}, 1),
}
# The FEMA detail is use of the ICTB away from its gaining facility (ICTB-025).
FEMA_WITH_TRUST = ("needs review", {"DHS-040", "ICTB-025", "ICTB-027"}, 0)


def only_document(result: CliResult) -> dict[str, Any]:
    (document,) = result.json()["documents"]
    return document


def codes_of(document: dict[str, Any]) -> set[str]:
    return {f["code"] for f in document["findings"]}


def error_lines(result: CliResult) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("ictb: error:")]


# ---------------------------------------------------------------- the samples


def test_the_samples_are_all_listed() -> None:
    packets = {
        p.name
        for p in DETAILEE.iterdir()
        if p.suffix in (".xml", ".json") and not p.name.endswith(".ictb.xml")
    }
    assert packets == set(EXPECTED)
    assert FEMA_ICTB.is_file()
    assert {p.rsplit(".", 1)[1] for p in packets} == {"xml", "json"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_gives_the_readme_verdict(run_cli: Run, name: str) -> None:
    verdict, codes, exit_code = EXPECTED[name]
    text = run_cli("detailee", "validate", DETAILEE / name, *AS_OF)
    assert text.exit_code == exit_code, text.stdout + text.stderr
    assert f"{name}: {verdict.upper()}" in text.stdout
    assert "Traceback" not in text.stderr
    as_json = run_cli("detailee", "validate", DETAILEE / name, *AS_OF, "--format", "json")
    assert as_json.exit_code == exit_code
    document = only_document(as_json)
    assert document["verdict"] == verdict
    assert codes_of(document) == codes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_readme_row_agrees(name: str) -> None:
    readme = (DETAILEE / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{name}`")]
    verdict, codes, exit_code = EXPECTED[name]
    assert f"{verdict} ({exit_code})" in row
    for code in codes:
        assert code in row
    assert f"ictb detailee validate samples/detailee/{name} --as-of 2026-12-20" in readme


def test_the_fema_row_of_the_readme_gives_the_trust_verdict() -> None:
    readme = (DETAILEE / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{FEMA.name}`")]
    verdict, codes, exit_code = FEMA_WITH_TRUST
    assert f"with `--trust keys/demo-trust`: {verdict} ({exit_code})" in row
    for code in codes:
        assert code in row


def test_strict_rejects_the_sample_that_needs_review(run_cli: Run) -> None:
    path = DETAILEE / "06-cbp-va-physician-license-lapses-mid-detail.json"
    assert run_cli("detailee", "validate", path, *AS_OF).exit_code == 0
    assert run_cli("detailee", "validate", path, *AS_OF, "--strict").exit_code == 1


def test_several_packets_in_one_run(run_cli: Run) -> None:
    paths = [DETAILEE / name for name in sorted(EXPECTED)]
    result = run_cli("detailee", "validate", *paths, *AS_OF, "--format", "json")
    assert result.exit_code == 1
    report = result.json()
    assert report["summary"] == {"accepted": 4, "rejected": 3, "not_evaluated": 0, "total": 7}
    verdicts = {Path(d["document"]).name: d["verdict"] for d in report["documents"]}
    assert verdicts == {name: expected[0] for name, expected in EXPECTED.items()}


# ---------------------------------------------------------------- --format json


def test_json_report_shape(run_cli: Run) -> None:
    path = DETAILEE / "06-cbp-va-physician-license-lapses-mid-detail.json"
    result = run_cli("detailee", "validate", path, *AS_OF, "--format", "json")
    report = result.json()
    assert report["command"] == "detailee validate"
    assert report["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 0, "total": 1}
    document = only_document(result)
    assert document["document"].endswith("06-cbp-va-physician-license-lapses-mid-detail.json")
    assert document["verdict"] == "needs review"
    assert document["counts"] == {"error": 0, "warning": 1, "info": 1}
    for f in document["findings"]:
        assert set(f) == {"code", "severity", "message", "location", "source"}
    warning = document["findings"][0]  # warnings before info
    assert warning["code"] == "DHS-021" and warning["severity"] == "warning"
    assert warning["location"] == "/detailee_packet/required[1]"
    assert warning["source"] == "DHS MQM directive §V.B.2"
    assert document["person"] == "Augustin Pell Marchetti-Osei"
    assert document["person_type"] == "detailee"
    assert document["serving_component"] == "CBP"
    assert document["detail"] == ["2027-01-11", "2027-04-09"]
    assert document["in_scope"] is True
    assert "signed_ictb" not in document


def test_json_for_an_out_of_scope_packet(run_cli: Run) -> None:
    path = DETAILEE / "04-uscg-clinic-physician-assistant.json"
    document = only_document(run_cli("detailee", "validate", path, *AS_OF, "--format", "json"))
    assert document["in_scope"] is False
    assert document["findings"][0]["code"] == "DHS-001"


# ---------------------------------------------------------------- the signed ICTB


def test_fema_packet_with_trust_verifies_its_ictb(run_cli: Run) -> None:
    verdict, codes, exit_code = FEMA_WITH_TRUST
    result = run_cli("detailee", "validate", FEMA, *AS_OF, "--trust", TRUST, "--format", "json")
    assert result.exit_code == exit_code
    document = only_document(result)
    assert document["signed_ictb"] == "verified"
    assert document["verdict"] == verdict
    assert codes_of(document) == codes
    for f in document["findings"]:
        if not f["code"].startswith("DHS-"):
            assert f["location"].startswith(SIGNED_ICTB), f
            assert f["message"].startswith("signed ICTB: "), f
    (bls,) = (f for f in document["findings"] if f["code"] == "ICTB-027")
    assert "Basic Life Support" in bls["message"] and bls["severity"] == "warning"
    text = run_cli("detailee", "validate", FEMA, *AS_OF, "--trust", TRUST)
    assert "signed ICTB verified" in text.stdout


def test_fema_packet_without_trust_says_the_ictb_is_not_verified(run_cli: Run) -> None:
    result = run_cli("detailee", "validate", FEMA, *AS_OF, "--format", "json")
    document = only_document(result)
    assert "not verified" in document["signed_ictb"]
    assert "--trust" in document["signed_ictb"]
    assert all(code.startswith("DHS-") for code in codes_of(document))
    text = run_cli("detailee", "validate", FEMA, *AS_OF)
    assert "signed ICTB present, not verified" in text.stdout


def test_the_fema_person_is_the_ictb_provider_within_its_validity() -> None:
    from ictb import ictb_xml

    packet = detailee.load(FEMA)
    brief = ictb_xml.load(FEMA_ICTB)
    assert brief.signed
    assert packet.person.name == brief.provider.name
    assert packet.detailing_agency is not None and packet.detailing_agency.dod_mtf
    assert packet.detail is not None and brief.privileges is not None
    assert packet.detail.end <= brief.privileges.expires_on
    assert packet.signed_ictb is not None and packet.signed_ictb.file == FEMA_ICTB.name


def copy_fema(folder: Path) -> tuple[Path, Path]:
    packet = folder / FEMA.name
    ictb = folder / FEMA_ICTB.name
    shutil.copyfile(FEMA, packet)
    shutil.copyfile(FEMA_ICTB, ictb)
    return packet, ictb


def test_a_one_byte_change_in_the_brief_gives_ictb_040_under_the_packet(
    run_cli: Run, tmp_path: Path
) -> None:
    packet, ictb = copy_fema(tmp_path)
    good = run_cli("detailee", "validate", packet, *AS_OF, "--trust", TRUST, "--format", "json")
    assert only_document(good)["signed_ictb"] == "verified"  # the copy itself verifies

    raw = ictb.read_bytes()
    at = raw.index(b"newborn nursery")
    assert raw[at : at + 1] == b"n"
    ictb.write_bytes(raw[:at] + b"N" + raw[at + 1 :])
    assert sum(a != b for a, b in zip(raw, ictb.read_bytes(), strict=True)) == 1
    assert at < raw.index(b"</brief>")

    result = run_cli("detailee", "validate", packet, *AS_OF, "--trust", TRUST, "--format", "json")
    assert result.exit_code == 1
    document = only_document(result)
    assert document["verdict"] == "invalid"
    assert document["signed_ictb"] == "rejected"
    (bad,) = (f for f in document["findings"] if f["code"] == "ICTB-040")
    assert bad["severity"] == "error"
    assert bad["location"].startswith(SIGNED_ICTB)
    text = run_cli("detailee", "validate", packet, *AS_OF, "--trust", TRUST)
    assert "ICTB-040" in text.stdout and "signed ICTB rejected" in text.stdout


def test_an_embedded_signed_ictb_verifies_too(run_cli: Run, tmp_path: Path) -> None:
    from ictb import schema

    root = schema.parse_document(
        FEMA.read_bytes(), str(FEMA), detailee.XSD, detailee.NS, detailee.ROOT
    )
    data = schema.xml_to_json_obj(root, detailee.XSD)
    data["signed_ictb"] = {"embedded": base64.b64encode(FEMA_ICTB.read_bytes()).decode("ascii")}
    path = tmp_path / "embedded.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("detailee", "validate", path, *AS_OF, "--trust", TRUST, "--format", "json")
    document = only_document(result)
    assert document["signed_ictb"] == "verified"
    assert codes_of(document) == FEMA_WITH_TRUST[1]


def test_a_missing_referenced_ictb_is_a_finding_of_the_packet(run_cli: Run, tmp_path: Path) -> None:
    packet, ictb = copy_fema(tmp_path)
    ictb.unlink()
    result = run_cli("detailee", "validate", packet, *AS_OF, "--trust", TRUST, "--format", "json")
    # The packet is still evaluated: its DHS findings stay, and the missing ICTB is an
    # error located at the packet's reference to it.
    assert result.exit_code == 1
    document = only_document(result)
    assert document["verdict"] == "invalid"
    (missing,) = [f for f in document["findings"] if f["code"] == "INPUT-004"]
    assert missing["location"] == "/detailee_packet/signed_ictb"
    assert FEMA_ICTB.name in missing["message"] and "no such file" in missing["message"]
    assert "DHS-040" in codes_of(document)
    assert "Traceback" not in result.stderr + result.stdout


def test_a_uscg_packet_never_gets_its_ictb_checked(run_cli: Run, tmp_path: Path) -> None:
    packet, ictb = copy_fema(tmp_path)
    packet.write_text(
        packet.read_text(encoding="utf-8").replace(
            "<serving_component>FEMA</serving_component>",
            "<serving_component>USCG</serving_component>",
        ),
        encoding="utf-8",
    )
    ictb.unlink()  # it would be an error if it were read
    result = run_cli("detailee", "validate", packet, *AS_OF, "--trust", TRUST, "--format", "json")
    assert result.exit_code == 1
    document = only_document(result)
    assert codes_of(document) == {"DHS-001", "DHS-040"}
    assert "signed_ictb" not in document


def test_the_fema_detail_is_not_counted_as_a_period_at_camp_pendleton(run_cli: Run) -> None:
    result = run_cli("detailee", "validate", FEMA, *AS_OF, "--trust", TRUST, "--format", "json")
    messages = [f["message"] for f in only_document(result)["findings"]]
    assert not any("periods at N68094" in m for m in messages)


def test_validating_the_samples_folder_reads_only_packets(run_cli: Run) -> None:
    result = run_cli("detailee", "validate", DETAILEE, *AS_OF, "--format", "json")
    assert result.json()["summary"]["total"] == len(EXPECTED)
    assert not error_lines(result)


# ---------------------------------------------------------------- SSN and DOB never shown

SSN, DOB = "934-71-2256", "1986-08-29"
SECRETS = [SSN, SSN.replace("-", ""), DOB, "08/29/1986", "19860829"]
DROP = object()  # a key to remove from the packet


def packet_with_identifiers(folder: Path, changes: dict[str, Any]) -> tuple[Path, Path]:
    """Sample 6 with an SSN and a DOB and ``changes``, in its JSON and XML forms."""
    from ictb import schema, xmlsafe

    path = DETAILEE / "06-cbp-va-physician-license-lapses-mid-detail.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["person"].update(ssn=SSN, dob=DOB)
    for key, value in changes.items():
        if value is DROP:
            del data[key]
        else:
            data[key] = value
    as_json = folder / "with-identifiers.json"
    as_json.write_text(json.dumps(data), encoding="utf-8")
    root = schema.parse_document(
        as_json.read_bytes(), str(as_json), detailee.XSD, detailee.NS, detailee.ROOT
    )
    as_xml = folder / "with-identifiers.xml"
    as_xml.write_bytes(xmlsafe.serialize(root))
    return as_json, as_xml


@pytest.mark.parametrize("form", ["json", "xml"])
@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, "needs review"),
        ({"cmo_copy": DROP, "required": DROP}, "invalid"),
        ({"serving_component": "USCG"}, "invalid"),
    ],
    ids=["needs-review", "invalid", "uscg"],
)
def test_ssn_and_dob_never_appear_in_the_output(
    run_cli: Run,
    tmp_path: Path,
    form: str,
    output_format: str,
    changes: dict[str, Any],
    verdict: str,
) -> None:
    as_json, as_xml = packet_with_identifiers(tmp_path, changes)
    path = as_json if form == "json" else as_xml
    content = path.read_text(encoding="utf-8")
    assert SSN in content and DOB in content
    assert detailee.load(as_json) == detailee.load(as_xml)
    result = run_cli(
        "detailee", "validate", path, *AS_OF, "--trust", TRUST, "--format", output_format
    )
    assert result.exit_code == (0 if verdict == "needs review" else 1)
    assert "DHS-040" in result.stdout
    if output_format == "json":
        assert only_document(result)["verdict"] == verdict
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr


def test_ssn_and_dob_never_appear_for_an_invalid_packet(run_cli: Run, tmp_path: Path) -> None:
    path, _ = packet_with_identifiers(tmp_path, {})
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["cmo_copy"]
    data["qualification"][0]["issuer_type"] = "foreign"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("detailee", "validate", path, *AS_OF)
    assert result.exit_code == 1
    assert "DHS-016" in result.stdout and "DHS-022" in result.stdout
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("form", "key", "value"),
    [("json", "dob", "08/29/1986"), ("xml", "dob", "08/29/1986"), ("json", "ssn", 934712256)],
    ids=["json-dob-not-iso", "xml-dob-not-iso", "json-ssn-as-number"],
)
def test_a_malformed_identifier_is_not_echoed_in_the_error(
    run_cli: Run, tmp_path: Path, form: str, key: str, value: Any
) -> None:
    if form == "json":
        path = tmp_path / "p.json"
        person = {"person_type": "detailee", key: value}
        path.write_text(
            json.dumps({"serving_component": "ICE", "purpose_healthcare": True, "person": person}),
            encoding="utf-8",
        )
    else:
        path = tmp_path / "p.xml"
        path.write_text(
            '<detailee_packet xmlns="urn:ictb:detailee-packet:1">'
            "<serving_component>ICE</serving_component><purpose_healthcare>true"
            "</purpose_healthcare><person><person_type>detailee</person_type>"
            f"<{key}>{value}</{key}></person></detailee_packet>",
            encoding="utf-8",
        )
    result = run_cli("detailee", "validate", path, *AS_OF, "--format", "json")
    assert result.exit_code == 1  # rejected: the input does not fit the schema
    assert "INPUT-004" in result.stdout
    assert str(value) not in result.stdout + result.stderr


# ---------------------------------------------------------------- bad inputs

GOOD_JSON = {
    "serving_component": "ICE",
    "purpose_healthcare": True,
    "person": {"person_type": "detailee"},
}
BAD_INPUTS: dict[str, tuple[str, str, str]] = {
    # id: (file name, content, a word the error line must contain)
    "malformed-xml": (
        "p.xml",
        '<detailee_packet xmlns="urn:ictb:detailee-packet:1"><serving_component>ICE',
        "well-formed",
    ),
    "malformed-json": ("p.json", '{"serving_component": "ICE",', "JSON"),
    "unknown-field": (
        "p.json",
        json.dumps(dict(GOOD_JSON, favourite_colour="blue")),
        "favourite_colour",
    ),
    "unknown-element": (
        "p.xml",
        '<detailee_packet xmlns="urn:ictb:detailee-packet:1"><serving_component>ICE'
        "</serving_component><purpose_healthcare>true</purpose_healthcare><person>"
        "<person_type>detailee</person_type></person><favourite_colour>blue"
        "</favourite_colour></detailee_packet>",
        "favourite_colour",
    ),
    "wrong-date": ("p.json", json.dumps(dict(GOOD_JSON, care_start="2027-02-30")), "care_start"),
    "wrong-date-xml": (
        "p.xml",
        '<detailee_packet xmlns="urn:ictb:detailee-packet:1"><serving_component>ICE'
        "</serving_component><purpose_healthcare>true</purpose_healthcare><person>"
        "<person_type>detailee</person_type></person><care_start>2027-13-01</care_start>"
        "</detailee_packet>",
        "care_start",
    ),
    "wrong-enum": (
        "p.json",
        json.dumps(dict(GOOD_JSON, serving_component="NAVY")),
        "serving_component",
    ),
    "doctype": (
        "p.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE detailee_packet [<!ENTITY x "y">]>\n'
        '<detailee_packet xmlns="urn:ictb:detailee-packet:1"><serving_component>ICE'
        "</serving_component><purpose_healthcare>true</purpose_healthcare><person>"
        "<person_type>detailee</person_type></person></detailee_packet>",
        "DOCTYPE",
    ),
    "wrong-root": (
        "p.xml",
        '<credential_record xmlns="urn:ictb:credential-record:1"/>',
        "detailee_packet",
    ),
    "empty": ("p.json", "", "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_bad_input_is_one_error_line_and_exit_1(
    run_cli: Run, tmp_path: Path, case: str, output_format: str
) -> None:
    name, content, word = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("detailee", "validate", path, *AS_OF, "--format", output_format)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert str(path) in line and word in line
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stdout + result.stderr
    if output_format == "json":
        document = only_document(result)
        assert document["verdict"] == "invalid"
        assert [f["code"] for f in document["findings"]] == [document["findings"][0]["code"]]
        assert document["findings"][0]["code"].startswith("INPUT-")


def test_a_bad_packet_does_not_stop_the_others(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    good = DETAILEE / "01-ice-usphs-nurse-practitioner.xml"
    result = run_cli("detailee", "validate", bad, good, *AS_OF, "--format", "json")
    assert result.exit_code == 1
    verdicts = [d["verdict"] for d in result.json()["documents"]]
    assert verdicts == ["invalid", "valid"]


def test_a_missing_packet_is_one_error(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("detailee", "validate", tmp_path / "nowhere.xml", *AS_OF)
    assert result.exit_code == 3
    (line,) = error_lines(result)
    assert "nowhere.xml" in line


def test_a_bad_as_of_date_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("detailee", "validate", FEMA, "--as-of", "2026-12-32")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- detailee new


def template_bytes() -> bytes:
    return resources.files("ictb").joinpath("data/detailee-packet-template.xml").read_bytes()


def test_new_writes_the_template_which_loads_and_needs_review(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "packet.xml"
    result = run_cli("detailee", "new", "-o", out)
    assert result.exit_code == 0
    assert out.read_bytes() == template_bytes()
    assert f"wrote {out}" in result.stderr
    packet = detailee.load(out)
    assert packet.person.person_type is detailee.PersonType.DETAILEE
    checked = run_cli("detailee", "validate", out, *AS_OF, "--format", "json")
    assert checked.exit_code == 0
    document = only_document(checked)
    assert document["verdict"] == "needs review"  # intentionally pending (DHS-015)
    assert codes_of(document) == {"DHS-015", "DHS-040"}


def test_new_to_standard_output(run_cli: Run) -> None:
    result = run_cli("detailee", "new")
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == template_bytes()


def test_new_refuses_to_overwrite_without_force(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "packet.xml"
    out.write_text("mine", encoding="utf-8")
    refused = run_cli("detailee", "new", "-o", out)
    assert refused.exit_code == 3
    (line,) = error_lines(refused)
    assert "already exists" in line and "--force" in line
    assert out.read_text(encoding="utf-8") == "mine"
    forced = run_cli("detailee", "new", "-o", out, "--force")
    assert forced.exit_code == 0
    assert out.read_bytes() == template_bytes()


def test_the_template_says_where_the_signed_ictb_goes() -> None:
    text = template_bytes().decode("utf-8")
    assert re.search(r"<signed_ictb>\s*<file>", text)
    assert "SSN" in text and "never printed" in text
