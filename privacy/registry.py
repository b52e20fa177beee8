"""Anonymisation through a registry: each app removes its own personal data about a former student.

privacy sits below the apps that hold a student's data (schools, universities, placements), so
it never imports them. Each of those apps registers its part in its `AppConfig.ready()`:

    register_anonymiser("placements", anonymise_student, holds=student_is_placed)

- `anonymise(anonymisation)` runs inside the transaction that `privacy.services.anonymise_student`
  opened, with `anonymisation.student` locked. It removes that app's personal data and reports
  the rows whose audit trail must lose names and values (`scrub_history`) and the values it
  removed (`hide_copies_of`), which privacy also hides where staff copied them into free text.
- `holds()` returns a condition on students (a `Q` over the student model): a student it
  matches is not anonymised yet, such as one with an active placement.

Anonymisers run in the order they were registered, which is INSTALLED_APPS order.
`tests/privacy/test_registry.py` pins the list, so an app that stops registering fails a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q


@dataclass
class Anonymisation:
    """One former student being anonymised: what the anonymisers read and what they report back."""

    student: Any  # the locked schools.Student row, with its values from before anonymisation
    removed: list[str] = field(default_factory=list)
    history: dict[type[Model], list[int]] = field(default_factory=dict)

    def hide_copies_of(self, *values: str | None) -> None:
        """Values removed from the record, to be hidden too where they were copied into free text."""
        self.removed.extend(value for value in values if value)

    def scrub_history(self, model: type[Model], ids: Iterable[int]) -> None:
        """Rows whose audit trail keeps who did what and when, but loses names and values."""
        self.history.setdefault(model, []).extend(ids)


@dataclass(frozen=True)
class Anonymiser:
    """One app's part of anonymising a former student."""

    name: str
    anonymise: Callable[[Anonymisation], None] | None = None
    holds: Callable[[], Q] | None = None


_anonymisers: dict[str, Anonymiser] = {}


def register_anonymiser(
    name: str,
    anonymise: Callable[[Anonymisation], None] | None = None,
    *,
    holds: Callable[[], Q] | None = None,
) -> Anonymiser:
    """Register an app's anonymiser under its app label; registering the same one again changes nothing."""
    if anonymise is None and holds is None:
        raise ImproperlyConfigured(f"The anonymiser {name!r} neither anonymises nor holds anybody back.")
    anonymiser = Anonymiser(name=name, anonymise=anonymise, holds=holds)
    registered = _anonymisers.setdefault(name, anonymiser)
    if registered != anonymiser:
        raise ImproperlyConfigured(f"Two different anonymisers are registered as {name!r}.")
    return registered


def anonymisers() -> tuple[Anonymiser, ...]:
    """Every registered anonymiser, in registration (INSTALLED_APPS) order."""
    return tuple(_anonymisers.values())
