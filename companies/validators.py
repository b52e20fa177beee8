"""Validation of Korean business registration numbers (사업자등록번호)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalise_business_number(value: str) -> str:
    """Strip the hyphens and spaces people type: '123-45-67890' becomes '1234567890'."""
    return re.sub(r"[\s-]", "", value or "")


def format_business_number(digits: str) -> str:
    """Ten digits as people write them: '1234567890' becomes '123-45-67890'."""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else digits


def business_number_checksum_ok(digits: str) -> bool:
    """The National Tax Service check digit.

    1. Multiply the first nine digits by 1,3,7,1,3,7,1,3,5 and add the products.
    2. Add the tens digit of (ninth digit × 5).
    3. The tenth digit must equal (10 − total mod 10) mod 10.
    """
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    numbers = [int(c) for c in digits]
    total = sum(d * w for d, w in zip(numbers[:9], _WEIGHTS, strict=True))
    total += numbers[8] * 5 // 10
    return (10 - total % 10) % 10 == numbers[9]


def validate_business_number(value: str) -> None:
    digits = normalise_business_number(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("A business registration number has 10 digits, such as 123-45-67890."),
            code="format",
        )
    if not business_number_checksum_ok(digits):
        raise ValidationError(
            _("This business registration number is not valid: its check digit does not match."),
            code="checksum",
        )
