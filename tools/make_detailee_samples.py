"""Regenerate the signed ICTB that the FEMA detailee sample references (demo keys only).

    /tmp/venv/bin/python tools/make_detailee_samples.py

Signs ``samples/ictbs/12-pediatrician-bls-expired--N68094.ictb.xml`` (Naval Medical
Center San Diego, N00259) with the demo signer in ``keys/`` at a fixed signing time and
writes ``samples/detailee/02-fema-dod-physician.signed.ictb.xml``.  ECDSA signatures are
randomized, so the bytes differ on every run; the content and the verdict do not.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ictb import ictb_xml, keys, policy, signing
from ictb.demo import protect_demo_keys
from ictb.outputs import atomic_write

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
SOURCE = ROOT / "samples" / "ictbs" / "12-pediatrician-bls-expired--N68094.ictb.xml"
TARGET = ROOT / "samples" / "detailee" / "02-fema-dod-physician.signed.ictb.xml"
SIGNED_AT = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def main() -> int:
    protect_demo_keys(KEYS)  # a fresh checkout leaves them readable by all
    passphrase = (KEYS / "demo-passphrase.txt").read_bytes().splitlines()[0]
    material = keys.load_signing_material(
        KEYS / "demo-signer.key.pem", KEYS / "demo-signer.pem", None, passphrase
    )
    result = signing.sign(
        ictb_xml.load(SOURCE),
        str(SOURCE),
        material,
        signed_at=SIGNED_AT,
        policy=policy.default(),
    )
    if result.xml is None:
        for found in result.report.errors:
            print(f"{found.code}: {found.message}", file=sys.stderr)
        return 1
    atomic_write(TARGET, result.xml, overwrite=True)
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
