"""Writing outputs: atomically, and a full disk or a file-size limit is one error line."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from ictb import outputs
from ictb.errors import IctbError
from tests.conftest import ROOT, SAMPLES

RECORD = SAMPLES / "records" / "01-physician-cardiology-fellowship.json"


def test_an_existing_file_is_kept_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"first")
    with pytest.raises(IctbError, match="already exists"):
        outputs.atomic_write(target, b"second")
    assert target.read_bytes() == b"first"


class FullDisk:
    """A file object on a disk with no space left."""

    def __init__(self, fd: int) -> None:
        os.close(fd)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_is_an_error_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"the earlier version")
    monkeypatch.setattr(outputs.os, "fdopen", lambda fd, mode: FullDisk(fd))
    with pytest.raises(IctbError) as raised:
        outputs.atomic_write(target, b"new", overwrite=True)
    assert str(raised.value) == f"{target}: cannot write: No space left on device"
    assert raised.value.exit_code == 3
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]  # no temporary file left
    assert target.read_bytes() == b"the earlier version"


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_a_file_size_limit_is_one_error_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.pinned_cli",
            "build",
            str(RECORD),
            "--gaining-facility",
            "W1HTAA",
            "--purpose",
            "Coverage",
            "--period",
            "2026-12-07..2026-12-18",
            "--issued-on",
            "2026-11-22",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=limit_file_size,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [
        f"ictb: error: {tmp_path / RECORD.stem}--W1HTAA.ictb.xml: cannot write: File too large"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_full_standard_output_is_one_error_line(output_format: str) -> None:
    with open(os.devnull, "rb") as stdin, open("/dev/full", "wb") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.pinned_cli",
                "check",
                str(SAMPLES / "ictbs"),
                "--format",
                output_format,
            ],
            stdin=stdin,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert done.returncode == 3
    assert done.stderr == "ictb: error: cannot write the output: No space left on device\n"


def test_a_reader_that_went_away_ends_the_run_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `ictb check ... | head` once head has had its lines
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.pinned_cli", "check", str(SAMPLES / "ictbs")],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == ""


def test_a_name_the_file_system_refuses_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 300)
    with pytest.raises(IctbError, match="cannot write: File name too long"):
        outputs.atomic_write(target, b"data")
    assert list(tmp_path.iterdir()) == []
