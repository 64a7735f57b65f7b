"""The documents that give ``check`` its context (``xsd/check-context.xsd``), JSON and XML.

Renewal confirmations, the sending MTF's distribution record and the gaining grant load
the same from either form; bad documents raise ``InputError`` at the line at fault.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictb import check_context
from ictb.errors import InputError, MissingInputError
from ictb.model import (
    CredentialKind,
    CredentialRef,
    Distribution,
    DistributionEntry,
    GainingGrant,
    NotGranted,
    NotGrantedReason,
    RenewalConfirmation,
    RenewalConfirmations,
)
from tests.conftest import SAMPLES

D = dt.date
CHECK = SAMPLES / "check"
NS = "urn:ictb:check-context:1"
ICTB_ID = "3f0c2b7e-6a41-4d8e-9c15-7b2d9e4a6f01"

CONFIRMATIONS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<renewal_confirmations xmlns="{NS}">
  <confirmation>
    <credential>
      <kind>life_support</kind>
      <title>Basic Life Support (BLS) Provider</title>
      <issuer>American Heart Association</issuer>
    </credential>
    <confirmed_with>Naval Medical Center San Diego, Medical Staff Services \
(credentials file holder)</confirmed_with>
    <with_is_file_holder>true</with_is_file_holder>
    <on>2026-11-20</on>
    <new_expires_on>2028-11-30</new_expires_on>
    <in_gaining_file>true</in_gaining_file>
    <recorded_by>Medical Staff Services, Naval Hospital Camp Pendleton</recorded_by>
  </confirmation>
</renewal_confirmations>
"""

PROVIDER_SAYS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<renewal_confirmations xmlns="{NS}">
  <confirmation>
    <credential>
      <kind>life_support</kind>
      <title>Basic Life Support (BLS) Provider</title>
    </credential>
    <confirmed_with>the provider (copy of a new card shown at in-processing)</confirmed_with>
    <with_is_file_holder>false</with_is_file_holder>
    <on>2026-11-20</on>
    <new_expires_on>2028-11-30</new_expires_on>
    <in_gaining_file>false</in_gaining_file>
  </confirmation>
</renewal_confirmations>
"""

GRANT_JSON = {
    "facility": "W1HTAA",
    "granted_on": "2026-12-04",
    "expires_on": "2027-02-12",
    "privilege": [
        "Internal medicine core privileges: evaluation and management of adult inpatients "
        "and outpatients",
        "Cardiovascular disease core privileges: consultation and management of adults with "
        "cardiovascular disease, including the coronary care unit",
        "Transthoracic echocardiography, performance and interpretation",
        "Exercise, pharmacologic and nuclear stress testing, supervision and interpretation",
    ],
    "not_granted": [
        {
            "item": "Diagnostic left and right heart catheterization and coronary angiography",
            "reason": "facility_limitation",
            "note": "The gaining facility has no cardiac catheterization laboratory.",
        }
    ],
}

DISTRIBUTION_JSON = {
    "sent": [
        {"ictb_id": ICTB_ID, "facility": "N00183", "sent_on": "2026-11-22"},
        {"ictb_id": "9a1d4c2e-0b7f-4e3a-8c6d-5f2e1b0a9c87", "facility": "N68094"},
    ]
}

DISTRIBUTION_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<distribution xmlns="{NS}">
  <sent>
    <ictb_id>{ICTB_ID}</ictb_id>
    <facility>N00183</facility>
    <sent_on>2026-11-22</sent_on>
  </sent>
  <sent>
    <ictb_id>9a1d4c2e-0b7f-4e3a-8c6d-5f2e1b0a9c87</ictb_id>
    <facility>N68094</facility>
  </sent>
</distribution>
"""


def write(path: Path, content: str | dict[str, Any]) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------- JSON and XML agree


def test_renewal_confirmations_json_and_xml(tmp_path: Path) -> None:
    from_json = check_context.load_confirmations(CHECK / "renewal-confirmations.json")
    from_xml = check_context.load_confirmations(write(tmp_path / "c.xml", CONFIRMATIONS_XML))
    assert from_json == from_xml
    assert from_json == RenewalConfirmations(
        confirmations=(
            RenewalConfirmation(
                credential=CredentialRef(
                    kind=CredentialKind.LIFE_SUPPORT,
                    title="Basic Life Support (BLS) Provider",
                    issuer="American Heart Association",
                ),
                confirmed_with=(
                    "Naval Medical Center San Diego, Medical Staff Services "
                    "(credentials file holder)"
                ),
                with_is_file_holder=True,
                on=D(2026, 11, 20),
                new_expires_on=D(2028, 11, 30),
                in_gaining_file=True,
                recorded_by="Medical Staff Services, Naval Hospital Camp Pendleton",
            ),
        )
    )


