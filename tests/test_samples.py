"""The samples: every record reads in both forms, builds, and round-trips exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ictb import build, ictb_xml, policy, records, roster
from ictb.model import CredentialKind
from tests.conftest import SAMPLES

AS_OF = dt.date(2026, 11, 22)
RECORDS = sorted((SAMPLES / "records").iterdir())


def test_there_are_enough_realistic_samples() -> None:
    assert len(RECORDS) >= 12
    assert sum(p.suffix == ".xml" for p in RECORDS) >= 2
    assert sum(p.suffix == ".json" for p in RECORDS) >= 2


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_record_round_trips_between_xml_and_json(path: Path) -> None:
    record = records.load(path)
    as_xml = records.to_xml_bytes(record)
    as_json = records.to_json_text(record).encode("utf-8")
    assert records.load("x.xml", as_xml) == record
    assert records.load("x.json", as_json) == record
    # and the two written forms convert into each other unchanged
    assert records.to_xml_bytes(records.load("x.json", as_json)) == as_xml


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_sample_identifiers_are_never_issued_numbers(path: Path) -> None:
    from ictb import detectors

    record = records.load(path)
    ssn = record.provider.ssn or ""
    assert ssn[:1] == "9", "sample SSNs come from the never-issued 900 area"
    for credential in record.credentials:
        if credential.kind is CredentialKind.DEA:
            assert credential.number and detectors.dea_is_valid(credential.number)
    npi = record.credentials_file.npi if record.credentials_file else None
    assert npi is None or detectors.npi_is_valid(npi)


JOBS = roster.read(SAMPLES / "roster.csv")


@pytest.mark.parametrize(
    ("record_path", "assignment"), JOBS, ids=[f"{p.stem}-{a.gaining.id}" for p, a in JOBS]
)
def test_every_roster_entry_builds_a_schema_valid_ictb(record_path: Path, assignment) -> None:
    record = records.load(record_path)
    result = build.build(
        record, assignment, issued_on=AS_OF, policy=policy.default(), source=str(record_path)
    )
    assert result.xml is not None, [f.message for f in result.report.errors]
    assert result.brief is not None
    again = ictb_xml.load("built.xml", result.xml)  # schema-validates
    assert again == result.brief


def test_roster_covers_every_sample_and_groups_periods() -> None:
    assert {p.name for p, _ in JOBS} == {p.name for p in RECORDS}
    multi = [a for _, a in JOBS if len(a.periods) > 1]
    assert multi and all(p.facility_id == a.gaining.id for a in multi for p in a.periods)


def test_the_documented_examples_are_the_samples() -> None:
    """docs/credential-record.md embeds two samples; they must not drift apart."""
    import re

    doc = (SAMPLES.parent / "docs" / "credential-record.md").read_text("utf-8")
    blocks = dict(re.findall(r"```(json|xml)\n(.*?)\n```", doc, flags=re.S))
    sample_json = SAMPLES / "records" / "01-physician-cardiology-fellowship.json"
    sample_xml = SAMPLES / "records" / "08-reserve-emergency-physician.xml"
    assert blocks["json"] == sample_json.read_text("utf-8").rstrip()
    assert blocks["xml"] == sample_xml.read_text("utf-8").rstrip()
    assert records.load("doc.json", blocks["json"].encode()) == records.load(sample_json)


def test_the_readme_library_example_runs(monkeypatch) -> None:
    """README "As a library" is code people copy: it must run and say what it shows."""
    import contextlib
    import io
    import re

    readme = (SAMPLES.parent / "README.md").read_text("utf-8")
    (example,) = re.findall(r"## As a library.*?```python\n(.*?)\n```", readme, flags=re.S)
    monkeypatch.chdir(SAMPLES.parent)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(example, "README.md", "exec"), {})
    assert output.getvalue().splitlines()[0] == "needs review 2027-07-31"
    assert "ICTB-027" in output.getvalue()
