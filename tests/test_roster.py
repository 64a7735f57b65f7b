"""Batch-build rosters (``ictb.roster``): what a bad row gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictb import roster
from ictb.errors import InputError

HEADER = "record,gaining_facility,gaining_facility_name,purpose,period_start,period_end\n"
GOOD = "doe.json,N00183,Naval Hospital Camp Pendleton,Coverage,2026-12-05,2026-12-06\n"


def read(tmp_path: Path, text: str) -> list[tuple[Path, object]]:
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return roster.read(path)  # type: ignore[return-value]


def refused(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read(tmp_path, text)
    return caught.value


def test_a_good_roster(tmp_path: Path) -> None:
    ((record, assignment),) = read(tmp_path, HEADER + GOOD)
    assert record == tmp_path / "doe.json"
    assert assignment.gaining.name == "Naval Hospital Camp Pendleton"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("row", "column", "what"),
    [
        (
            "doe.json,N00183,Naval\x01Hospital,Coverage,2026-12-05,2026-12-06\n",
            "gaining_facility_name",
            "U+0001",
        ),
        (
            "doe.json,N00183,Naval Hospital,Cover\x1bage,2026-12-05,2026-12-06\n",
            "purpose",
            "U+001B",
        ),
        ("doe\x00.json,N00183,Naval Hospital,Coverage,2026-12-05,2026-12-06\n", "record", "U+0000"),
        (
            "doe.json,N00\ufffe183,Naval Hospital,Coverage,2026-12-05,2026-12-06\n",
            "gaining_facility",
            "U+FFFE",
        ),
    ],
    ids=["name", "purpose", "record", "facility"],
)
def test_a_character_no_ictb_can_hold_names_the_line_and_column(
    tmp_path: Path, row: str, column: str, what: str
) -> None:
    error = refused(tmp_path, HEADER + GOOD + row)
    assert error.line == 3
    assert column in error.message and what in error.message


@pytest.mark.parametrize(
    "date", ["2026-W49-1", "20261205", "2026-12-05Z", "10000-01-01", "2026-02-30"]
)
def test_a_date_not_of_the_form_yyyy_mm_dd_names_the_column(tmp_path: Path, date: str) -> None:
    error = refused(tmp_path, HEADER + f"doe.json,N00183,N,Coverage,{date},2026-12-06\n")
    assert error.line == 2
    assert "period_start" in error.message and "YYYY-MM-DD" in error.message


def test_a_field_too_long_for_the_csv_reader_is_a_bad_roster(tmp_path: Path) -> None:
    row = f"doe.json,N00183,N,{'x' * 200_000},2026-12-05,2026-12-06\n"
    error = refused(tmp_path, HEADER + GOOD + row)
    assert error.line == 3 and "not a CSV file" in error.message


def test_a_carriage_return_alone_ends_a_line(tmp_path: Path) -> None:
    error = refused(tmp_path, HEADER + "doe.json,N00183,Na\rme,Coverage,2026-12-05,2026-12-06\n")
    assert "empty" in error.message