def test_provider_confirmation_json_and_xml(tmp_path: Path) -> None:
    from_json = check_context.load_confirmations(CHECK / "provider-says-renewed.json")
    from_xml = check_context.load_confirmations(write(tmp_path / "p.xml", PROVIDER_SAYS_XML))
    assert from_json == from_xml
    (conf,) = from_json.confirmations
    assert conf.with_is_file_holder is False and conf.in_gaining_file is False
    assert conf.credential.issuer is None and conf.ictb_id is None


def test_gaining_grant_xml_and_json(tmp_path: Path) -> None:
    from_xml = check_context.load_grant(CHECK / "gaining-grant-01.xml")
    from_json = check_context.load_grant(write(tmp_path / "g.json", GRANT_JSON))
    assert from_xml == from_json
    assert from_xml.facility == "W1HTAA"
    assert from_xml.granted_on == D(2026, 12, 4) and from_xml.expires_on == D(2027, 2, 12)
    assert len(from_xml.privileges) == 4
    assert (
        from_xml.privileges[2] == "Transthoracic echocardiography, performance and interpretation"
    )
    assert from_xml.not_granted == (
        NotGranted(
            item="Diagnostic left and right heart catheterization and coronary angiography",
            reason=NotGrantedReason.FACILITY_LIMITATION,
            note="The gaining facility has no cardiac catheterization laboratory.",
        ),
    )


def test_distribution_json_and_xml(tmp_path: Path) -> None:
    from_json = check_context.load_distribution(write(tmp_path / "d.json", DISTRIBUTION_JSON))
    from_xml = check_context.load_distribution(write(tmp_path / "d.xml", DISTRIBUTION_XML))
    assert (
        from_json
        == from_xml
        == Distribution(
            sent=(
                DistributionEntry(ictb_id=ICTB_ID, facility="N00183", sent_on=D(2026, 11, 22)),
                DistributionEntry(
                    ictb_id="9a1d4c2e-0b7f-4e3a-8c6d-5f2e1b0a9c87", facility="N68094"
                ),
            )
        )
    )


def test_empty_lists_load_as_empty(tmp_path: Path) -> None:
    assert check_context.load_distribution(write(tmp_path / "d.json", {"sent": []})) == (
        Distribution()
    )
    assert check_context.load_confirmations(write(tmp_path / "c.json", {})) == (
        RenewalConfirmations()
    )
    grant = check_context.load_grant(write(tmp_path / "g.json", {"facility": "N00183"}))
    assert grant == GainingGrant(facility="N00183")


# ---------------------------------------------------------------- bad documents

Loader = Callable[[Path], Any]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def assert_one_line(error: InputError, path: Path) -> None:
    text = str(error)
    assert text.startswith(str(path)) and "\n" not in text


CONFIRMATION_WITH_UNKNOWN_KEY = """{
  "confirmation": [
    {
      "credential": {"kind": "life_support"},
      "colour": "blue",
      "on": "2026-11-20"
    }
  ]
}
"""


