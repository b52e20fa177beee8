"""What the companies services share: who may decide, and how a refusal reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from district.access import official_district_ids
from district.models import User


def ensure_official_of(user: User, district_id: int) -> None:
    if not (user.is_superuser or district_id in official_district_ids(user)):
        raise PermissionDenied(_("Only an official of this district can make this decision."))


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the rejection."), code="reason_required")
    return reason


def refresh_fields(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def field_error(field: str, message, code: str) -> ValidationError:
    """A refusal that a form shows on `field`, with a code that tests and pages can check."""
    return ValidationError({field: ValidationError(message, code=code)})
