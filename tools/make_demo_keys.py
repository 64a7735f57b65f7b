"""Regenerate the demonstration keys in keys/ (demo only: the passphrase is public).

    .venv/bin/python tools/make_demo_keys.py               # a new CA, signer and trust store
    .venv/bin/python tools/make_demo_keys.py --reencrypt   # the same keys, encrypted anew

Writes the demo CA, a demo signing key and certificate for Naval Medical Center San
Diego, and the demo trust store.  Tests make their own keys; nothing real uses these.
``--reencrypt`` keeps the keys and certificates (so the signed samples still verify) and
only writes the two private keys again, encrypted as ``ictb.keys.encrypted_pkcs8``
encrypts a new key.  Private keys are written with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ictb import keys
from ictb.outputs import atomic_write

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
PASSPHRASE = b"ictb-demo-only-not-a-secret"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def reencrypt() -> int:
    for name in ("demo-ca.key.pem", "demo-signer.key.pem"):
        path = KEYS / name
        path.chmod(0o600)  # a fresh checkout leaves it readable by all
        key = keys.load_private_key(path, PASSPHRASE)
        atomic_write(path, keys.encrypted_pkcs8(key, PASSPHRASE), overwrite=True, mode=0o600)
        print(f"re-encrypted keys/{name}")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--reencrypt"]:
        return reencrypt()
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    KEYS.mkdir(exist_ok=True)
    (KEYS / "demo-trust").mkdir(exist_ok=True)
    atomic_write(KEYS / "demo-passphrase.txt", PASSPHRASE + b"\n", overwrite=True)
    ca_key = keys.generate_key()
    ca = keys.make_ca(ca_key, "ICTB Demo CA", not_before=START, days=3650)
    signer_key = keys.generate_key()
    signer = keys.issue_signer_certificate(
        ca_key,
        ca,
        signer_key.public_key(),
        common="RDML Cordelia F. Umberhaven, MC, USN",
        facility_name="Naval Medical Center San Diego",
        facility_id="N00259",
        role="MTF Commander",
        not_before=START,
        days=3650,
    )
    writes = {
        "demo-ca.key.pem": (keys.encrypted_pkcs8(ca_key, PASSPHRASE), 0o600),
        "demo-ca.pem": (keys.pem(ca), 0o644),
        "demo-trust/demo-ca.pem": (keys.pem(ca), 0o644),
        "demo-signer.key.pem": (keys.encrypted_pkcs8(signer_key, PASSPHRASE), 0o600),
        "demo-signer.pem": (keys.pem(signer), 0o644),
    }
    for name, (data, mode) in writes.items():
        atomic_write(KEYS / name, data, overwrite=True, mode=mode)
        print(f"wrote keys/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
