"""--jobs: worker processes give the same documents and reports, in the same order."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ictb import ictb_xml, records
from tests import factories
from tests.conftest import ROOT, SAMPLES

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def build_all(run_cli, out: Path, jobs: int) -> dict:
    result = run_cli(
        "build",
        "--roster",
        SAMPLES / "roster.csv",
        "--out-dir",
        out,
        "--issued-on",
        "2026-11-22",
        "--jobs",
        jobs,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    return result.json()


def without_ids(payload: dict) -> list[dict]:
    documents = []
    for document in payload["documents"]:
        document = dict(document)
        document.pop("ictb_id")
        document["output"] = Path(document["output"]).name
        documents.append(document)
    return documents


def test_build_with_two_workers_gives_the_same_documents_in_order(tmp_path: Path, run_cli):
    one = build_all(run_cli, tmp_path / "one", 1)
    two = build_all(run_cli, tmp_path / "two", 2)
    assert without_ids(one) == without_ids(two)
    for first in sorted((tmp_path / "one").iterdir()):
        second = tmp_path / "two" / first.name
        # identical apart from the fresh document id
        assert UUID.sub(b"ID", first.read_bytes()) == UUID.sub(b"ID", second.read_bytes())


def sign_all(run_cli, source: Path, out: Path, jobs: int, signer_files) -> dict:
    key, cert, passphrase, _ = signer_files
    result = run_cli(
        "sign",
        source,
        "--key",
        key,
        "--cert",
        cert,
        "--passphrase-file",
        passphrase,
        "--out-dir",
        out,
        "--jobs",
        jobs,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.json()


def unsigned_time(path: Path) -> object:
    brief = ictb_xml.load(path)
    assert brief.certification is not None
    return dataclasses.replace(
        brief, certification=dataclasses.replace(brief.certification, signed_at=None)
    )


def test_sign_and_verify_with_two_workers_match_one(tmp_path: Path, run_cli, signer_files):
    unsigned = tmp_path / "unsigned"
    shutil.copytree(SAMPLES / "ictbs", unsigned)
    one = sign_all(run_cli, unsigned, tmp_path / "s1", 1, signer_files)
    two = sign_all(run_cli, unsigned, tmp_path / "s2", 2, signer_files)
    assert [Path(d["output"]).name for d in one["documents"]] == [
        Path(d["output"]).name for d in two["documents"]
    ]
    for first in sorted((tmp_path / "s1").iterdir()):
        # the same certified content; only the salts, the signature values and (when the
        # two runs straddle a second) the signing time differ
        assert unsigned_time(first) == unsigned_time(tmp_path / "s2" / first.name)
    trust = signer_files[3]
    reports = []
    for jobs in (1, 2):
        result = run_cli(
            "verify",
            tmp_path / "s1",
            "--trust",
            trust,
            "--as-of",
            "2026-11-22",
            "--jobs",
            jobs,
            "--format",
            "json",
        )
        documents = result.json()["documents"]
        for document in documents:
            document.pop("signed_at", None)
        reports.append((result.exit_code, documents))
    assert reports[0] == reports[1]
    # One facility's signer: the other facilities' ICTBs are ICTB-044, its own are not.
    foreign = ["ICTB-044" in {f["code"] for f in d["findings"]} for d in reports[0][1]]
    assert any(foreign) and not all(foreign)


def test_a_bad_document_in_a_parallel_batch_is_reported_and_the_rest_processed(
    tmp_path: Path, run_cli
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    good = records.to_json_text(factories.complete_record())
    for name in ("a", "c", "d", "e"):
        (folder / f"{name}.json").write_text(good, "utf-8")
    (folder / "b.json").write_text('{"provider": {', "utf-8")
    result = run_cli(
        "build",
        folder,
        "--gaining-facility",
        "N00183",
        "--purpose",
        "Coverage",
        "--period",
        "2026-12-01..2027-01-31",
        "--issued-on",
        "2026-11-22",
        "--out-dir",
        tmp_path / "out",
        "--jobs",
        "2",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    documents = result.json()["documents"]
    assert [Path(d["document"]).name for d in documents] == [
        "a.json",
        "b.json",
        "c.json",
        "d.json",
        "e.json",
    ]
    assert [d["verdict"] for d in documents] == ["valid", "invalid", "valid", "valid", "valid"]
    assert result.stderr.count("ictb: error:") == 1
    assert len(list((tmp_path / "out").iterdir())) == 4


def signing_part_way(tmp_path: Path, signer_files) -> tuple[subprocess.Popen[bytes], Path]:
    """``ictb sign --jobs 2`` of 400 ICTBs in a process of its own (and its own process
    group), returned once it has written some of them; and its output folder."""
    key, cert, passphrase, _ = signer_files
    source = tmp_path / "unsigned"
    source.mkdir()
    template = next((SAMPLES / "ictbs").glob("12-*.ictb.xml")).read_bytes()
    for index in range(400):
        (source / f"doc{index:03d}.ictb.xml").write_bytes(template)
    out = tmp_path / "signed"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.pinned_cli",
            "sign",
            str(source),
            "--key",
            str(key),
            "--cert",
            str(cert),
            "--passphrase-file",
            str(passphrase),
            "--out-dir",
            str(out),
            "--jobs",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.exists() and len(os.listdir(out)) > 20):
        time.sleep(0.02)
    return process, out


def test_an_interrupted_batch_leaves_no_partial_file(tmp_path: Path, signer_files) -> None:
    process, out = signing_part_way(tmp_path, signer_files)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err.decode()
    written = sorted(out.iterdir())
    assert 0 < len(written) < 400, "the batch was interrupted part way"
    assert not [p for p in written if not p.name.endswith(".signed.ictb.xml")]
    for path in written:  # every file there is complete
        assert ictb_xml.load(path).signed


def test_workers_of_a_killed_parent_stop_quietly(tmp_path: Path, signer_files) -> None:
    process, out = signing_part_way(tmp_path, signer_files)
    process.kill()  # the parent alone, as the out-of-memory killer would
    # The pipe closes only when every worker holding it has exited.
    _, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert err.decode() == ""
    assert 0 < len(list(out.iterdir())) < 400