def test_unknown_json_key(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", CONFIRMATION_WITH_UNKNOWN_KEY)
    with pytest.raises(InputError) as info:
        check_context.load_confirmations(path)
    error = info.value
    assert error.code == "INPUT-004"
    assert "colour" in error.message
    assert error.line is not None
    assert f":{error.line}: " in str(error)
    assert_one_line(error, path)


def test_unknown_json_key_line_is_the_keys_line(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", CONFIRMATION_WITH_UNKNOWN_KEY)
    with pytest.raises(InputError) as info:
        check_context.load_confirmations(path)
    assert info.value.line == line_of(CONFIRMATION_WITH_UNKNOWN_KEY, '"colour"')


def test_unknown_xml_element(tmp_path: Path) -> None:
    text = f'<?xml version="1.0"?>\n<gaining_grant xmlns="{NS}">\n  <facility>W1HTAA</facility>\n  <colour>blue</colour>\n</gaining_grant>\n'  # noqa: E501
    path = write(tmp_path / "g.xml", text)
    with pytest.raises(InputError) as info:
        check_context.load_grant(path)
    assert info.value.code == "INPUT-004"
    assert info.value.line == 4 and "colour" in info.value.message
    assert_one_line(info.value, path)


BAD_DATE_JSON = """{
  "confirmation": [
    {
      "credential": {"kind": "license"},
      "on": "2026-11-20",
      "new_expires_on": "2028-02-30"
    }
  ]
}
"""


def test_bad_date_json(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", BAD_DATE_JSON)
    with pytest.raises(InputError) as info:
        check_context.load_confirmations(path)
    assert info.value.code == "INPUT-004"
    assert info.value.line == line_of(BAD_DATE_JSON, '"new_expires_on"')
    assert_one_line(info.value, path)


@pytest.mark.parametrize(
    ("loader", "text", "line"),
    [
        (
            check_context.load_grant,
            f'<?xml version="1.0"?>\n<gaining_grant xmlns="{NS}">\n  <facility>W1HTAA</facility>\n'
            "  <granted_on>2026-02-30</granted_on>\n</gaining_grant>\n",
            4,
        ),
        (
            check_context.load_distribution,
            f'<?xml version="1.0"?>\n<distribution xmlns="{NS}">\n  <sent>\n'
            f"    <ictb_id>{ICTB_ID}</ictb_id>\n    <facility>N00183</facility>\n"
            "    <sent_on>22/11/2026</sent_on>\n  </sent>\n</distribution>\n",
            6,
        ),
    ],
    ids=["grant-february-30", "distribution-day-first"],
)
def test_bad_date_xml(tmp_path: Path, loader: Loader, text: str, line: int) -> None:
    path = write(tmp_path / "bad.xml", text)
    with pytest.raises(InputError) as info:
        loader(path)
    assert info.value.code == "INPUT-004" and info.value.line == line
    assert "date" in info.value.message
    assert_one_line(info.value, path)


@pytest.mark.parametrize(
    ("loader", "expected"),
    [
        (check_context.load_grant, "gaining_grant"),
        (check_context.load_confirmations, "renewal_confirmations"),
    ],
    ids=["grant-reader", "confirmations-reader"],
)
def test_wrong_root_element(tmp_path: Path, loader: Loader, expected: str) -> None:
    path = write(
        tmp_path / "d.xml",
        "<?xml version='1.0'?>\n\n" + DISTRIBUTION_XML.split("?>", 1)[1].lstrip(),
    )
    with pytest.raises(InputError) as info:
        loader(path)
    assert info.value.code == "INPUT-004"
    assert info.value.line == 3
    assert expected in info.value.message and "distribution" in info.value.message
    assert_one_line(info.value, path)


def test_wrong_namespace(tmp_path: Path) -> None:
    text = DISTRIBUTION_XML.replace(NS, "urn:example:other")
    with pytest.raises(InputError) as info:
        check_context.load_distribution(write(tmp_path / "d.xml", text))
    assert info.value.code == "INPUT-004" and info.value.line == 2


def test_json_of_another_kind(tmp_path: Path) -> None:
    # A confirmations document given where the grant is expected.
    path = tmp_path / "c.json"
    path.write_bytes((CHECK / "renewal-confirmations.json").read_bytes())
    with pytest.raises(InputError) as info:
        check_context.load_grant(path)
    assert info.value.code == "INPUT-004" and "confirmation" in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "confirmation": [\n    {"credential": {"kind": "dea"},,}\n  ]\n}\n',
        '{\n  "sent": [\n    {"ictb_id": "x"\n  ]\n}\n',
        '{\n  "confirmation": [],\n  "confirmation": []\n}\n',
    ],
    ids=["double-comma", "unclosed-object", "duplicate-key"],
)
def test_malformed_json(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "bad.json", text)
    with pytest.raises(InputError) as info:
        check_context.load_confirmations(path)
    error = info.value
    assert error.code == "INPUT-001"
    try:
        json.loads(text)
    except json.JSONDecodeError as syntax:
        assert error.line == syntax.lineno
        assert f":{error.line}: " in str(error)
    else:
        assert "duplicate key" in error.message
    assert_one_line(error, path)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f'<?xml version="1.0"?>\n<distribution xmlns="{NS}">\n  <sent>\n</distribution>\n', 4),
        (f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "y">]>\n<distribution xmlns="{NS}"/>', 2),
    ],
    ids=["mismatched-tag", "doctype"],
)
def test_malformed_or_hostile_xml(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path / "bad.xml", text)
    with pytest.raises(InputError) as info:
        check_context.load_distribution(path)
    assert info.value.line == line
    assert_one_line(info.value, path)


