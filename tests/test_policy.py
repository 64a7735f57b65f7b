"""Rule parameters are data: the packaged policy, and a Service's stricter one."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ictb import policy, records, rules
from ictb.errors import IctbError
from tests import factories
from tests.test_cli_build import ASSIGN


def write_policy(path: Path, **changes: object) -> Path:
    raw = json.loads((Path(policy.__file__).parent / "data" / "policy.json").read_text("utf-8"))
    raw.update(changes)
    path.write_text(json.dumps(raw), "utf-8")
    return path


def test_the_packaged_policy_holds_the_manuals_numbers() -> None:
    default = policy.default()
    assert default.privilege_max_months == 24
    assert default.temporary_max_days == 30
    assert default.appointment_lapse_max_days == 180
    assert default.expiry_warning_days == (30, 60, 90)
    assert default.is_certifying_role("MTF Commander")
    assert default.is_certifying_role("  acting   commander ")
    assert not default.is_certifying_role("Chief of Medical Staff")


def test_a_stricter_service_policy_changes_the_rules_without_code(tmp_path: Path) -> None:
    strict = policy.load(write_policy(tmp_path / "navy.json", privilege_max_months=12))
    record = factories.complete_record()  # regular privileges 2025-07-01..2027-06-30
    brief = factories.build_brief(record)

    def codes(p: policy.Policy) -> list[str]:
        ctx = rules.Context(brief=brief, as_of=factories.AS_OF, policy=p, record=record)
        return [f.code for f in rules.evaluate(ctx, {"PRIV-003"})]

    assert codes(policy.default()) == []
    assert codes(strict) == ["PRIV-003"]


def test_check_and_build_take_a_policy_file(tmp_path: Path, run_cli) -> None:
    record_path = tmp_path / "r.json"
    record_path.write_text(records.to_json_text(factories.complete_record()), "utf-8")
    strict = write_policy(tmp_path / "strict.json", privilege_max_months=12)
    refused = run_cli("build", record_path, *ASSIGN, "--out-dir", tmp_path, "--policy", strict)
    assert refused.exit_code == 1 and "PRIV-003" in refused.stdout
    built = run_cli("build", record_path, *ASSIGN, "--out-dir", tmp_path)
    assert built.exit_code == 0
    ictb = tmp_path / "r--N00183.ictb.xml"
    assert run_cli("check", ictb, "--as-of", "2026-11-22").exit_code == 0
    checked = run_cli("check", ictb, "--as-of", "2026-11-22", "--policy", strict)
    assert checked.exit_code == 1 and "PRIV-003" in checked.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"privilege_max_months": 24}', "missing keys"),
        (None, "unknown keys"),
        ("{not json", "cannot read policy file"),
        ("[1, 2]", "JSON object"),
        ("zero", "positive whole number"),
    ],
    ids=["missing-keys", "unknown-key", "malformed", "not-an-object", "zero-months"],
)
def test_bad_policy_files_are_one_clear_error(
    tmp_path: Path, run_cli, content: str | None, expected: str
) -> None:
    path = tmp_path / "policy.json"
    if content is None:
        write_policy(path, shoe_size=9)
    elif content == "zero":
        write_policy(path, temporary_max_days=0)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(IctbError) as error:
        policy.load(path)
    assert expected in str(error.value)
    record_path = tmp_path / "r.json"
    record_path.write_text(records.to_json_text(factories.complete_record()), "utf-8")
    result = run_cli("build", record_path, *ASSIGN, "--out-dir", tmp_path, "--policy", path)
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ictb: error:")


def test_a_missing_policy_file_cannot_be_evaluated(tmp_path: Path) -> None:
    with pytest.raises(IctbError, match="no such file"):
        policy.load(tmp_path / "nope.json")


def test_policy_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.default().privilege_max_months = 36  # type: ignore[misc]
