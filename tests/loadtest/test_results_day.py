"""The results-day cohort, its publication through the services, and the database checks after it.

A tiny round (8 students, 4 openings) built with the synthetic builder, as the load test builds
its 600; the checks must find an accepted offer without its placement and an over-filled opening.
"""

import pytest

from companies.models import Opening
from district.models import District, Membership, User
from loadtest.results_day import (
    HOST,
    OFFICIAL_USERNAME,
    SLUG,
    cohort_ensure,
    round_check,
    round_publish,
)
from placements.models import Application, Match, MatchRun, Placement
from placements.services.applications import application_accept_offer, application_decline_offer
from schools.models import Student

pytestmark = pytest.mark.django_db


def small_cohort():
    return cohort_ensure(students=8, openings=4, preferences=4, password="shared-secret")


def test_the_cohort_has_one_real_account_a_student_sharing_one_password_hash():
    data = small_cohort()
    names = [f"load_rd_{n:04d}" for n in range(1, 9)]
    assert data == {"password": "shared-secret", "host": HOST, "students": names}
    district = District.objects.get(slug=SLUG)
    assert list(district.hosts.values_list("host", flat=True)) == ["results-day.localhost"]
    users = User.objects.filter(username__in=names)
    assert len({user.password for user in users}) == 1
    assert [(u.is_demo, u.is_active, u.email) for u in users.order_by("username")][:1] == [
        (False, True, "load_rd_0001@example.com")
    ]
    assert users.get(username="load_rd_0008").check_password("shared-secret") is True
    linked = Student.objects.filter(user__username__in=names, school__district=district)
    assert linked.count() == 8
    assert Membership.objects.filter(user__username__in=names, role="student", district=district).count() == 8
    assert Membership.objects.get(user__username=OFFICIAL_USERNAME).role == "official"
    # Again: the same accounts, nothing doubled.
    small_cohort()
    assert User.objects.filter(username__startswith="load_rd_").count() == 9
    assert Membership.objects.filter(user__username__startswith="load_rd_").count() == 9


def test_publishing_makes_an_offer_of_every_match_and_the_checks_pass():
    small_cohort()
    run = round_publish()
    assert run.status == MatchRun.Status.PUBLISHED
    matched = Match.objects.filter(run=run, opening__isnull=False).count()
    offers = Application.objects.filter(match__run=run, status=Application.Status.OFFERED)
    assert offers.count() == matched == run.stats["publication"]["offers"]
    first, second = offers.select_related("student__user").order_by("pk")[:2]
    application_accept_offer(application=first, by=first.student.user)
    application_decline_offer(application=second, by=second.student.user)

    result = round_check(run.district)
    assert (result.offers, result.accepted, result.declined, result.still_open) == (
        matched,
        1,
        1,
        matched - 2,
    )
    assert result.problems == []


def test_the_checks_find_an_accepted_offer_without_placement_and_an_overfilled_opening():
    small_cohort()
    run = round_publish()
    first, second = (
        Application.objects.filter(match__run=run)
        .select_related("student__user", "opening")
        .order_by("pk")[:2]
    )
    application_accept_offer(application=first, by=first.student.user)
    placement = Placement.objects.get(application=first)
    # A second placement on the same opening, whose seats are then cut to one.
    extra = Placement.objects.create(
        student=second.student,
        company=first.opening.company,
        opening=first.opening,
        starts_on=first.opening.starts_on,
    )
    Opening.objects.filter(pk=first.opening_id).update(seats=1)
    assert round_check(run.district).problems == [
        f"1 openings are over-filled: #{first.opening_id} 2 of 1 seats"
    ]

    # Without its placement, the accepted offer still holds its seat (`seats_taken`): one of one.
    extra.delete()
    placement.delete()
    assert round_check(run.district).problems == [
        f"1 accepted offers have no placement (applications {first.pk})"
    ]


def test_a_second_setup_clears_the_published_round_so_it_can_run_again():
    small_cohort()
    round_publish()
    small_cohort()
    district = District.objects.get(slug=SLUG)
    assert MatchRun.objects.filter(district=district).count() == 0
    assert Application.objects.filter(student__school__district=district).count() == 0
    assert round_publish().status == MatchRun.Status.PUBLISHED