@pytest.mark.parametrize("content", ["", "  \n"], ids=["empty", "blank"])
def test_empty_document(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError) as info:
        check_context.load_grant(write(tmp_path / "g.json", content))
    assert "empty" in info.value.message


def test_bad_enumeration(tmp_path: Path) -> None:
    bad = {"not_granted": [{"item": "Cardiac catheterization", "reason": "no_beds"}]}
    with pytest.raises(InputError) as info:
        check_context.load_grant(write(tmp_path / "g.json", bad))
    assert info.value.code == "INPUT-004"
    assert info.value.line is not None


def test_missing_file_is_not_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError) as info:
        check_context.load_confirmations(tmp_path / "nowhere.json")
    assert not isinstance(info.value, InputError)
    assert info.value.exit_code == 3


# ---------------------------------------------------------------- odd JSON types

GOOD_CONFIRMATION = {
    "credential": {"kind": "life_support", "title": "Basic Life Support (BLS) Provider"},
    "on": "2026-11-20",
    "new_expires_on": "2028-11-30",
}
GOOD_ENTRY = {"ictb_id": ICTB_ID, "facility": "N00183", "sent_on": "2026-11-22"}

# Dates xs:date takes that are not calendar days ictb can compute with, and dates that
# are not dates at all.
ODD_DATES = ["2026-13-45", "10000-01-01", "2026-12-07Z", "2026-12-07+05:00", "-2026-01-01"]
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    10**20,
    1e300,
    -1.5,
    [],
    ["2026-11-20"],
    [1, None],
    {},
    {"a": 1},
    "",
    "x" * 5000,
]


def odd_documents() -> list[tuple[str, Loader, dict[str, Any]]]:
    """(id, loader, document) with one odd value in each place of each context document."""
    docs: list[tuple[str, Loader, dict[str, Any]]] = []
    for index, value in enumerate([*ODD_VALUES, *ODD_DATES]):
        for key in ("on", "new_expires_on", "with_is_file_holder", "recorded_by", "ictb_id"):
            doc = {"confirmation": [GOOD_CONFIRMATION, {**GOOD_CONFIRMATION, key: value}]}
            docs.append((f"confirmation-{key}-{index}", check_context.load_confirmations, doc))
        doc = {"confirmation": [{**GOOD_CONFIRMATION, "credential": value}]}
        docs.append((f"confirmation-credential-{index}", check_context.load_confirmations, doc))
        doc = {"confirmation": value}
        docs.append((f"confirmation-{index}", check_context.load_confirmations, doc))
        for key in ("ictb_id", "facility", "sent_on"):
            doc = {"sent": [{**GOOD_ENTRY, key: value}]}
            docs.append((f"distribution-{key}-{index}", check_context.load_distribution, doc))
        docs.append((f"distribution-{index}", check_context.load_distribution, {"sent": value}))
        for key in ("granted_on", "expires_on", "privilege", "not_granted", "facility"):
            doc = {**GRANT_JSON, key: value}
            docs.append((f"grant-{key}-{index}", check_context.load_grant, doc))
    return docs


@pytest.mark.parametrize(
    ("loader", "document"),
    [pytest.param(loader, doc, id=name) for name, loader, doc in odd_documents()],
)
def test_odd_json_values_load_or_are_one_input_error(
    tmp_path: Path, loader: Loader, document: dict[str, Any]
) -> None:
    """Whatever JSON value stands where a context document expects another, reading it
    gives the document or one InputError line: never another exception."""
    path = write(tmp_path / "context.json", document)
    try:
        loader(path)
    except InputError as error:
        assert error.code in ("INPUT-001", "INPUT-003", "INPUT-004")
        assert_one_line(error, path)
        assert "x" * 100 not in str(error)


@pytest.mark.parametrize("date", ODD_DATES)
@pytest.mark.parametrize("form", ["json", "xml"])
def test_dates_that_are_not_calendar_days(tmp_path: Path, date: str, form: str) -> None:
    if form == "json":
        doc = {"confirmation": [GOOD_CONFIRMATION, {**GOOD_CONFIRMATION, "on": date}]}
        text = json.dumps(doc, indent=2)
        path = write(tmp_path / "c.json", text)
        line = text.index(date)
    else:
        text = CONFIRMATIONS_XML.replace("<on>2026-11-20</on>", f"<on>{date}</on>")
        path = write(tmp_path / "c.xml", text)
        line = text.index(date)
    with pytest.raises(InputError) as info:
        check_context.load_confirmations(path)
    assert info.value.code == "INPUT-004"
    assert info.value.line == text[:line].count("\n") + 1
    assert "check-context.xsd" in info.value.message and "on" in info.value.message
    assert date not in str(info.value)
    assert_one_line(info.value, path)


