"""Every database constraint gets a row that breaks it and a row it allows.

Each ``tests/<app>/test_constraints.py`` keeps a module-level ``cases`` registry and
fills it with small builders::

    cases = ConstraintCases("schools")

    @cases.refused("school_unique_name")
    def same_name_in_the_same_district():
        school = f.SchoolFactory()
        return f.SchoolFactory.build(district=school.district, name=school.name)

A builder saves whatever the row needs and returns the row itself, unsaved (or, to
test an UPDATE, saved and then changed in memory). The module's parametrised tests
then assert, for a refused row, that ``validate_constraints()`` reports the
constraint's own ``violation_error_message`` and that PostgreSQL refuses the write
naming that very constraint; for an allowed row, that ``full_clean()`` passes and the
write succeeds.

A case is keyed by the constraint's name, or by ``"app_label.Model.field"`` for a
``unique=True`` field (OneToOneField included). ``tests/district/test_constraints.py``
compares the keys of every registry with what the models of every portal app declare, so a new
constraint without a test fails the suite.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from tests import factories as f
from tests.project import project_app_labels

# Every app of this repository that INSTALLED_APPS names (privacy included), never a hand-kept list.
PORTAL_APPS = project_app_labels()

Builder = Callable[[], models.Model]


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    build: Builder
    db_constraint: str | None = None

    @property
    def is_unique_field(self) -> bool:
        return "." in self.key

    def param(self):
        return pytest.param(self, id=f"{self.key}:{self.label}")


class ConstraintCases:
    """The refused and allowed rows of one app's constraints."""

    def __init__(self, app_label: str):
        self.app_label = app_label
        self.refused_cases: list[Case] = []
        self.allowed_cases: list[Case] = []

    def refused(self, key: str, *, db_constraint: str | None = None):
        """Register a builder whose row the database must refuse.

        `db_constraint` names the constraint PostgreSQL actually reports when another
        one, checked first, refuses the same row.
        """

        def register(build: Builder) -> Builder:
            self.refused_cases.append(Case(key, build.__name__.strip("_"), build, db_constraint))
            return build

        return register

    def allowed(self, *keys: str):
        """Register a builder whose row the constraints named by `keys` must accept."""

        def register(build: Builder) -> Builder:
            self.allowed_cases.extend(Case(key, build.__name__.strip("_"), build) for key in keys)
            return build

        return register

    @property
    def refused_keys(self) -> set[str]:
        return {case.key for case in self.refused_cases}

    @property
    def allowed_keys(self) -> set[str]:
        return {case.key for case in self.allowed_cases}

    def refused_params(self):
        return [case.param() for case in self.refused_cases]

    def allowed_params(self):
        return [case.param() for case in self.allowed_cases]


# --- What the models declare ------------------------------------------------------


def portal_models(app_labels=PORTAL_APPS):
    for label in app_labels:
        yield from apps.get_app_config(label).get_models()


def declared_constraints(app_labels=PORTAL_APPS) -> dict[str, type[models.Model]]:
    """Every name in Meta.constraints, mapped to its model."""
    found: dict[str, type[models.Model]] = {}
    for model in portal_models(app_labels):
        for constraint in model._meta.constraints:
            assert constraint.name not in found, f"constraint name {constraint.name} is used twice"
            found[constraint.name] = model
    return found


def declared_unique_fields(app_labels=PORTAL_APPS) -> dict[str, type[models.Model]]:
    """Every unique=True field other than the primary key, as "app_label.Model.field"."""
    return {
        f"{model._meta.label}.{field.name}": model
        for model in portal_models(app_labels)
        for field in model._meta.local_concrete_fields
        if field.unique and not field.primary_key
    }


# --- Assertions ---------------------------------------------------------------------


def _pg_error(error: IntegrityError):
    cause = error.__cause__
    assert cause is not None and hasattr(cause, "diag"), f"not a PostgreSQL error: {error!r}"
    return cause


def _save_refused(obj: models.Model):
    # The savepoint sits inside pytest.raises, so it is rolled back and the test's
    # transaction stays usable after the refusal.
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        obj.save()
    return _pg_error(refused.value)


def assert_refused(case: Case) -> None:
    obj = case.build()
    model = type(obj)
    if case.is_unique_field:
        label, field_name = case.key.rsplit(".", 1)
        assert model._meta.label == label, f"{case.key} built a {model._meta.label}"
        field = model._meta.get_field(field_name)
        assert field.unique, f"{case.key} is not unique"

        with pytest.raises(ValidationError) as caught:
            obj.validate_unique()
        expected = obj.unique_error_message(model, (field.name,)).messages
        assert caught.value.message_dict.get(field.name) == expected

        error = _save_refused(obj)
        assert error.sqlstate == "23505", error  # unique_violation
        assert f"({field.column})=" in (error.diag.message_detail or ""), error.diag.message_detail
        return

    constraint = {c.name: c for c in model._meta.constraints}.get(case.key)
    assert constraint is not None, f"{model._meta.label} has no constraint {case.key}"

    with pytest.raises(ValidationError) as caught:
        obj.validate_constraints()
    assert str(constraint.violation_error_message) in caught.value.messages

    error = _save_refused(obj)
    assert error.diag.constraint_name == (case.db_constraint or case.key), str(error)


def assert_allowed(case: Case) -> None:
    obj = case.build()
    model = type(obj)
    if case.is_unique_field:
        assert model._meta.label == case.key.rsplit(".", 1)[0]
    else:
        assert case.key in {c.name for c in model._meta.constraints}, (
            f"{model._meta.label} has no constraint {case.key}"
        )
    obj.full_clean()
    with transaction.atomic():
        obj.save()
    assert model._default_manager.filter(pk=obj.pk).exists()


# --- Small builders shared by the app modules -------------------------------------------


def user(**kwargs):
    """A saved user without the cost of hashing a password."""
    return f.UserFactory(password=make_password(None), **kwargs)
