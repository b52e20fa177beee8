"""The audit trail: which models django-auditlog records, and what it must never write down.

Every create, change and delete of the models below is recorded with its actor (set by
`auditlog.middleware.AuditlogMiddleware` from the signed-in user) and its time.

Masking: auditlog's own `mask_str` hides only the first half of a value ("****@example.kr"
still shows the domain, "*****5678" the last digits of a phone number). For minors' contact
details that is too much, so `hide` replaces the whole value: the history still says that the
email changed, never what it was or became. Names and student numbers stay visible, since the
trail must say whose record changed; they are scrubbed when the student is anonymised
(`privacy.services.anonymise_student`).
"""

from __future__ import annotations

from django.apps import apps

HIDDEN = "***"

# label -> (fields fully hidden in the history, fields not recorded at all, path to the district)
AUDITED: dict[str, tuple[list[str], list[str], str]] = {
    "schools.Student": (
        ["email", "phone", "birth_date"],
        ["created_at", "updated_at"],
        "school__district",
    ),
    "companies.Opening": ([], [], "company__district"),
    # Feedback, the student's note and a reason for leaving are free text about one student: hidden
    # like contact details.
    "placements.Application": (["feedback", "note"], [], "opening__company__district"),
    "placements.Placement": (["end_reason"], ["created_at"], "company__district"),
    "district.Membership": ([], [], "district"),
}


def hide(value: str) -> str:
    """The mask for personal fields: say whether there was a value, never what it was."""
    return "" if value in ("", "None") else HIDDEN


def register_models() -> None:
    from auditlog.registry import auditlog

    for label, (masked, excluded, _district) in AUDITED.items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        auditlog.register(
            model,
            mask_fields=masked,
            mask_callable="privacy.audit.hide",
            exclude_fields=excluded,
        )
