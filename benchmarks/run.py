"""Throughput of ictb's batch commands, as ratios to the primitives beneath them.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/run.py [--n 2000] [--json results.json]

Measures, in one run, on the same generated documents:

* ictb build+sign, sign, verify (full and signature-only) and redact throughput, in
  documents per second, with 1 worker and with 2, through the real command line;
* two references written here: a bare ``signxml`` sign / verify loop, and a minimal
  lxml + cryptography pipeline (parse, validate, exclusive C14N, SHA-256, ECDSA);
* ``ictb --help`` wall time against ``python -c "import click"``;
* peak memory of ``ictb verify`` over 100 and over 10,000 documents.

It prints a table and writes the same numbers as JSON.  Nothing here is asserted: the
targets are reported as ratios for people to read.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree

from ictb import keys, records, schema
from ictb.model import PersonName

ROOT = Path(__file__).resolve().parents[1]
ICTB = [sys.executable, "-m", "ictb"]
PASSPHRASE = b"benchmark passphrase"
AS_OF = dt.date(2026, 11, 22)
SIGNED_AT = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


# ---------------------------------------------------------------- the documents


def synthetic_records(n: int, folder: Path) -> None:
    """N distinct records from a sample, each with its own name and identifiers."""
    base = records.load(ROOT / "samples" / "records" / "01-physician-cardiology-fellowship.json")
    folder.mkdir(parents=True)
    for i in range(n):
        provider = dataclasses.replace(
            base.provider,
            name=PersonName(given=f"Given{i:05d}", family=f"Family{i:05d}"),
            ssn=f"9{i % 100:02d}-{(i // 100) % 99 + 1:02d}-{i % 9999 + 1:04d}",
        )
        record = dataclasses.replace(base, provider=provider, record_id=f"BENCH-{i:05d}")
        (folder / f"r{i:05d}.json").write_text(records.to_json_text(record), "utf-8")


def make_pki(folder: Path) -> tuple[Path, Path, Path, Path, keys.SigningMaterial]:
    ca_key = keys.generate_key()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ca = keys.make_ca(ca_key, "Benchmark CA", not_before=start, days=3650)
    key = keys.generate_key()
    cert = keys.issue_signer_certificate(
        ca_key,
        ca,
        key.public_key(),
        common="Benchmark Commander",
        facility_name="Brooke Army Medical Center",
        facility_id="W4QXAA",
        role="MTF Commander",
        not_before=start,
        days=3650,
    )
    key_path, cert_path = folder / "signer.key.pem", folder / "signer.pem"
    key_path.write_bytes(keys.encrypted_pkcs8(key, PASSPHRASE))
    key_path.chmod(0o600)  # ictb refuses a private key file others may read
    cert_path.write_bytes(keys.pem(cert))
    (folder / "trust.pem").write_bytes(keys.pem(ca))
    (folder / "passphrase").write_bytes(PASSPHRASE)
    return (
        key_path,
        cert_path,
        folder / "passphrase",
        folder / "trust.pem",
        keys.SigningMaterial(key, cert),
    )


# ---------------------------------------------------------------- timing


def run(args: list[str | Path], **kwargs: Any) -> float:
    """Wall time of one command, its output discarded."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(a) for a in args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        **kwargs,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args[:4]} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def peak_kib(args: list[str | Path]) -> int:
    """Peak resident memory of a command and its workers (the largest one), in KiB."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *map(str, args)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def median_time(args: list[str], repeat: int) -> float:
    return statistics.median(run(list(args)) for _ in range(repeat))


# ---------------------------------------------------------------- references


def signxml_loop(
    unsigned: list[bytes], material: keys.SigningMaterial
) -> tuple[float, float, list[bytes]]:
    from signxml import SignatureMethod, XMLSigner, XMLVerifier  # type: ignore[import-untyped]

    cert_pem = keys.pem(material.certificate)
    key_pem = material.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    start = time.perf_counter()
    signed = [
        etree.tostring(signer.sign(etree.fromstring(doc), key=key_pem, cert=cert_pem))  # noqa: TID251
        for doc in unsigned
    ]
    sign_rate = len(unsigned) / (time.perf_counter() - start)
    verifier = XMLVerifier()
    start = time.perf_counter()
    for doc in signed:
        verifier.verify(doc, x509_cert=cert_pem)
    verify_rate = len(unsigned) / (time.perf_counter() - start)
    return sign_rate, verify_rate, signed


def minimal_pipeline(unsigned: list[bytes], material: keys.SigningMaterial) -> tuple[float, float]:
    """Parse, validate, exclusive C14N of the brief, SHA-256, ECDSA: nothing else."""
    xsd = schema.compiled(schema.ICTB_XSD)
    key = material.key
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    public = key.public_key()
    algorithm = ec.ECDSA(hashes.SHA256())
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    start = time.perf_counter()
    signatures = []
    for doc in unsigned:
        root = etree.fromstring(doc, parser)  # noqa: TID251
        xsd.assertValid(root)
        digest = hashlib.sha256(etree.tostring(root[0], method="c14n", exclusive=True)).digest()
        signatures.append(key.sign(digest, algorithm))
    sign_rate = len(unsigned) / (time.perf_counter() - start)
    start = time.perf_counter()
    for doc, signature in zip(unsigned, signatures, strict=True):
        root = etree.fromstring(doc, parser)  # noqa: TID251
        xsd.assertValid(root)
        digest = hashlib.sha256(etree.tostring(root[0], method="c14n", exclusive=True)).digest()
        public.verify(signature, digest, algorithm)
    verify_rate = len(unsigned) / (time.perf_counter() - start)
    return sign_rate, verify_rate


# ---------------------------------------------------------------- the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="documents per batch")
    parser.add_argument("--memory-n", default="100,10000", help="batch sizes for peak memory")
    parser.add_argument("--json", type=Path, default=Path("benchmark-results.json"))
    options = parser.parse_args()
    n = options.n
    work = Path(tempfile.mkdtemp(prefix="ictb-bench-"))
    results: dict[str, Any] = {"n": n, "cores": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        key, cert, passphrase, trust, material = make_pki(work)
        synthetic_records(n, work / "records")
        common = [
            "--gaining-facility",
            "W1HTAA",
            "--purpose",
            "Benchmark coverage",
            "--period",
            "2026-12-07..2026-12-18",
            "--issued-on",
            AS_OF.isoformat(),
            "--format",
            "json",
        ]
        sign_args = [
            "--key",
            key,
            "--cert",
            cert,
            "--passphrase-file",
            passphrase,
            "--format",
            "json",
        ]
        rates: dict[str, dict[int, float]] = {}
        for jobs in (1, 2):
            built, signed, released = (
                work / f"built{jobs}",
                work / f"signed{jobs}",
                work / f"release{jobs}",
            )
            t_build = run(
                [*ICTB, "build", work / "records", *common, "--out-dir", built, "--jobs", jobs]
            )
            t_sign = run([*ICTB, "sign", built, *sign_args, "--out-dir", signed, "--jobs", jobs])
            t_verify = run(
                [
                    *ICTB,
                    "verify",
                    signed,
                    "--trust",
                    trust,
                    "--as-of",
                    AS_OF.isoformat(),
                    "--format",
                    "json",
                    "--jobs",
                    jobs,
                ]
            )
            t_sig_only = run(
                [
                    *ICTB,
                    "verify",
                    signed,
                    "--trust",
                    trust,
                    "--as-of",
                    AS_OF.isoformat(),
                    "--signature-only",
                    "--format",
                    "json",
                    "--jobs",
                    jobs,
                ]
            )
            t_redact = run(
                [
                    *ICTB,
                    "redact",
                    signed,
                    "--released-to",
                    "Honduras",
                    "--released-by",
                    "SMDR",
                    "--out-dir",
                    released,
                    "--format",
                    "json",
                    "--jobs",
                    jobs,
                ]
            )
            for name, seconds in (
                ("build+sign", t_build + t_sign),
                ("build", t_build),
                ("sign", t_sign),
                ("verify", t_verify),
                ("verify (signature only)", t_sig_only),
                ("redact", t_redact),
            ):
                rates.setdefault(name, {})[jobs] = n / seconds
        results["ictb_docs_per_second"] = {
            k: {str(j): round(v, 1) for j, v in d.items()} for k, d in rates.items()
        }
        unsigned = [p.read_bytes() for p in sorted((work / "built1").iterdir())]
        sx_sign, sx_verify, _ = signxml_loop(unsigned, material)
        mp_sign, mp_verify = minimal_pipeline(unsigned, material)
        results["references_docs_per_second"] = {
            "signxml sign": round(sx_sign, 1),
            "signxml verify": round(sx_verify, 1),
            "minimal sign": round(mp_sign, 1),
            "minimal verify": round(mp_verify, 1),
        }
        results["ratios"] = {
            "sign / signxml sign": rates["sign"][1] / sx_sign,
            "verify / signxml verify": rates["verify"][1] / sx_verify,
            "verify (signature only) / signxml verify": rates["verify (signature only)"][1]
            / sx_verify,
            "sign / minimal sign": rates["sign"][1] / mp_sign,
            "verify / minimal verify": rates["verify"][1] / mp_verify,
            "build+sign / minimal sign": rates["build+sign"][1] / mp_sign,
            "2 workers / 1 worker (sign)": rates["sign"][2] / rates["sign"][1],
            "2 workers / 1 worker (verify)": rates["verify"][2] / rates["verify"][1],
        }
        help_time = median_time([*ICTB[:1], "-m", "ictb", "--help"], 15)
        script = shutil.which("ictb") or str(Path(sys.executable).parent / "ictb")
        help_script = median_time([script, "--help"], 15)
        click_time = median_time([sys.executable, "-c", "import click"], 15)
        results["startup_seconds"] = {
            "ictb --help": round(help_script, 4),
            "python -m ictb --help": round(help_time, 4),
            "python -c 'import click'": round(click_time, 4),
        }
        results["ratios"]["ictb --help / import click"] = help_script / click_time
        memory = {}
        one = next((work / "signed1").iterdir())
        for size in (int(s) for s in options.memory_n.split(",")):
            folder = work / f"mem{size}"
            folder.mkdir()
            for i in range(size):
                os.link(one, folder / f"d{i:05d}.signed.ictb.xml")
            memory[str(size)] = peak_kib(
                [
                    *ICTB,
                    "verify",
                    folder,
                    "--trust",
                    trust,
                    "--as-of",
                    AS_OF.isoformat(),
                    "--format",
                    "json",
                    "--jobs",
                    "1",
                ]
            )
        results["peak_memory_kib"] = memory
        sizes = sorted(memory, key=int)
        results["ratios"][f"memory {sizes[-1]} / {sizes[0]}"] = memory[sizes[-1]] / memory[sizes[0]]
        results["ratios"] = {k: round(v, 3) for k, v in results["ratios"].items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    options.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"\nwritten to {options.json}")
    return 0


TARGETS = {
    "sign / signxml sign": 0.8,
    "verify / signxml verify": 0.8,
    "sign / minimal sign": 0.7,
    "verify / minimal verify": 0.7,
    "build+sign / minimal sign": 0.4,
    "2 workers / 1 worker (sign)": 1.8,
    "2 workers / 1 worker (verify)": 1.8,
}


def print_table(results: dict[str, Any]) -> None:
    print(
        f"ictb throughput, {results['n']} documents, {results['cores']} cores "
        f"(documents per second)"
    )
    print(f"  {'step':<26}{'1 worker':>12}{'2 workers':>12}")
    for name, rates in results["ictb_docs_per_second"].items():
        print(f"  {name:<26}{rates['1']:>12.1f}{rates['2']:>12.1f}")
    print("references (in-process, 1 core)")
    for name, rate in results["references_docs_per_second"].items():
        print(f"  {name:<26}{rate:>12.1f}")
    print("start-up (median seconds)")
    for name, seconds in results["startup_seconds"].items():
        print(f"  {name:<26}{seconds:>12.4f}")
    print("peak memory of ictb verify (KiB)")
    for size, kib in results["peak_memory_kib"].items():
        print(f"  {size + ' documents':<26}{kib:>12}")
    print("ratios (target in brackets)")
    for name, ratio in results["ratios"].items():
        target = TARGETS.get(name)
        note = f"  [>= {target}]" if target else ""
        if name.startswith("ictb --help"):
            note = "  [<= 1.3]"
        if name.startswith("memory"):
            note = "  [<= 1.2]"
        print(f"  {name:<44}{ratio:>8.3f}{note}")


if __name__ == "__main__":
    sys.exit(main())
