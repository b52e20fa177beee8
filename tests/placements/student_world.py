"""Builders shared by the public-page and student-page tests (issue 4).

Not a conftest: other engineers' tests live in this folder too. Import what you need:
`from tests.placements.student_world import open_round, opening_of`.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests import factories as f


def opening_of(company, **fields):
    """A public opening (published, deadline ahead) of `company`."""
    return f.OpeningFactory(company=company, **fields)


def expired_opening_of(company, **fields):
    today = timezone.localdate()
    return f.OpeningFactory(
        company=company,
        apply_by=today - datetime.timedelta(days=1),
        starts_on=today + datetime.timedelta(days=30),
        **fields,
    )


def open_round(district, *, cohort: int = 2026, days: int = 14):
    """The cohort's matching round, taking rankings for `days` more days."""
    return f.MatchRoundFactory(
        district=district,
        cohort=cohort,
        preferences_close_at=timezone.now() + datetime.timedelta(days=days),
    )


def closed_round(district, *, cohort: int = 2026):
    return f.MatchRoundFactory(
        district=district, cohort=cohort, preferences_close_at=timezone.now() - datetime.timedelta(hours=1)
    )


def other_district():
    return f.DistrictFactory(name="경주", slug="gyeongju")


def other_student(world, **fields):
    """A second student with an account, at school B of the same district."""
    from district.models import Membership

    user = f.UserFactory(username=fields.pop("username", "other_student"))
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_b
    )
    return f.StudentFactory(department=world.department_b, user=user, **fields)
