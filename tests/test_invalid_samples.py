"""samples/invalid: bad credential records, each named for the code `build` refuses it with.

A file is named ``<CODE>--<slug>.<json|xml>``.  INPUT-* files must not load at all
(:class:`InputError` with that code); every other file loads and `build` refuses it with
that code among its errors.  Each rule file is the valid base record with exactly the
one thing its slug names changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ictb import build, policy, records
from ictb.errors import InputError
from tests import factories as fx

INVALID = Path(__file__).resolve().parents[1] / "samples" / "invalid"
SAMPLES = sorted(p for p in INVALID.iterdir() if p.is_file()) if INVALID.is_dir() else []

# What the samples must cover (the brief's list; ICTB-008 comes from the command line).
REQUIRED_CODES = {
    *(f"ICTB-{n:03d}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 32)),
    "RED-020",
}
REQUIRED_INPUT = {
    "INPUT-001--malformed.json",
    "INPUT-001--empty.json",
    "INPUT-001--malformed.xml",
    "INPUT-002--doctype-entity.xml",
    "INPUT-004--unknown-field.json",
    "INPUT-004--wrong-date.json",
    "INPUT-004--bad-enum.xml",
}


def expected_code(path: Path) -> str:
    return path.name.split("--", 1)[0]


def run_build(path: Path) -> build.BuildResult:
    record = records.load(path)
    return build.build(
        record,
        fx.assignment(),
        issued_on=fx.AS_OF,
        policy=policy.default(),
        source=str(path),
    )


def test_folder_has_the_samples() -> None:
    assert len(SAMPLES) >= 20
    names = {p.name for p in SAMPLES}
    assert REQUIRED_INPUT <= names
    assert REQUIRED_CODES <= {expected_code(p) for p in SAMPLES}
    assert any(expected_code(p) == "ICTB-004" and p.suffix == ".xml" for p in SAMPLES), (
        "ICTB-004 needs an XML sample"
    )
    for path in SAMPLES:
        assert "--" in path.name and path.suffix in (".json", ".xml"), path.name


def test_valid_base_builds_in_both_forms() -> None:
    # The samples are this record with one thing changed; the base itself must pass.
    base = fx.complete_record()
    for name, data in (
        ("base.json", records.to_json_text(base).encode("utf-8")),
        ("base.xml", records.to_xml_bytes(base)),
    ):
        record = records.load(name, data)
        assert record == base
        result = build.build(
            record, fx.assignment(), issued_on=fx.AS_OF, policy=policy.default(), source=name
        )
        assert result.report.findings == (), name
        assert result.xml is not None


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_invalid_sample(path: Path) -> None:
    code = expected_code(path)
    if code.startswith("INPUT-"):
        with pytest.raises(InputError) as info:
            records.load(path)
        error = info.value
        assert error.code == code, str(error)
        text = str(error)
        assert text.startswith(str(path))
        assert "\n" not in text and "\r" not in text
        assert "Traceback" not in text
        if path.suffix == ".json" and path.stat().st_size > 0 and code == "INPUT-001":
            # a JSON syntax error is located on the line the JSON parser points at
            with pytest.raises(json.JSONDecodeError) as syntax:
                json.loads(path.read_text("utf-8"))
            assert error.line == syntax.value.lineno
            assert f":{error.line}: " in text
        return
    result = run_build(path)
    errors = [f.code for f in result.report.errors]
    assert result.xml is None and result.brief is None, path.name
    assert code in errors, (path.name, [(f.code, f.message) for f in result.report.findings])


@pytest.mark.parametrize(
    "path",
    [p for p in SAMPLES if p.suffix == ".json" and not expected_code(p).startswith("INPUT-")],
    ids=lambda p: p.name,
)
def test_json_samples_hold_invented_identifiers(path: Path) -> None:
    # SSNs in the never-assigned 900 range, so no real person's number is in the repo.
    provider = json.loads(path.read_text("utf-8"))["provider"]
    if "ssn" in provider:
        assert provider["ssn"].startswith("9")
