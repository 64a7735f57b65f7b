"""The document schemas (``xsd/``) and their JSON form: what they take, and how they say
what they do not take."""

from __future__ import annotations

import json
import re

import pytest

from ictb import detailee, ictb_xml, mission, records, schema
from ictb.errors import InputError
from tests.conftest import SAMPLES

# Dates xs:date takes and the code could not read: a time zone, a sign, a fifth digit;
# and ones xs:date itself refuses.  Each must be a schema violation (INPUT-004).
ODD_DATES = [
    "2026-12-07Z",
    "2026-12-07+14:00",
    "2026-12-07-05:00",
    "-0001-01-01",
    "10000-01-01",
    "0000-01-01",
    "2026-02-30",
    "2026-W49-1",
    "202020202020-10-19",  # a year too large even for the schema library
]

RECORD_JSON = SAMPLES / "records" / "01-physician-cardiology-fellowship.json"
ICTB = SAMPLES / "ictbs" / "12-pediatrician-bls-expired--N68094.ictb.xml"


def refused(parse, raw: bytes) -> InputError:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        parse(raw, "doc")
    return caught.value


def assert_date_refusal(error: InputError, value: str) -> None:
    assert error.code == "INPUT-004"
    assert "YYYY-MM-DD" in error.message
    assert value not in error.message


def parse_record(raw: bytes, source: str) -> object:
    return records.from_element(records.parse(raw, source))


def parse_ictb(raw: bytes, source: str) -> object:
    return ictb_xml.from_element(ictb_xml.parse(raw, source))


def parse_detailee(raw: bytes, source: str) -> object:
    return schema.parse_document(raw, source, detailee.XSD, detailee.NS, detailee.ROOT)


def parse_mission(raw: bytes, source: str) -> object:
    return schema.parse_document(raw, source, mission.XSD, mission.NS, mission.ROOT)


def parse_confirmations(raw: bytes, source: str) -> object:
    return schema.parse_document(
        raw, source, schema.CONTEXT_XSD, schema.CONTEXT_NS, "renewal_confirmations"
    )


def replace_first_date(raw: bytes, value: str) -> bytes:
    """The document with its first YYYY-MM-DD value (XML text or JSON string) replaced."""
    text = raw.decode("utf-8")
    found = re.search(r'(>|")(\d{4}-\d{2}-\d{2})(<|")', text)
    assert found is not None
    return (text[: found.start(2)] + value + text[found.end(2) :]).encode("utf-8")


DOCUMENTS = [
    pytest.param(parse_record, RECORD_JSON, id="record-json"),
    pytest.param(
        parse_record, SAMPLES / "records" / "03-crna-nurse-anesthetist.xml", id="record-xml"
    ),
    pytest.param(parse_ictb, ICTB, id="ictb"),
    pytest.param(
        parse_detailee, SAMPLES / "detailee" / "03-cbp-contract-emt.json", id="packet-json"
    ),
    pytest.param(
        parse_detailee,
        SAMPLES / "detailee" / "01-ice-usphs-nurse-practitioner.xml",
        id="packet-xml",
    ),
    pytest.param(parse_mission, SAMPLES / "mission" / "roster.json", id="mission-json"),
    pytest.param(parse_mission, SAMPLES / "mission" / "roster.xml", id="mission-xml"),
    pytest.param(
        parse_confirmations, SAMPLES / "check" / "renewal-confirmations.json", id="context-json"
    ),
]


@pytest.mark.parametrize("value", ODD_DATES)
@pytest.mark.parametrize(("parse", "path"), DOCUMENTS)
def test_a_date_not_of_the_form_yyyy_mm_dd_is_a_schema_violation(parse, path, value) -> None:  # type: ignore[no-untyped-def]
    error = refused(parse, replace_first_date(path.read_bytes(), value))
    assert_date_refusal(error, value)


@pytest.mark.parametrize(("parse", "path"), DOCUMENTS)
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", " 2026-12-07 "])
def test_dates_at_the_ends_of_the_calendar_are_dates(parse, path, value) -> None:  # type: ignore[no-untyped-def]
    parse(replace_first_date(path.read_bytes(), value), "doc")


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-22T24:00:00Z",
        "2026-11-22T14:30:00.1234567Z",
        "10000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "2026-11-22",
    ],
)
def test_a_signing_time_the_code_cannot_read_is_a_schema_violation(moment: str) -> None:
    raw = ICTB.read_bytes().replace(
        b"</signed_on>", b"</signed_on>\n      <signed_at>" + moment.encode() + b"</signed_at>", 1
    )
    assert b"<signed_at>" in raw
    error = refused(parse_ictb, raw)
    assert error.code == "INPUT-004" and "YYYY-MM-DDThh:mm:ss" in error.message
    assert moment not in error.message


def test_a_signing_time_with_a_zone_at_the_end_of_the_calendar_is_read_in_utc() -> None:
    raw = ICTB.read_bytes().replace(
        b"</signed_on>", b"</signed_on>\n      <signed_at>0001-01-01T00:00:00+14:00</signed_at>", 1
    )
    brief = parse_ictb(raw, "doc")
    signed_at = brief.certification.signed_at  # type: ignore[attr-defined]
    assert signed_at.utcoffset() is not None and signed_at.utcoffset().total_seconds() == 0
    assert signed_at.year == 1


@pytest.mark.parametrize("text", ["a\u0000b", "a\u001bb", "\ud800", "x\udcff", "\ufffe"])
@pytest.mark.parametrize(
    ("parse", "path", "field"),
    [
        pytest.param(parse_record, RECORD_JSON, ("provider", "rank"), id="record"),
        pytest.param(
            parse_detailee,
            SAMPLES / "detailee" / "03-cbp-contract-emt.json",
            ("serving_component",),
            id="packet",
        ),
        pytest.param(
            parse_mission, SAMPLES / "mission" / "roster.json", ("mission", "name"), id="mission"
        ),
        pytest.param(
            parse_confirmations,
            SAMPLES / "check" / "renewal-confirmations.json",
            ("confirmation", 0, "recorded_by"),
            id="context",
        ),
    ],
)
def test_json_text_no_xml_document_can_hold_is_a_schema_violation(  # type: ignore[no-untyped-def]
    parse, path, field, text: str
) -> None:
    doc = json.loads(path.read_bytes())
    target = doc
    for step in field[:-1]:
        target = target[step]
    target[field[-1]] = text
    # ensure_ascii writes "\u0000" and "\ud800" escapes, as a JSON file would hold them
    error = refused(parse, json.dumps(doc, indent=2).encode())
    assert error.code == "INPUT-004"
    assert "no document can hold" in error.message
    assert f"$.{'.'.join(str(s) for s in field)}".replace(".0.", "[0].") in error.message
    assert error.line is not None and error.line > 1


def test_a_json_key_no_xml_document_can_hold_is_a_schema_violation() -> None:
    doc = json.loads(RECORD_JSON.read_bytes())
    doc["provider"]["\u0007bell"] = "x"
    error = refused(parse_record, json.dumps(doc).encode())
    assert error.code == "INPUT-004" and "a key with a control character" in error.message
