"""The Korean business registration number (사업자등록번호) validator.

The check digit is recomputed here independently, the way the National Tax Service
describes it: weight the first eight digits by 1,3,7,1,3,7,1,3, add both digits of
(ninth digit × 5), and the tenth digit is what brings the total to a multiple of ten.
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from companies.models import Company
from companies.validators import (
    business_number_checksum_ok,
    normalise_business_number,
    validate_business_number,
)


@pytest.fixture(autouse=True)
def _english():
    """The expected messages below are the English msgids; the default language is Korean."""
    with translation.override("en"):
        yield


FORMAT_MESSAGE = "A business registration number has 10 digits, such as 123-45-67890."
CHECKSUM_MESSAGE = "This business registration number is not valid: its check digit does not match."


def reference_check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits[:8], (1, 3, 7, 1, 3, 7, 1, 3), strict=True))
    tens, units = divmod(digits[8] * 5, 10)
    total += tens + units
    return (10 - total % 10) % 10


def with_check_digit(first_nine: str) -> str:
    return first_nine + str(reference_check_digit(first_nine))


def hyphenated(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


_rng = random.Random(20260401)
COMPUTED = [with_check_digit(f"{_rng.randrange(10**9):09d}") for _ in range(5)] + [
    with_check_digit("123456789"),  # 1234567891: the example shape with its right check digit
    with_check_digit("000000000"),
    with_check_digit("999999999"),
]
# Numbers published by well-known companies, worked through by hand.
PUBLISHED = ["1248100998", "2208162517"]


def _refusal(value):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_business_number(value)
    return caught.value


# --- The algorithm ----------------------------------------------------------------


def test_reference_algorithm_agrees_with_hand_worked_numbers():
    assert [with_check_digit(n[:9]) for n in PUBLISHED] == PUBLISHED
    assert reference_check_digit("123456789") == 1


@pytest.mark.parametrize("seed", range(20))
def test_exactly_one_check_digit_is_accepted(seed):
    first_nine = f"{random.Random(seed).randrange(10**9):09d}"
    accepted = [d for d in range(10) if business_number_checksum_ok(f"{first_nine}{d}")]
    assert accepted == [reference_check_digit(first_nine)]


# --- Good numbers -----------------------------------------------------------------


@pytest.mark.parametrize("number", COMPUTED + PUBLISHED)
def test_valid_number_is_accepted(number):
    assert business_number_checksum_ok(number)
    validate_business_number(number)


@pytest.mark.parametrize("number", COMPUTED + PUBLISHED)
def test_hyphenated_form_is_accepted(number):
    validate_business_number(hyphenated(number))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("123-45-67890", "1234567890"),
        ("123 45 67890", "1234567890"),
        (" 124-81-00998 ", "1248100998"),
        ("1248100998", "1248100998"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_strips_hyphens_and_spaces(typed, stored):
    assert normalise_business_number(typed) == stored


def test_the_example_shape_passes_once_its_check_digit_is_right():
    assert _refusal("123-45-67890").code == "checksum"
    validate_business_number("123-45-67891")


# --- Wrong check digit ------------------------------------------------------------


@pytest.mark.parametrize("number", COMPUTED[:3] + PUBLISHED)
def test_every_wrong_check_digit_is_refused(number):
    for wrong in set("0123456789") - {number[-1]}:
        candidate = number[:-1] + wrong
        assert not business_number_checksum_ok(candidate)
        error = _refusal(hyphenated(candidate))
        assert error.code == "checksum"
        assert error.messages == [CHECKSUM_MESSAGE]


def test_swapped_digits_are_refused():
    assert _refusal("1428100998").code == "checksum"


# --- Wrong length and letters ------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("124810099", id="nine-digits"),
        pytest.param("12481009981", id="eleven-digits"),
        pytest.param("124-81-0099", id="hyphenated-nine"),
        pytest.param("124-81-009981", id="hyphenated-eleven"),
        pytest.param("---", id="only-hyphens"),
    ],
)
def test_wrong_length_is_a_format_error(value):
    error = _refusal(value)
    assert error.code == "format"
    assert error.messages == [FORMAT_MESSAGE]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("12481009AB", id="trailing-letters"),
        pytest.param("124-81-0099O", id="letter-O-for-zero"),
        pytest.param("abc-de-fghij", id="all-letters"),
        pytest.param("124.81.00998", id="dots"),
        pytest.param("124/81/00998", id="slashes"),
        pytest.param("124–81–00998", id="en-dashes"),
    ],
)
def test_letters_and_other_characters_are_a_format_error(value):
    error = _refusal(value)
    assert error.code == "format"
    assert error.messages == [FORMAT_MESSAGE]


@pytest.mark.parametrize("value", ["１２４８１００９９８", "١٢٤٨١٠٠٩٩٨"], ids=["full-width", "arabic-indic"])
def test_non_ascii_digits_are_a_format_error(value):
    assert _refusal(value).code == "format"


# --- On the model ------------------------------------------------------------------


def test_company_business_number_field_runs_the_validator():
    field = Company._meta.get_field("business_number")
    field.run_validators("1248100998")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.run_validators("1248100999")
    assert caught.value.messages == [CHECKSUM_MESSAGE]
