"""Rule parameters are data: the packaged policy, and a Service's stricter one."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictb import jsonconfig, policy, records, rules
from ictb.errors import ConfigError, IctbError, MissingInputError
from tests import factories
from tests.conftest import SAMPLES, CliResult
from tests.test_cli_build import ASSIGN

DEFAULT_POLICY = Path(policy.__file__).parent / "data" / "policy.json"


def write_policy(path: Path, **changes: object) -> Path:
    raw = json.loads(DEFAULT_POLICY.read_text("utf-8"))
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
    with pytest.raises(MissingInputError, match="no such policy file"):
        policy.load(tmp_path / "nope.json")


# ---------------------------------------------------------------- the schema, from the CLI

SAMPLE = SAMPLES / "ictbs" / "12-pediatrician-bls-expired--N68094.ictb.xml"
CHECK_ON = ("--as-of", "2026-11-22")


def assert_one_error_line(result: CliResult) -> str:
    """Exactly one ``ictb: error:`` line, and no traceback or internal error."""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ictb: error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"expiry_warning_days": ["thirty"]}, "$.expiry_warning_days[0]: must be an integer"),
        ({"temporary_max_days": 10**20}, "$.temporary_max_days: must be a positive whole number"),
        ({"privilege_max_months": 1201}, "$.privilege_max_months: must be a positive whole"),
        ({"current_competence_years": 101}, "at most 100"),
        ({"abeyance_max_days": 36501}, "at most 36500"),
        ({"certifying_roles": [1]}, "$.certifying_roles[0]: must be a string"),
        ({"certifying_roles": []}, "$.certifying_roles: must have at least 1 item"),
        ({"certifying_roles": "MTF Commander"}, "$.certifying_roles: must be an array"),
        ({"expiry_warning_days": [30, 30]}, "$.expiry_warning_days: must not name the same"),
        ({"expiry_warning_days": {"a": 30}}, "$.expiry_warning_days: must be an array"),
        ({"temporary_max_days": 30.5}, "$.temporary_max_days: must be an integer"),
        ({"temporary_max_days": 30.0}, "$.temporary_max_days: must be an integer"),
        ({"temporary_max_days": True}, "$.temporary_max_days: must be an integer"),
        ({"temporary_max_days": None}, "$.temporary_max_days: must be an integer"),
        ({"temporary_max_days": "30"}, "$.temporary_max_days: must be an integer"),
        ({"temporary_max_days": -1}, "$.temporary_max_days: must be a positive whole number"),
        ({"name": ""}, "$.name: must not be empty"),
        ({"name": ["DoDM"]}, "$.name: must be a string"),
        ({"policy_format": 2}, "$.policy_format: must be 1"),
        ({"shoe_size": 9}, '$: unknown keys: "shoe_size"'),
    ],
    ids=lambda v: json.dumps(v)[:40] if isinstance(v, dict) else None,
)
def test_a_policy_file_that_does_not_fit_its_schema(
    tmp_path: Path, run_cli, changes: dict[str, object], expected: str
) -> None:
    path = write_policy(tmp_path / "bad.json", **changes)
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", path)
    assert result.exit_code == 3
    line = assert_one_error_line(result)
    assert f"{path}:" in line and "policy.schema.json" in line and expected in line
    assert result.stdout == ""


def test_a_policy_error_names_the_line_of_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    raw = json.loads(DEFAULT_POLICY.read_text("utf-8"))
    raw["expiry_warning_days"] = [30, "sixty", 90]
    text = json.dumps(raw, indent=1)
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as error:
        policy.load(path)
    assert error.value.line == text[: text.index('"sixty"')].count("\n") + 1
    assert "$.expiry_warning_days[1]" in error.value.message


def test_a_policy_error_never_shows_the_value(tmp_path: Path, run_cli) -> None:
    secret = "Commander " + "x" * 300
    path = write_policy(tmp_path / "bad.json", name=secret, certifying_roles=[secret])
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", path)
    assert result.exit_code == 3
    line = assert_one_error_line(result)
    assert "xxxxxxxx" not in line and len(line) < 300


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"name": NaN}', "NaN is not a JSON number"),
        ('{"name": "a",\n "name": "b"}', 'duplicate key "name"'),
        ('{"temporary_max_days": 1' + "0" * 5000 + "}", "a number longer than 100 digits"),
        ('{"temporary_max_days": 1e999}', "a number too large"),
        ("[" * 50 + "]" * 50, "nested more than 32 levels deep"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("", "empty"),
    ],
    ids=["nan", "duplicate-key", "long-number", "infinite-float", "deep", "very-deep", "empty"],
)
def test_a_policy_file_that_is_not_plain_json(
    tmp_path: Path, run_cli, content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", path)
    assert result.exit_code == 3
    line = assert_one_error_line(result)
    assert "cannot read policy file" in line and expected in line


def test_a_policy_file_that_is_not_utf8_or_too_large(tmp_path: Path, run_cli) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{\n "name": "Dod\xe9"}')
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", latin)
    assert result.exit_code == 3 and "latin.json:2: " in assert_one_error_line(result)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (jsonconfig.MAX_BYTES + 1))
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", huge)
    assert result.exit_code == 3 and "larger than" in assert_one_error_line(result)


def test_a_policy_directory(tmp_path: Path) -> None:
    # (The command line refuses a directory for --policy before reading it: exit 2.)
    with pytest.raises(ConfigError, match="cannot read policy file: it is a directory"):
        policy.load(tmp_path)


def test_the_widest_policy_the_schema_allows_still_evaluates(tmp_path: Path, run_cli) -> None:
    widest = {
        name: {"days": 36500, "months": 1200, "years": 100}[kind]
        for name, kind in POLICY_NUMBERS.items()
    }
    path = write_policy(tmp_path / "wide.json", **widest, expiry_warning_days=[1, 36500])
    assert run_cli("check", SAMPLE, *CHECK_ON, "--policy", path).exit_code in (0, 1)
    narrowest = dict.fromkeys(POLICY_NUMBERS, 1)
    path = write_policy(tmp_path / "narrow.json", **narrowest, expiry_warning_days=[])
    assert run_cli("check", SAMPLE, *CHECK_ON, "--policy", path).exit_code in (0, 1)


# Every whole-number key of the policy and the kind of count it is.
POLICY_NUMBERS = {
    key: ref.rsplit("/", 1)[-1]
    for key, rule in jsonconfig.schema(jsonconfig.POLICY)["properties"].items()
    if (ref := rule.get("$ref"))
}

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([0, 1, 30, 36500, 36501, 10**20, -1])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    key=st.sampled_from(sorted(json.loads(DEFAULT_POLICY.read_text("utf-8")))),
    value=JSON_VALUES,
)
def test_no_policy_value_is_an_internal_error(
    tmp_path: Path, run_cli, key: str, value: object
) -> None:
    path = tmp_path / "random.json"
    raw = json.loads(DEFAULT_POLICY.read_text("utf-8"))
    raw[key] = value
    path.write_text(json.dumps(raw), "utf-8")  # NaN and Infinity written as JavaScript does
    result = run_cli("check", SAMPLE, *CHECK_ON, "--policy", path)
    assert result.exit_code in (0, 1, 3), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.exit_code == 3:
        assert_one_error_line(result)


def test_policy_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.default().privilege_max_months = 36  # type: ignore[misc]
