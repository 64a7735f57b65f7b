"""Configuration files: read as plain JSON, validated against the packaged JSON Schemas.

The policy and the redaction profiles are checked from the command line in
``test_policy.py`` and ``test_redaction.py``; here, the module that reads them all.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ictb import jsonconfig, policy, redaction
from ictb.errors import EXIT_CANNOT_EVALUATE, ConfigError, MissingInputError

SCHEMAS = {
    jsonconfig.POLICY: "data/policy.json",
    jsonconfig.REDACTION_PROFILES: "data/redaction-profiles.json",
}


def packaged_json(resource: str) -> Any:
    return json.loads(resources.files("ictb").joinpath(resource).read_text("utf-8"))


# ---------------------------------------------------------------- the packaged files


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_a_draft_2020_12_schema(name: str) -> None:
    schema = jsonconfig.schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_schema_in_the_package_is_used() -> None:
    folder = resources.files("ictb").joinpath("data/schemas")
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".schema.json")}
    assert shipped == {f"{name}.schema.json" for name in SCHEMAS}


@pytest.mark.parametrize(("name", "resource"), sorted(SCHEMAS.items()))
def test_each_packaged_file_fits_its_schema(name: str, resource: str) -> None:
    assert list(jsonconfig.validator(name).iter_errors(packaged_json(resource))) == []
    assert jsonconfig.packaged(resource, what="file") == packaged_json(resource)


def test_the_policy_schema_names_every_policy_parameter() -> None:
    schema = jsonconfig.schema(jsonconfig.POLICY)
    parameters = set(policy.Policy.__dataclass_fields__)
    assert set(schema["required"]) == parameters
    assert set(schema["properties"]) == parameters | {"$schema", "policy_format"}


def test_the_packaged_defaults_are_read_once() -> None:
    assert policy.default() is policy.default()
    assert redaction._catalog() is redaction._catalog()


def test_a_packaged_file_that_does_not_fit_is_a_config_error() -> None:
    broken = {**packaged_json("data/policy.json"), "abeyance_max_days": "thirty"}
    with pytest.raises(ConfigError) as error:
        jsonconfig.validate(broken, jsonconfig.POLICY, "ictb/data/policy.json", what="policy")
    assert error.value.exit_code == EXIT_CANNOT_EVALUATE
    assert str(error.value) == (
        "ictb/data/policy.json: policy does not fit policy.schema.json: "
        "$.abeyance_max_days: must be an integer"
    )


def test_a_policy_file_may_name_its_schema(tmp_path: Path) -> None:
    raw = {"$schema": "ictb/data/schemas/policy.schema.json", **packaged_json("data/policy.json")}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(raw), "utf-8")
    assert policy.load(path) == policy.default()


# ---------------------------------------------------------------- reading


def load(tmp_path: Path, content: str | bytes) -> Any:
    path = tmp_path / "config.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return jsonconfig.load(path, jsonconfig.REDACTION_PROFILES, what="profile file")


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('{\n "profiles": {},\n "profiles": {}\n}', 'duplicate key "profiles"', 3),
        ('{\n "categories": {\n  "a": {"fields": ["x"], "fields": ["y"]}}}', "duplicate key", 3),
        ('{\n "profile_format": NaN\n}', "NaN is not a JSON number", 2),
        ('{\n "profile_format": -Infinity\n}', "-Infinity is not a JSON number", 2),
        ('{"x": "NaN",\n "profile_format": Infinity}', "Infinity is not a JSON number", 2),
        ('{\n\n "profile_format": 1' + "0" * 200 + "}", "longer than 100 digits", 3),
        ('{\n "profile_format": 1e400}', "a number too large", 2),
        ('{\n "profiles": {,}\n}', "not valid JSON: Expecting property name", 2),
        (b'{\n "profiles": {"\xff": 1}}', "not UTF-8", 2),
        ("", "empty", None),
        ("[" * 33 + "]" * 33, "nested more than 32 levels deep", None),
        ("[" * 100_000, "nested too deeply", None),
    ],
    ids=[
        "duplicate",
        "nested-duplicate",
        "nan",
        "minus-infinity",
        "infinity-after-a-string",
        "long-number",
        "huge-float",
        "syntax",
        "latin-1",
        "empty",
        "deep",
        "very-deep",
    ],
)
def test_what_is_not_plain_json_is_refused_at_its_line(
    tmp_path: Path, content: str | bytes, message: str, line: int | None
) -> None:
    with pytest.raises(ConfigError) as error:
        load(tmp_path, content)
    assert error.value.message.startswith("cannot read profile file: ")
    assert message in error.value.message
    assert error.value.line == line
    assert error.value.exit_code == EXIT_CANNOT_EVALUATE


def test_a_file_past_the_size_limit_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="larger than 1024 KiB"):
        load(tmp_path, "{}" + " " * jsonconfig.MAX_BYTES)


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    assert load(tmp_path, "\ufeff{}".encode()) == {}


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="no such profile file") as error:
        jsonconfig.load(tmp_path / "absent.json", "policy", what="profile file")
    assert error.value.exit_code == EXIT_CANNOT_EVALUATE


# ---------------------------------------------------------------- what a schema error says


WITHHOLD_ITEM = '{\n "profiles": {\n  "m": {"withhold": [\n   "ssn", 5]}}}'
UNKNOWN_KEY = '{\n "profiles": {\n  "m": {\n   "withhold": []\n,  "x": 1}}}'


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (WITHHOLD_ITEM, "$.profiles.m.withhold[1]: must be a string", 4),
        (UNKNOWN_KEY, '$.profiles.m: unknown keys: "x"', 5),
        ('{\n "categories": {\n  "a b": {"fields": ["x"]}}}', '$.categories: key "a b"', 3),
        ('{"categories": {"\u00e9": {\n"fields": []}}}', 'key "\\u00e9" is not a valid', 1),
        ('{"categories": {"e": {\n"fields": []}}}', "$.categories.e.fields: must have", 2),
        ("[]", "$: must be a JSON object", 1),
    ],
)
def test_a_schema_error_names_the_json_path_and_line(
    tmp_path: Path, content: str, message: str, line: int
) -> None:
    with pytest.raises(ConfigError) as error:
        load(tmp_path, content)
    assert error.value.message.startswith(
        "profile file does not fit redaction-profiles.schema.json: "
    )
    assert message in error.value.message
    assert error.value.line == line


def test_a_schema_error_never_echoes_the_value(tmp_path: Path) -> None:
    value = "v" * 5000
    content = {"profiles": {"m": {"withhold": ["ssn"], "description": [value]}}}
    with pytest.raises(ConfigError) as error:
        load(tmp_path, json.dumps(content))
    assert "vvvv" not in str(error.value) and len(str(error.value)) < 300
    unknown = {"k" * 500: 1, "profiles": {}}
    with pytest.raises(ConfigError) as error:
        load(tmp_path, json.dumps(unknown))
    assert "k" * 50 not in str(error.value) and "unknown keys" in str(error.value)


def test_several_problems_are_counted(tmp_path: Path) -> None:
    content = {"profiles": {"a": {}, "b": {"withhold": "x"}}, "colour": 1}
    with pytest.raises(ConfigError) as error:
        load(tmp_path, json.dumps(content))
    assert error.value.message.endswith("(and 2 more)")


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ((), "$"),
        (("expiry_warning_days", 0), "$.expiry_warning_days[0]"),
        (("profiles", "host-nation", "withhold"), "$.profiles.host-nation.withhold"),
        (("a b",), '$["a b"]'),
        (("x" * 60,), '$["' + "x" * 35 + '..."]'),
    ],
)
def test_json_path(parts: tuple[str | int, ...], path: str) -> None:
    assert jsonconfig.json_path(parts) == path


def test_positions_follow_keys_and_items() -> None:
    text = '{\n "a": [\n  1,\n  {"b": "}"},\n  [2]\n ],\n "c": "x"\n}'
    found = {path: line for path, _, line, _ in jsonconfig.positions(text)}
    assert found[()] == 1
    assert found[("a",)] == 2
    assert found[("a", 0)] == 3
    assert found[("a", 1)] == 4 and found[("a", 1, "b")] == 4
    assert found[("a", 2)] == 5 and found[("a", 2, 0)] == 5
    assert found[("c",)] == 7