def test_a_schema_error_in_the_second_item_names_its_line(tmp_path: Path) -> None:
    doc = {"sent": [GOOD_ENTRY, {**GOOD_ENTRY, "sent_on": "2026-02-30"}]}
    text = json.dumps(doc, indent=2)
    path = write(tmp_path / "d.json", text)
    with pytest.raises(InputError) as info:
        check_context.load_distribution(path)
    assert info.value.code == "INPUT-004"
    assert info.value.line == text.count("\n", 0, text.index("2026-02-30")) + 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"sent": [{"ictb_id": NaN, "facility": "x"}]}', "INPUT-001"),
        ('{"sent": [{"ictb_id": "a", "facility": -Infinity}]}', "INPUT-001"),
        ('{"sent": [{"ictb_id": 1' + "0" * 5000 + ', "facility": "x"}]}', "INPUT-003"),
        ('{"sent": ' + "[" * 5000 + "]" * 5000 + "}", "INPUT-003"),
        ('{"sent": [' + '{"x": ' * 3000 + "1" + "}" * 3000 + "]}", "INPUT-003"),
    ],
    ids=["nan", "infinity", "long-number", "deep-arrays", "deep-objects"],
)
def test_json_that_is_not_plain_json(tmp_path: Path, text: str, code: str) -> None:
    path = write(tmp_path / "d.json", text)
    with pytest.raises(InputError) as info:
        check_context.load_distribution(path)
    assert info.value.code == code
    assert_one_line(info.value, path)


@pytest.mark.parametrize(
    ("option", "document"),
    [
        ("--confirmations", {"confirmation": [{**GOOD_CONFIRMATION, "on": "2026-12-07Z"}]}),
        ("--confirmations", {"confirmation": [{**GOOD_CONFIRMATION, "on": "10000-01-01"}]}),
        ("--confirmations", {"confirmation": [{**GOOD_CONFIRMATION, "on": "2026-13-45"}]}),
        ("--confirmations", {"confirmation": [{**GOOD_CONFIRMATION, "credential": [1]}]}),
        ("--confirmations", {"confirmation": 10**20}),
        ("--distribution", {"sent": [{**GOOD_ENTRY, "facility": {"id": "N00183"}}]}),
        ("--distribution", {"sent": [{**GOOD_ENTRY, "sent_on": "10000-01-01"}]}),
        ("--grant", {**GRANT_JSON, "granted_on": "2026-12-07Z"}),
        ("--grant", {**GRANT_JSON, "privilege": [1, None]}),
        ("--grant", {**GRANT_JSON, "not_granted": [None]}),
    ],
    ids=lambda v: v if isinstance(v, str) else json.dumps(v)[-40:],
)
def test_odd_context_documents_from_the_command_line(
    tmp_path: Path, run_cli, option: str, document: dict[str, Any]
) -> None:
    path = write(tmp_path / "context.json", document)
    sample = SAMPLES / "ictbs" / "12-pediatrician-bls-expired--N68094.ictb.xml"
    result = run_cli("check", sample, "--as-of", "2026-11-22", option, path)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"ictb: error: {path}:") and "check-context.xsd" in line


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.sampled_from(sorted(GOOD_CONFIRMATION)),
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=12)
        | st.dates().map(str)
        | st.sampled_from(ODD_DATES),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(["kind", "title", "x"]), children, max_size=3)
        ),
        max_leaves=6,
    ),
)
def test_no_json_value_in_a_confirmation_escapes_as_another_error(
    tmp_path: Path, key: str, value: Any
) -> None:
    path = write(tmp_path / "c.json", {"confirmation": [{**GOOD_CONFIRMATION, key: value}]})
    try:
        check_context.load_confirmations(path)
    except InputError as error:
        assert_one_line(error, path)


def test_a_distribution_record_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    entry = DistributionEntry(ICTB_ID, "N00183", D(2026, 11, 22))
    with pytest.raises(MissingInputError, match="cannot read"):
        check_context.record_sent(tmp_path / ("n" * 300 + ".json"), [entry])
