"""``ictb.detectors``: identifier validators and the free-text scanner (RULES.md §10, §15).

The validators follow §15 (SSA's never-assigned SSNs, the DEA check digit, the NPI's
Luhn digit with the 80840 prefix); ``scan`` follows the §10 detection list used by
RED-001..004 and RED-020..022.  A match carries offsets only, never the text it matched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictb import detectors
from ictb.detectors import DEA, DOB, HOME_ADDRESS, SSN, STRONG, WEAK, KnownValues, Match
from ictb.model import Address

DOB_DAY = dt.date(1984, 4, 12)
KNOWN_SSN = "524-81-3307"
HOME_LINE = "2291 Palm Crest Drive"


def found(text: str, known: KnownValues | None = None) -> set[tuple[str, str, str]]:
    """(category, strength, matched text) of every match, the text cut out by offsets."""
    return {(m.category, m.strength, text[m.start : m.end]) for m in detectors.scan(text, known)}


def categories(text: str, known: KnownValues | None = None) -> set[tuple[str, str]]:
    return {(m.category, m.strength) for m in detectors.scan(text, known)}


# ---------------------------------------------------------------- SSN validation


@pytest.mark.parametrize(
    "ssn",
    [
        "524-81-3307",
        "524813307",
        "524 81 3307",
        "524.81.3307",
        "001-01-0001",
        "665-99-9999",
        "667-01-0001",
        "899-99-9999",
        # Randomized assignment since 2011: once "unissued" areas are possible (§15).
        "734-12-3456",
        "749-12-3456",
        "773-12-3456",
        "850-12-3456",
        "899-12-3456",
        # Next to the wallet-insert number, but not it.  (The advertising range
        # 987-65-4320..4329 lies in area 900-999, never assigned anyway.)
        "078-05-1121",
        "078-05-1119",
        "078-06-1120",
    ],
)
def test_ssn_possible(ssn: str) -> None:
    assert detectors.ssn_is_well_formed(ssn)


@pytest.mark.parametrize(
    "ssn",
    [
        "000-12-3456",
        "000123456",
        "666-12-3456",
        "666123456",
        "900-12-3456",
        "950-12-3456",
        "999-99-9999",
        "524-00-3307",
        "524003307",
        "524-81-0000",
        "524810000",
        "987-65-4320",
        "987-65-4325",
        "987654329",
        "078-05-1120",
        "078051120",
        "078 05 1120",
    ],
)
def test_ssn_never_assigned(ssn: str) -> None:
    assert not detectors.ssn_is_well_formed(ssn)


@pytest.mark.parametrize(
    "ssn", ["52481330", "5248133071", "524-81-330", "52A-81-3307", "", "524/81/3307", "SSN"]
)
def test_ssn_not_nine_digits(ssn: str) -> None:
    assert not detectors.ssn_is_well_formed(ssn)


def _ssa_rules(digits: str) -> bool:
    """A straightforward reading of POMS RM 10201.035 and RULES.md §15, on integers."""
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if area == 0 or area == 666 or 900 <= area <= 999:
        return False
    if group == 0 or serial == 0:
        return False
    if area == 987 and group == 65 and 4320 <= serial <= 4329:
        return False
    return (area, group, serial) != (78, 5, 1120)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


# Uniform 9-digit strings rarely reach an edge, so the parts are also drawn from them.
_AREAS = st.one_of(
    _digits(3), st.sampled_from(["000", "001", "078", "665", "666", "667", "899", "900", "987"])
)
_GROUPS = st.one_of(_digits(2), st.sampled_from(["00", "01", "05", "65", "99"]))
_SERIALS = st.one_of(
    _digits(4), st.sampled_from(["0000", "0001", "1120", "4319", "4320", "4325", "4329", "4330"])
)


@given(
    area=_AREAS,
    group=_GROUPS,
    serial=_SERIALS,
    separator=st.sampled_from(["", "-", " ", "."]),
)
def test_ssn_agrees_with_a_reimplementation(
    area: str, group: str, serial: str, separator: str
) -> None:
    text = separator.join((area, group, serial))
    assert detectors.ssn_is_well_formed(text) is _ssa_rules(area + group + serial)


@given(_digits(9))
def test_ssn_agrees_on_uniform_random_digits(digits: str) -> None:
    assert detectors.ssn_is_well_formed(digits) is _ssa_rules(digits)


# ---------------------------------------------------------------- DEA validation


def test_dea_example_from_rules() -> None:
    # (5 + 3 + 7) + 2 * (8 + 6 + 2) = 47: check digit 7 (RULES.md §15).
    assert detectors.dea_check_digit("AP583672") == 7
    assert detectors.dea_is_valid("AP5836727")


@pytest.mark.parametrize("last", [d for d in "012345689"])
def test_dea_wrong_check_digit(last: str) -> None:
    assert not detectors.dea_is_valid("AP583672" + last)


@pytest.mark.parametrize("first", list("ABFGMPRX"))
def test_dea_registrant_types(first: str) -> None:
    assert detectors.dea_is_valid(first + "P5836727")


@pytest.mark.parametrize("first", [*"CDEHIJKLNOQSTUVWYZ", "9"])
def test_dea_unknown_registrant_type(first: str) -> None:
    assert not detectors.dea_is_valid(first + "P5836727")


@pytest.mark.parametrize("second", ["9", "A", "Z"])
def test_dea_second_letter_initial_or_9(second: str) -> None:
    assert detectors.dea_is_valid("A" + second + "5836727")


@pytest.mark.parametrize(
    "number",
    [
        "F91234563-001AB",  # RULES.md §15: a supervised individual's suffix
        "AP5836727-1",
        "AP5836727-001",
    ],
)
def test_dea_suffix_is_stripped(number: str) -> None:
    assert detectors.dea_is_valid(number)


def test_dea_suffix_does_not_rescue_a_bad_check_digit() -> None:
    assert not detectors.dea_is_valid("F91234564-001AB")


def test_dea_lower_case_is_normalized() -> None:
    # Like the state licenses (§15), a number is compared upper-cased and trimmed.
    assert detectors.dea_is_valid("ap5836727")
    assert detectors.dea_is_valid(" AP5836727 ")
    assert not detectors.dea_is_valid("ap5836728")


@pytest.mark.parametrize(
    "number",
    [
        "AP583672",  # 6 digits + check: too short
        "AP58367270",  # 8 digits: too long
        "A5836727",  # one letter
        "APX5836727",  # three letters
        "A05836727",  # second character a digit other than 9
        "AP583672A",
        "",
        "AP-5836727",
    ],
)
def test_dea_bad_format(number: str) -> None:
    assert not detectors.dea_is_valid(number)


_TYPE_LETTERS = st.sampled_from(sorted(detectors.DEA_REGISTRANT_TYPES))
_SECOND_LETTERS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ9")


@given(first=_TYPE_LETTERS, second=_SECOND_LETTERS, six=_digits(6))
def test_dea_check_digit_makes_a_valid_number(first: str, second: str, six: str) -> None:
    base = first + second + six
    check = detectors.dea_check_digit(base)
    assert 0 <= check <= 9
    d = [int(c) for c in six]
    assert check == ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10
    assert detectors.dea_is_valid(f"{base}{check}")
    for other in set(range(10)) - {check}:
        assert not detectors.dea_is_valid(f"{base}{other}")


# ---------------------------------------------------------------- NPI validation


def test_npi_example_from_rules() -> None:
    assert detectors.npi_check_digit("123456789") == 3
    assert detectors.npi_is_valid("1234567893")


@pytest.mark.parametrize(
    "npi",
    [
        "1234567890",
        "1234567894",
        "3234567893",  # first digit 3 (and the check digit no longer fits either)
        "123456789",
        "12345678930",
        "123456789X",
        "",
    ],
)
def test_npi_invalid(npi: str) -> None:
    assert not detectors.npi_is_valid(npi)


@pytest.mark.parametrize("first", "03456789")
def test_npi_first_digit_only_1_or_2(first: str) -> None:
    base = first + "23456789"
    npi = base + str(detectors.npi_check_digit(base))
    assert not detectors.npi_is_valid(npi)


def _luhn_with_prefix(base9: str) -> int:
    """Luhn over 80840 + the nine digits (45 CFR 162.406), written out plainly."""
    digits = [int(c) for c in "80840" + base9]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:  # the rightmost digit before the check digit is doubled
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return (10 - total % 10) % 10


@given(first=st.sampled_from("12"), rest=_digits(8))
def test_npi_check_digit_makes_a_valid_number(first: str, rest: str) -> None:
    base = first + rest
    check = detectors.npi_check_digit(base)
    assert check == _luhn_with_prefix(base)
    npi = f"{base}{check}"
    assert detectors.npi_is_valid(npi)
    for index in range(10):
        for digit in "0123456789":
            if digit != npi[index]:
                changed = npi[:index] + digit + npi[index + 1 :]
                assert not detectors.npi_is_valid(changed), changed


@given(_digits(9))
def test_npi_check_digit_matches_luhn_for_any_base(base: str) -> None:
    assert detectors.npi_check_digit(base) == _luhn_with_prefix(base)


# ---------------------------------------------------------------- value formats


def test_date_formats_cover_rules_list() -> None:
    forms = detectors.date_formats(DOB_DAY)
    for form in ("1984-04-12", "04/12/1984", "4/12/1984", "12 Apr 1984", "12APR1984", "19840412"):
        assert form in forms


def test_date_formats_of_a_two_digit_day_and_month() -> None:
    forms = detectors.date_formats(dt.date(1979, 11, 23))
    for form in ("1979-11-23", "11/23/1979", "23 Nov 1979", "23NOV1979", "19791123"):
        assert form in forms


def test_ssn_formats() -> None:
    assert detectors.ssn_formats("524813307") >= {"524-81-3307", "524 81 3307", "524813307"}
    assert detectors.ssn_formats("524-81-3307") == detectors.ssn_formats("524 81 3307")


# ---------------------------------------------------------------- scan: SSN


@pytest.mark.parametrize(
    "form", ["524-81-3307", "524 81 3307", "524813307", "524.81.3307", "524 81-3307"]
)
def test_known_ssn_in_each_format(form: str) -> None:
    text = f"Prior assignment ref {form} closed."
    known = KnownValues(ssn=KNOWN_SSN)
    assert (SSN, STRONG, form) in found(text, known)


def test_known_ssn_found_without_a_pattern() -> None:
    # A known SSN is found even inside a longer number, where no pattern would look.
    text = "order 95248133071"
    assert found(text) == set()
    assert (SSN, STRONG, "524813307") in found(text, KnownValues(ssn=KNOWN_SSN))


@pytest.mark.parametrize("form", ["912-47-3086", "912 47 3086", "912.47.3086"])
def test_ssn_pattern_is_strong(form: str) -> None:
    assert (SSN, STRONG, form) in found(f"see {form} for details")


@pytest.mark.parametrize(
    "label",
    [
        "SSN",
        "SSN:",
        "SSN #",
        "SSAN",
        "ssan:",
        "social security",
        "Social Security No.",
        "Social Security number:",
    ],
)
def test_labelled_nine_digits_are_strong(label: str) -> None:
    assert found(f"{label} 912473086") == {(SSN, STRONG, "912473086")}


def test_bare_nine_digits_are_weak() -> None:
    assert found("reference 912473086 on file") == {(SSN, WEAK, "912473086")}


@pytest.mark.parametrize("text", ["1912473086", "9124730861", "call 0019124730865", "912-47-30861"])
def test_nine_digits_inside_a_longer_number_do_not_match(text: str) -> None:
    assert not any(m.category == SSN for m in detectors.scan(text))


def test_label_far_away_does_not_make_it_strong() -> None:
    text = "SSN was requested from the member by the office; reference 912473086"
    assert found(text) == {(SSN, WEAK, "912473086")}


# ---------------------------------------------------------------- scan: DEA


def test_dea_with_valid_check_digit_is_strong() -> None:
    assert found("registration AP5836727 current") == {(DEA, STRONG, "AP5836727")}


def test_dea_with_suffix_is_strong() -> None:
    assert (DEA, STRONG, "F91234563-001AB") in found("works under F91234563-001AB")


@pytest.mark.parametrize("label", ["DEA", "DEA:", "DEA #", "DEA -"])
def test_labelled_dea_is_strong_even_with_a_bad_check_digit(label: str) -> None:
    assert found(f"{label} AP5836728") == {(DEA, STRONG, "AP5836728")}


@pytest.mark.parametrize("label", ["DEA No.", "DEA number", "DEA registration no."])
def test_dea_labelled_with_a_word(label: str) -> None:
    assert found(f"{label} AP5836728") == {(DEA, STRONG, "AP5836728")}


def test_unlabelled_dea_shape_with_bad_check_digit_is_weak() -> None:
    assert found("code AP5836728 on the form") == {(DEA, WEAK, "AP5836728")}


def test_known_dea_found_in_any_case() -> None:
    known = KnownValues(dea=("AP5836727",))
    assert (DEA, STRONG, "ap5836727") in found("old ref ap5836727", known)


# ---------------------------------------------------------------- scan: date of birth


@pytest.mark.parametrize(
    "form", ["1984-04-12", "04/12/1984", "4/12/1984", "12 Apr 1984", "12APR1984", "19840412"]
)
def test_known_dob_in_each_format(form: str) -> None:
    known = KnownValues(dob=DOB_DAY)
    assert (DOB, STRONG, form) in found(f"The event of {form} was noted.", known)


@pytest.mark.parametrize(
    "label", ["DOB", "DOB:", "D.O.B.", "date of birth", "Date of Birth:", "born"]
)
@pytest.mark.parametrize(
    "date", ["1979-11-23", "11/23/1979", "23 Nov 1979", "23NOV1979", "19791123"]
)
def test_labelled_date_is_strong(label: str, date: str) -> None:
    assert (DOB, STRONG, date) in found(f"Provider {label} {date}.")


def test_date_up_to_about_20_characters_after_the_label() -> None:
    assert (DOB, STRONG, "11/23/1979") in found("born in Tucson, AZ, 11/23/1979")


def test_date_far_after_the_label_does_not_match() -> None:
    text = "born and raised in San Diego, California; seen 11/23/1979"
    assert not any(m.category == DOB for m in detectors.scan(text))


def test_iso_date_without_a_label_is_not_a_dob() -> None:
    assert found("Privileges granted 2025-07-01 through 2027-06-30.") == set()


def test_dob_day_first_full_month() -> None:
    assert (DOB, STRONG, "12 April 1984") in found("DOB: 12 April 1984")
    assert (DOB, STRONG, "12 April 1984") in found("seen 12 April 1984", KnownValues(dob=DOB_DAY))


# ---------------------------------------------------------------- scan: home address


def test_known_home_address_line() -> None:
    known = KnownValues(
        home_address=(
            Address(
                lines=(HOME_LINE, "Apt 4"), city="Chula Vista", state="CA", postal_code="91915"
            ),
        )
    )
    text = f"Mail to {HOME_LINE.upper()}, please."
    assert (HOME_ADDRESS, STRONG, HOME_LINE.upper()) in found(text, known)
    # A line too short to be told apart from ordinary text is not searched for.
    assert not any(m.category == HOME_ADDRESS for m in detectors.scan("Apt 4 of 6", known))


@pytest.mark.parametrize(
    "text",
    [
        "home address: 2291 Palm Crest Drive",
        "Home Address 2291 Palm Crest Drive",
        "residence address: 14 Elm Street",
        "Residential addr. 14 Elm Street",
    ],
)
def test_labelled_home_address(text: str) -> None:
    assert HOME_ADDRESS in {m.category for m in detectors.scan(text) if m.strength == STRONG}


@pytest.mark.parametrize("text", ["Home: 2291 Palm Crest Drive", "Residence: 14 Elm Street"])
def test_home_address_labelled_with_a_colon(text: str) -> None:
    assert HOME_ADDRESS in {m.category for m in detectors.scan(text) if m.strength == STRONG}


@pytest.mark.parametrize(
    "text",
    ["Available for recall from home 7 days a week.", "Worked from home 3 days per week."],
)
def test_home_followed_by_a_number_is_not_an_address(text: str) -> None:
    assert not any(m.category == HOME_ADDRESS for m in detectors.scan(text))


# ---------------------------------------------------------------- scan: non-matches


@pytest.mark.parametrize(
    "text",
    [
        "Observer phone 210-555-0112.",
        "Fax (210) 555-0112",
        "Appointment 2026-12-01 through 2027-01-31",
        "Document 3f0c2b7e-6a41-4d8e-9c15-7b2d9e4a6f01 supersedes another.",
        "NPI 1234567893",
        "License A 178342, Medical Board of California",
        "CCQAS-0418837",
        "",
    ],
)
def test_no_identifier(text: str) -> None:
    assert detectors.scan(text) == []


# ---------------------------------------------------------------- matches carry no text


def test_match_has_only_offsets() -> None:
    assert {f.name for f in dataclasses.fields(Match)} == {
        "category",
        "strength",
        "start",
        "end",
        "why",
    }
    text = "SSN 912473086; DEA AP5836727; DOB 1979-11-23; home address: 2291 Palm Crest Drive"
    matches = detectors.scan(text, KnownValues(ssn="524-81-3307"))
    assert {m.category for m in matches} == {SSN, DEA, DOB, HOME_ADDRESS}
    for match in matches:
        shown = repr(match) + str(match) + match.why
        for secret in ("912473086", "AP5836727", "1979-11-23", "2291", "Palm Crest"):
            assert secret not in shown


def test_matches_are_sorted_and_deduplicated() -> None:
    text = "SSN 524813307 and 524-81-3307"
    matches = detectors.scan(text, KnownValues(ssn=KNOWN_SSN))
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    spans = [(m.start, m.end, m.category) for m in matches]
    assert len(spans) == len(set(spans))
    # The known value and the label agree on the first span: it is reported once, strong.
    first = [m for m in matches if text[m.start : m.end] == "524813307"]
    assert len(first) == 1 and first[0].strength == STRONG
