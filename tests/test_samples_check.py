"""The check scenarios in samples/check/README.md give the verdicts it states."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES

ICTBS = SAMPLES / "ictbs"
CONTEXT = SAMPLES / "check"


def one(pattern: str) -> Path:
    (found,) = sorted(ICTBS.glob(pattern))
    return found


SCENARIOS = [
    (
        "01-*W1HTAA.ictb.xml",
        ["--grant", CONTEXT / "gaining-grant-01.xml"],
        "2026-11-22",
        "valid",
        {"ICTB-024", "ICTB-034"},
    ),
    ("12-*.ictb.xml", [], "2026-11-22", "needs review", {"ICTB-027"}),
    (
        "12-*.ictb.xml",
        ["--confirmations", CONTEXT / "renewal-confirmations.json"],
        "2026-11-22",
        "valid",
        {"ICTB-028"},
    ),
    (
        "12-*.ictb.xml",
        ["--confirmations", CONTEXT / "provider-says-renewed.json"],
        "2026-11-22",
        "needs review",
        {"ICTB-027", "ICTB-029"},
    ),
    (
        "12-*.ictb.xml",
        ["--record", CONTEXT / "12-record-with-summary-suspension.json"],
        "2026-12-28",
        "invalid",
        {"ICTB-030", "ICTB-031"},
    ),
    (
        "10-*.ictb.xml",
        ["--period", "2026-12-10..2026-12-20"],
        "2026-11-22",
        "invalid",
        {"ICTB-021"},
    ),
    ("08-*N00183.ictb.xml", [], "2026-11-22", "needs review", {"ICTB-015"}),
    ("05-*.ictb.xml", [], "2026-11-22", "needs review", {"ICTB-016", "ICTB-017"}),
]


@pytest.mark.parametrize(
    ("pattern", "extra", "as_of", "verdict", "codes"),
    SCENARIOS,
    ids=[
        "grant",
        "bls-expired",
        "confirmed",
        "provider-word",
        "suspension",
        "past-expiry",
        "manual-entry",
        "npdb-report",
    ],
)
def test_scenario(
    run_cli, pattern: str, extra: list, as_of: str, verdict: str, codes: set[str]
) -> None:
    result = run_cli("check", one(pattern), *extra, "--as-of", as_of, "--format", "json")
    (document,) = result.json()["documents"]
    assert document["verdict"] == verdict
    assert codes <= {f["code"] for f in document["findings"]}
    assert result.exit_code == (1 if verdict == "invalid" else 0)


def test_every_sample_ictb_is_valid_or_needs_review_on_its_issue_day(run_cli) -> None:
    result = run_cli("check", ICTBS, "--as-of", "2026-11-22", "--format", "json")
    assert result.exit_code == 0
    documents = result.json()["documents"]
    assert len(documents) == len(list(ICTBS.glob("*.ictb.xml"))) >= 15
    assert {d["verdict"] for d in documents} <= {"valid", "needs review"}
