"""Shared fixtures: run the CLI in-process and capture what a user would see."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from ictb.cli import main
from ictb.clock import Clock, FixedClock
from tests import pki

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@dataclasses.dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


# Every CLI run in the tests reads this clock, never the real one: the day the samples
# and the test PKI are written for.
PINNED_CLOCK = FixedClock(pki.SIGNED_AT)


class CliRunner:
    """Run ``ictb ARGS`` through the real entry point, with its exit-code mapping.

    ``clock`` is what the run reads as today and now; a test may set another.
    """

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.clock: Clock = PINNED_CLOCK

    def __call__(self, *args: str | Path) -> CliResult:
        self.capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args], clock=self.clock)
        out, err = self.capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 0, out, err)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    return CliRunner(capsys)


@pytest.fixture(scope="session")
def signer_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """A Naval Medical Center San Diego signer of a fresh test PKI: its key file, its
    certificate, the key's passphrase file, and the CA certificate to trust."""
    folder = tmp_path_factory.mktemp("keys")
    test_pki = pki.make_pki()
    key, cert = test_pki.signer().write(folder)
    passphrase = folder / "passphrase"
    passphrase.write_bytes(pki.PASSPHRASE)
    return key, cert, passphrase, test_pki.trust_file(folder)


@pytest.fixture(autouse=True, scope="session")
def demo_keys_owner_only() -> None:
    """keys/ as a fresh checkout leaves it (git keeps no mode) is readable by all, and
    ictb refuses such a key file: give the demo keys mode 0600, as ``ictb demo`` does."""
    from ictb.demo import protect_demo_keys

    protect_demo_keys(ROOT / "keys")
