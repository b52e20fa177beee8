"""The anonymisation registry: each app registers its own part, privacy imports none of them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from placements import anonymise as placements_anonymise
from privacy import registry
from privacy.registry import Anonymiser, anonymisers, register_anonymiser
from privacy.selectors import student_model
from schools import anonymise as schools_anonymise
from schools.models import Student
from universities import anonymise as universities_anonymise


def test_the_registry_holds_exactly_the_expected_anonymisers_in_order():
    assert anonymisers() == (
        Anonymiser(name="schools", anonymise=schools_anonymise.anonymise_student, holds=None),
        Anonymiser(name="universities", anonymise=None, holds=universities_anonymise.student_is_enrolled),
        Anonymiser(
            name="placements",
            anonymise=placements_anonymise.anonymise_student,
            holds=placements_anonymise.student_is_placed,
        ),
    )


def test_privacy_reaches_the_student_model_through_its_relation():
    assert student_model() is Student


def test_registering_the_same_anonymiser_again_changes_nothing():
    before = anonymisers()
    assert register_anonymiser("schools", schools_anonymise.anonymise_student) == before[0]
    assert anonymisers() == before


def test_a_second_different_anonymiser_under_one_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Two different anonymisers are registered as 'schools'"):
        register_anonymiser("schools", holds=placements_anonymise.student_is_placed)
    with pytest.raises(ImproperlyConfigured, match="neither anonymises nor holds"):
        register_anonymiser("nothing")
    assert [a.name for a in registry.anonymisers()] == ["schools", "universities", "placements"]
