"""Batches never lose a result: a failing item is reported and the rest go on; two
inputs never write one output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ictb import build, records
from tests import factories
from tests.conftest import SAMPLES, CliRunner

ASSIGNMENT = (
    "--gaining-facility",
    "N00183",
    "--gaining-name",
    "Naval Hospital Camp Pendleton",
    "--purpose",
    "Coverage",
    "--period",
    "2026-12-01..2027-01-31",
    "--issued-on",
    "2026-11-22",
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five good credential records, a.json .. e.json."""
    folder = tmp_path / "records"
    folder.mkdir()
    good = records.to_json_text(factories.complete_record())
    for name in "abcde":
        (folder / f"{name}.json").write_text(good, "utf-8")
    return folder


@pytest.fixture
def fails_on_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception (a bug) while building c.json, and only c.json."""
    real = build.build

    def failing(record, assignment, *, source: str, **kwargs):  # type: ignore[no-untyped-def]
        if Path(source).name == "c.json":
            raise RuntimeError("an unforeseen state")
        return real(record, assignment, source=source, **kwargs)

    monkeypatch.setattr(build, "build", failing)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_in_one_item_is_reported_for_it_and_the_batch_goes_on(
    tmp_path: Path, run_cli: CliRunner, folder: Path, fails_on_c: None, jobs: str
) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "build", folder, *ASSIGNMENT, "--out-dir", out, "--jobs", jobs, "--format", "json"
    )
    assert result.exit_code == 4  # a bug happened, though the rest was done
    verdicts = {Path(d["document"]).name: d["verdict"] for d in result.json()["documents"]}
    assert verdicts == {
        "a.json": "valid",
        "b.json": "valid",
        "c.json": "not evaluated",
        "d.json": "valid",
        "e.json": "valid",
    }
    assert sorted(p.name for p in out.iterdir()) == [f"{name}--N00183.ictb.xml" for name in "abde"]
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"ictb: error: {folder / 'c.json'}: internal error: RuntimeError")
    assert "rerun with --debug" in line
    # where in ictb it happened, never the message (it may quote a value of the document)
    assert "RuntimeError at ictb/cli/build.py:" in line and "in build_one" in line
    assert "unforeseen" not in line
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_of_the_failing_item(
    tmp_path: Path, run_cli: CliRunner, folder: Path, fails_on_c: None
) -> None:
    result = run_cli("--debug", "build", folder, *ASSIGNMENT, "--out-dir", tmp_path / "out")
    assert result.exit_code == 4
    assert result.stderr.count("Traceback (most recent call last)") == 1
    assert "RuntimeError: an unforeseen state" in result.stderr
    assert "4 built, 0 refused, 1 not evaluated (of 5)" in result.stdout


def test_two_records_with_one_output_name_are_not_both_written(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
    shutil.copy(SAMPLES / "records" / "01-physician-cardiology-fellowship.json", first / "x.json")
    shutil.copy(SAMPLES / "records" / "12-pediatrician-bls-expired.json", second / "x.json")
    out = tmp_path / "out"
    result = run_cli(
        "build", first / "x.json", second / "x.json", *ASSIGNMENT, "--out-dir", out, "--force"
    )
    assert result.exit_code == 2
    written = out / "x--N00183.ictb.xml"
    assert [p.name for p in out.iterdir()] == [written.name]
    # the first record's ICTB, not replaced by the second's
    assert "Cardiology" in written.read_text("utf-8") or "cardiology" in written.read_text("utf-8")
    (line,) = result.stderr.splitlines()
    assert line == (
        f"ictb: error: {second / 'x.json'}: not processed: its output {written} is also the "
        f"output of {first / 'x.json'} in this batch; give the inputs distinct names, or "
        "process them separately"
    )
    assert "1 built, 0 refused, 1 not evaluated (of 2)" in result.stdout


def test_a_json_and_an_xml_record_of_one_name_are_not_both_written(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    record = factories.complete_record()
    (folder / "y.json").write_text(records.to_json_text(record), "utf-8")
    (folder / "y.xml").write_bytes(records.to_xml_bytes(record))
    result = run_cli("build", folder, *ASSIGNMENT, "--out-dir", tmp_path / "out", "--force")
    assert result.exit_code == 2
    assert "its output" in result.stderr and "y.json in this batch" in result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_sign_refuses_two_inputs_with_one_output(
    tmp_path: Path, run_cli: CliRunner, signer_files: tuple[Path, ...]
) -> None:
    brief = next((SAMPLES / "ictbs").glob("12-*.ictb.xml"))
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(brief, tmp_path / folder / "z.ictb.xml")
    result = run_cli(
        "sign",
        tmp_path / "a" / "z.ictb.xml",
        tmp_path / "b" / "z.ictb.xml",
        "--key",
        signer_files[0],
        "--cert",
        signer_files[1],
        "--passphrase-file",
        signer_files[2],
        "--out-dir",
        tmp_path / "signed",
    )
    assert result.exit_code == 2
    assert [p.name for p in (tmp_path / "signed").iterdir()] == ["z.signed.ictb.xml"]
    assert result.stderr.count("ictb: error:") == 1


def test_an_output_folder_that_is_a_symbolic_link_loop_is_an_error_line(
    tmp_path: Path, run_cli: CliRunner, folder: Path
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run_cli("build", folder / "a.json", *ASSIGNMENT, "--out-dir", loop)
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith("ictb: error: ") and "cannot write" in line
