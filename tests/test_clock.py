"""One clock: every command reads today and now from the clock it is given."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from ictb import ictb_xml
from ictb.clock import FixedClock, SystemClock
from tests.conftest import ROOT, SAMPLES, CliRunner

LATER = FixedClock(dt.datetime(2027, 5, 4, 8, 15, 42, 123456, tzinfo=dt.UTC))
RECORD = SAMPLES / "records" / "01-physician-cardiology-fellowship.json"
ASSIGNMENT = (
    "--gaining-facility",
    "W1HTAA",
    "--gaining-name",
    "William Beaumont Army Medical Center",
    "--purpose",
    "Outpatient cardiology coverage",
    "--period",
    "2027-05-10..2027-05-21",
)


def test_a_fixed_clock_says_its_time_to_the_second_in_utc() -> None:
    eastern = dt.timezone(dt.timedelta(hours=-5))
    clock = FixedClock(dt.datetime(2030, 1, 1, 22, 0, 5, 999, tzinfo=eastern))
    assert clock.now() == dt.datetime(2030, 1, 2, 3, 0, 5, tzinfo=dt.UTC)
    assert clock.today() == dt.date(2030, 1, 1)  # the day where the time was given


def test_a_fixed_clock_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixedClock(dt.datetime(2030, 1, 1))


def test_the_system_clock_gives_an_aware_time_without_microseconds() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None and now.microsecond == 0


def test_build_issues_on_the_clocks_day(tmp_path: Path, run_cli: CliRunner) -> None:
    run_cli.clock = LATER
    out = tmp_path / "brief.xml"
    result = run_cli("build", RECORD, *ASSIGNMENT, "-o", out)
    assert result.exit_code in (0, 1), result.stderr
    assert out.exists(), result.stdout
    assert ictb_xml.load(out).issued_on == dt.date(2027, 5, 4)


def test_check_evaluates_on_the_clocks_day(run_cli: CliRunner) -> None:
    brief = next((SAMPLES / "ictbs").glob("01-*.ictb.xml"))
    run_cli.clock = LATER
    later = run_cli("check", brief, "--format", "json").json()["documents"][0]
    assert later["as_of"] == "2027-05-04"
    explicit = run_cli("check", brief, "--as-of", "2026-11-22", "--format", "json")
    assert explicit.json()["documents"][0]["as_of"] == "2026-11-22"


def test_sign_signs_at_the_clocks_time(
    tmp_path: Path, run_cli: CliRunner, signer_files: tuple[Path, ...]
) -> None:
    brief = next((SAMPLES / "ictbs").glob("12-*.ictb.xml"))
    run_cli.clock = FixedClock(dt.datetime(2026, 12, 1, 9, 30, 15, 500, tzinfo=dt.UTC))
    out = tmp_path / "signed.xml"
    result = run_cli(
        "sign",
        brief,
        "--key",
        signer_files[0],
        "--cert",
        signer_files[1],
        "--passphrase-file",
        signer_files[2],
        "-o",
        out,
    )
    assert result.exit_code == 0, result.stderr
    certification = ictb_xml.load(out).certification
    assert certification is not None
    assert certification.signed_at == dt.datetime(2026, 12, 1, 9, 30, 15, tzinfo=dt.UTC)


# Reading the system time anywhere but ictb/clock.py (ruff's banned-api says the same).
SYSTEM_TIME = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def system_time_reads(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.attr) in SYSTEM_TIME:
                lines.append(node.lineno)
    return lines


def test_nothing_but_the_clock_module_reads_the_system_time() -> None:
    sources = [
        p
        for folder in ("ictb", "tests", "tools")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p != ROOT / "ictb" / "clock.py"
    ]
    assert len(sources) > 50
    readers = {str(p.relative_to(ROOT)): system_time_reads(p) for p in sources}
    assert {p: lines for p, lines in readers.items() if lines} == {}


def test_the_clock_module_is_found_reading_it() -> None:
    assert system_time_reads(ROOT / "ictb" / "clock.py")
