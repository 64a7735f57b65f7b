"""The README's first command runs this demo: it must show every step as expected."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLES


def test_demo_runs_every_step_as_expected(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "demo"
    result = run_cli("demo", "--samples", SAMPLES, "--out-dir", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "UNEXPECTED" not in result.stdout
    for step in (
        "1. Build",
        "2. Every bad record",
        "3. The gaining facility checks",
        "4. Each sending commander signs",
        "5. Tampered",
    ):
        assert step in result.stdout
    assert "VALID " in result.stdout and "NEEDS REVIEW" in result.stdout
    assert "INVALID" in result.stdout
    assert len(list((out / "ictbs").glob("*.ictb.xml"))) == 15
    assert len(list((out / "signed").glob("*.signed.ictb.xml"))) == 15
    assert len(list((out / "release").glob("*.release.ictb.xml"))) == 1
    assert "leak scan of the copy: 0 of the withheld values found" in result.stdout
    assert "10 cleared, 3 not cleared, 1 outside SMDR verification" in result.stdout
    assert (out / "mission-release" / "manifest.json").is_file()


def test_demo_will_not_empty_a_folder_it_did_not_make(tmp_path: Path, run_cli) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", "utf-8")
    result = run_cli("demo", "--samples", SAMPLES, "--out-dir", precious)
    assert result.exit_code == 3
    assert (precious / "notes.txt").read_text("utf-8") == "keep me"
