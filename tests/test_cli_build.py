"""`ictb build` from the command line: outputs, exit codes, reports and bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from ictb import ictb_xml, records, schema, xmlsafe
from tests import factories
from tests.conftest import CliResult

ASSIGN = (
    "--gaining-facility",
    "N00183",
    "--purpose",
    "Cover a deployed surgeon",
    "--period",
    "2026-12-01..2027-01-31",
    "--issued-on",
    "2026-11-22",
)


def write_record(path: Path, record: object = None) -> Path:
    path.write_text(records.to_json_text(record or factories.complete_record()), "utf-8")
    return path


def no_traceback(result: CliResult) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_builds_one_schema_valid_ictb(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "out" / "doe--N00183.ictb.xml"
    brief = ictb_xml.load(written)  # parses and validates against xsd/ictb.xsd
    assert brief.gaining.id == "N00183"
    assert [(p.start.isoformat(), p.end.isoformat()) for p in brief.periods] == [
        ("2026-12-01", "2027-01-31")
    ]
    assert brief.purpose == "Cover a deployed surgeon"
    assert "wrote" in result.stdout and "1 built, 0 refused" in result.stdout


def test_sensitive_values_sit_outside_the_brief(tmp_path: Path, run_cli) -> None:
    record = factories.complete_record()
    write_record(tmp_path / "r.json", record)
    run_cli("build", tmp_path / "r.json", *ASSIGN, "--out-dir", tmp_path)
    root = xmlsafe.parse_bytes((tmp_path / "r--N00183.ictb.xml").read_bytes())
    brief_text = etree.tostring(root.find(f"{{{schema.ICTB_NS}}}brief")).decode()
    assert record.provider.ssn and record.provider.ssn not in brief_text
    assert record.provider.dob and record.provider.dob.isoformat() not in brief_text
    personal = root.find(f"{{{schema.ICTB_NS}}}personal_data")
    fields = {v.get("field") for v in personal}
    assert {"ssn", "dob", "home_address", "home_phone", "dea_number"} <= fields


def test_json_report_shape(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path, "--format", "json")
    assert result.exit_code == 0
    payload = result.json()
    assert payload["command"] == "build" and payload["report_format"] == 1
    (doc,) = payload["documents"]
    assert doc["document"] == str(record)
    assert doc["verdict"] == "valid" and doc["built"] is True
    assert doc["output"].endswith("doe--N00183.ictb.xml")
    assert payload["summary"] == {"accepted": 1, "rejected": 0, "not_evaluated": 0, "total": 1}


def test_refused_record_writes_nothing_and_exits_1(tmp_path: Path, run_cli) -> None:
    base = factories.complete_record()
    bad = dataclasses.replace(base, observer=None, point_of_contact=None)
    record = write_record(tmp_path / "bad.json", bad)
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path / "out", "--format", "json")
    assert result.exit_code == 1
    (doc,) = result.json()["documents"]
    assert doc["built"] is False and doc["output"] is None
    codes = {f["code"] for f in doc["findings"]}
    assert {"ICTB-009", "ICTB-011"} <= codes
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "message", "location", "source"}
        assert f["source"].startswith("DoDM 6025.13")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_text_report_names_each_missing_element(tmp_path: Path, run_cli) -> None:
    bad = dataclasses.replace(factories.complete_record(), observer=None)
    record = write_record(tmp_path / "bad.json", bad)
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path)
    assert result.exit_code == 1
    assert "ICTB-009" in result.stdout and "§5f(9)" in result.stdout
    assert "refused: nothing written" in result.stdout


def test_batch_goes_on_past_a_bad_record(tmp_path: Path, run_cli) -> None:
    (tmp_path / "a-broken.json").write_text('{"provider": {', "utf-8")
    write_record(tmp_path / "b-good.json")
    result = run_cli("build", tmp_path, *ASSIGN, "--out-dir", tmp_path / "out")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "b-good--N00183.ictb.xml").exists()
    assert result.stderr.count("ictb: error:") == 1
    assert "a-broken.json:1:" in result.stderr
    assert "1 built, 1 refused (of 2)" in result.stdout
    no_traceback(result)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty document"),
        (b'{"provider": {"name": {"given": "A",}}}', "not valid JSON"),
        (b'{"provider": {"shoe_size": 9}}', "shoe_size"),
        (b'{"provider": {"dob": "2026-02-30"}}', "not a calendar date of the form YYYY-MM-DD"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x "y">]>\n<r>&x;</r>', "DOCTYPE"),
        (
            b"<credential_record xmlns='urn:ictb:credential-record:1'><provider></oops>",
            "not well-formed",
        ),
    ],
    ids=["empty", "json-syntax", "unknown-field", "wrong-date", "doctype", "xml-syntax"],
)
def test_bad_input_gets_one_clear_line(tmp_path: Path, run_cli, content: bytes, expected: str):
    suffix = ".xml" if content.startswith(b"<") else ".json"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    result = run_cli("build", path, *ASSIGN, "--out-dir", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ictb: error: {path}")
    assert expected in lines[0]
    no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_missing_file_cannot_be_evaluated(tmp_path: Path, run_cli) -> None:
    result = run_cli("build", tmp_path / "nope.json", *ASSIGN, "--out-dir", tmp_path)
    assert result.exit_code == 3
    assert result.stderr.strip() == f"ictb: error: {tmp_path / 'nope.json'}: no such file"


def test_existing_output_is_kept_without_force(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    target = tmp_path / "doe--N00183.ictb.xml"
    target.write_text("precious", "utf-8")
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path)
    assert result.exit_code == 3 and "already exists" in result.stderr
    assert target.read_text("utf-8") == "precious"
    assert run_cli("build", record, *ASSIGN, "--out-dir", tmp_path, "--force").exit_code == 0
    assert ictb_xml.load(target).gaining.id == "N00183"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_to_stdout(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *ASSIGN, "-o", "-")
    assert result.exit_code == 0
    brief = ictb_xml.load("stdout.xml", result.stdout.encode("utf-8"))
    assert brief.gaining.id == "N00183"


@pytest.mark.parametrize(
    "args",
    [
        ("--gaining-facility", "N1", "--purpose", "x"),  # no period
        ("--period", "2026-12-01..2027-01-31"),  # no gaining facility
        ("--gaining-facility", "N1", "--period", "2026-12-01"),  # not a period
        ("--gaining-facility", "N1", "--period", "2027-01-31..2026-12-01"),  # backwards
        (
            "--gaining-facility",
            "N1",
            "--period",
            "2026-12-01..2027-01-31",
            "--issued-on",
            "22/11/2026",
        ),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, run_cli, args: tuple[str, ...]) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("ictb: error:")
    no_traceback(result)


def test_roster_builds_one_ictb_per_provider_and_gaining_facility(tmp_path: Path, run_cli):
    write_record(tmp_path / "doe.json")
    (tmp_path / "roster.csv").write_text(
        "record,gaining_facility,purpose,period_start,period_end\n"
        "doe.json,N00183,Weekend coverage,2026-12-05,2026-12-06\n"
        "doe.json,N00183,Weekend coverage,2027-01-09,2027-01-10\n"
        "doe.json,W0LBAA,Exercise support,2027-02-01,2027-02-14\n",
        "utf-8",
    )
    result = run_cli(
        "build",
        "--roster",
        tmp_path / "roster.csv",
        "--out-dir",
        tmp_path / "o",
        "--issued-on",
        "2026-11-22",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    first = ictb_xml.load(tmp_path / "o" / "doe--N00183.ictb.xml")
    assert len(first.periods) == 2
    second = ictb_xml.load(tmp_path / "o" / "doe--W0LBAA.ictb.xml")
    assert second.purpose == "Exercise support"


def test_roster_with_a_bad_date_names_the_line(tmp_path: Path, run_cli) -> None:
    (tmp_path / "roster.csv").write_text(
        "record,gaining_facility,purpose,period_start,period_end\n"
        "doe.json,N00183,Coverage,2026-12-05,2026-12-06\n"
        "doe.json,N00183,Coverage,2026-12-32,2026-12-33\n",
        "utf-8",
    )
    result = run_cli("build", "--roster", tmp_path / "roster.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ictb: error: {tmp_path / 'roster.csv'}:3:")


def test_convert_round_trips(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    as_xml = run_cli("convert", record, "--to", "xml", "-o", tmp_path / "doe.xml")
    assert as_xml.exit_code == 0
    back = run_cli("convert", tmp_path / "doe.xml", "--to", "json")
    assert records.load("x.json", back.stdout.encode()) == records.load(record)
    refuse = run_cli("convert", record, "--to", "json", "-o", record)
    assert refuse.exit_code == 3 and "input" in refuse.stderr


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ictb", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0 and done.stdout.startswith("ictb, version ")


def test_build_records_where_each_ictb_was_sent(tmp_path: Path, run_cli) -> None:
    from ictb import check_context

    record = write_record(tmp_path / "doe.json")
    record_file = tmp_path / "distribution.xml"
    first = run_cli(
        "build",
        record,
        *ASSIGN,
        "--out-dir",
        tmp_path / "a",
        "--distribution",
        record_file,
        "--format",
        "json",
    )
    assert first.exit_code == 0
    (doc,) = first.json()["documents"]
    sent = check_context.load_distribution(record_file).sent
    assert [(e.ictb_id, e.facility, e.sent_on.isoformat()) for e in sent] == [
        (doc["ictb_id"], "N00183", "2026-11-22")
    ]
    # a second build adds to the record; nothing is lost
    run_cli("build", record, *ASSIGN, "--out-dir", tmp_path / "b", "--distribution", record_file)
    assert len(check_context.load_distribution(record_file).sent) == 2
    ictb = tmp_path / "a" / "doe--N00183.ictb.xml"
    known = run_cli("check", ictb, "--as-of", "2026-11-22", "--distribution", record_file)
    assert "ICTB-025" not in known.stdout
    other = tmp_path / "other.json"
    other.write_text('{"sent": []}', "utf-8")
    unknown = run_cli("check", ictb, "--as-of", "2026-11-22", "--distribution", other)
    assert "ICTB-025" in unknown.stdout


def test_a_refused_record_is_not_recorded_as_sent(tmp_path: Path, run_cli) -> None:
    bad = dataclasses.replace(factories.complete_record(), observer=None)
    record = write_record(tmp_path / "bad.json", bad)
    record_file = tmp_path / "distribution.json"
    result = run_cli("build", record, *ASSIGN, "--out-dir", tmp_path, "--distribution", record_file)
    assert result.exit_code == 1
    assert not record_file.exists()


@pytest.mark.parametrize(
    "option", ["--purpose", "--gaining-name", "--gaining-facility", "--appraisal-request"]
)
@pytest.mark.parametrize("text", ["a\x01b", "\x1b[2J", "x\ud800", "\udcff", "\ufffe"])
def test_text_no_document_can_hold_is_a_usage_error(
    tmp_path: Path, run_cli, option: str, text: str
) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *ASSIGN, option, text, "--out-dir", tmp_path / "out")
    assert result.exit_code == 2, result.stderr
    assert f"Invalid value for '{option}'" in result.stderr
    assert "no document can hold" in result.stderr
    assert not (tmp_path / "out").exists()
    no_traceback(result)


def test_a_nul_in_any_argument_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    record = write_record(tmp_path / "doe.json")
    for args in (("--purpose", "a\x00b"), ("--distribution", f"{tmp_path}/d\x00.json")):
        result = run_cli("build", record, *ASSIGN, *args, "--out-dir", tmp_path / "out")
        assert result.exit_code == 2 and "NUL" in result.stderr
        no_traceback(result)


@pytest.mark.parametrize("date", ["2026-W48-7", "20261122", "2026-11-22Z", "10000-01-01"])
def test_a_date_option_not_of_the_form_yyyy_mm_dd_is_a_usage_error(
    tmp_path: Path, run_cli, date: str
) -> None:
    record = write_record(tmp_path / "doe.json")
    result = run_cli("build", record, *ASSIGN, "--issued-on", date, "--out-dir", tmp_path)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = run_cli(
        "build", record, *ASSIGN, "--period", f"{date}..2027-01-31", "--out-dir", tmp_path
    )
    assert result.exit_code == 2 and "is not a period" in result.stderr


def test_a_roster_field_no_document_can_hold_names_the_line(tmp_path: Path, run_cli) -> None:
    write_record(tmp_path / "doe.json")
    (tmp_path / "roster.csv").write_text(
        "record,gaining_facility,purpose,period_start,period_end\n"
        "doe.json,N00183,Weekend\x1bcoverage,2026-12-05,2026-12-06\n",
        "utf-8",
    )
    result = run_cli("build", "--roster", tmp_path / "roster.csv", "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ictb: error: {tmp_path / 'roster.csv'}:2: purpose contains")
    no_traceback(result)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_record_dated_at_an_end_of_the_calendar_is_evaluated(
    tmp_path: Path, run_cli, day: str
) -> None:
    # Every date of the record on the day, built and checked on that day too.
    record = factories.every_date(factories.complete_record(), dt.date.fromisoformat(day))
    path = write_record(tmp_path / "doe.json", record)
    args = list(ASSIGN)
    args[args.index("--period") + 1] = f"{day}..{day}"
    args[args.index("--issued-on") + 1] = day
    result = run_cli("build", path, *args, "--out-dir", tmp_path / "out", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert result.json()["documents"][0]["verdict"] in ("valid", "needs review", "invalid")
    no_traceback(result)
