"""/me/: the student's profile, what they are doing now, notifications, and their fit for an opening."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from district.models import CommuteTime
from placements.models import Application, Notification, Suggestion
from placements.services.notifications import notification_create
from tests import factories as f
from tests.builders import open_round, opening_of, other_district, other_student

pytestmark = pytest.mark.django_db


def test_me_shows_profile_and_what_the_student_is_doing_now(student_user, world):
    certification = f.CertificationFactory(name="전기기능사")
    f.StudentCertificationFactory(student=world.student, certification=certification)
    area = f.AreaFactory(district=world.district, name="흥해읍")
    world.student.commute_area = area
    world.student.save()
    f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a))
    f.ApplicationFactory(
        student=world.student,
        opening=opening_of(world.company_b),
        status=Application.Status.OFFERED,
        offered_at=timezone.now(),
    )
    open_round(world.district)
    response = student_user.get("/me/")
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.student == world.student
    assert [held.certification for held in overview.certifications] == [certification]
    assert (overview.open_applications, overview.offers, overview.round_open) == (2, 1, True)
    html = response.content.decode()
    assert (
        "전기기능사" in html and "흥해읍" in html and "2025" in html
    )  # the date the certification was earned


def test_me_lists_only_the_students_own_notifications(student_user, world):
    mine = notification_create(user=world.student_user, kind="other", text="내 알림", url="/me/applications/")
    someone = other_student(world)
    notification_create(user=someone.user, kind="other", text="남의 알림")
    response = student_user.get("/me/")
    assert list(response.context["notifications"]) == [mine]
    assert response.context["unread"] == 1
    assert "남의 알림" not in response.content.decode()


def test_mark_all_read_touches_only_the_students_own(student_user, world):
    notification_create(user=world.student_user, kind="other", text="내 알림")
    someone = other_student(world)
    theirs = notification_create(user=someone.user, kind="other", text="남의 알림")
    response = student_user.post("/me/notifications/read/", {"next": "/me/"})
    assert response["Location"] == "/me/"
    assert not Notification.objects.filter(user=world.student_user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notification_page_paginates(student_user, world):
    for n in range(30):
        notification_create(user=world.student_user, kind="other", text=f"알림 {n}")
    page = student_user.get("/me/notifications/").context["page"]
    assert (page.paginator.count, len(page)) == (30, 25)


def test_profile_edit_changes_field_of_interest_and_commute_area(student_user, world):
    area = f.AreaFactory(district=world.district)
    segment = f.SegmentFactory(code="recycling", name="재활용")
    response = student_user.post(
        "/me/profile/basics/", {"commute_area": area.pk, "field_of_interest": segment.pk}
    )
    assert response.status_code == 302
    world.student.refresh_from_db()
    assert (world.student.commute_area, world.student.field_of_interest) == (area, segment)


def test_profile_edit_refuses_an_area_of_another_district(student_user, world):
    elsewhere = f.AreaFactory(district=other_district())
    response = student_user.post("/me/profile/basics/", {"commute_area": elsewhere.pk})
    assert response.status_code == 400
    world.student.refresh_from_db()
    assert world.student.commute_area is None


@pytest.mark.parametrize("url", ["/me/", "/me/profile/", "/me/profile/basics/", "/me/notifications/"])
def test_anonymous_must_log_in(anonymous, world, url):
    response = anonymous.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["official", "school_a_staff", "recruiter_a", "coordinator"])
def test_other_roles_get_403(request, world, persona):
    assert request.getfixturevalue(persona).get("/me/").status_code == 403


def test_a_student_whose_membership_is_inactive_gets_403(student_user, world):
    world.student_user.memberships.update(is_active=False)
    assert student_user.get("/me/").status_code == 403


def test_me_query_count_is_constant(student_user, world):
    # session, user, memberships, student; overview: certifications, placement, the job taken,
    # practice, enrolments, application counts, preference count, round; notifications, unread
    # count, saved searches, suggestions (with their openings and companies).
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert student_user.get("/me/").status_code == 200
        return len(captured.captured_queries)

    open_round(world.district)
    f.StudentCertificationFactory(student=world.student)
    notification_create(user=world.student_user, kind="other", text="알림")
    few = count()
    for rank in range(1, 11):
        Suggestion.objects.create(
            student=world.student,
            opening=opening_of(world.company_b),
            rank=rank,
            score=30.0 - rank,
            reason={"practice": True},
            computed_at=timezone.now(),
        )
        f.StudentCertificationFactory(student=world.student)
        notification_create(user=world.student_user, kind="other", text="알림")
        f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a))
        f.ProgramEnrollmentFactory(
            student=world.student, program=f.CreditProgramFactory(university=world.university)
        )
    assert count() == few == 16


def test_me_lists_the_nightly_suggestions_with_their_reason(student_user, world):
    opening = opening_of(world.company_b)
    Suggestion.objects.create(
        student=world.student,
        opening=opening,
        rank=1,
        score=20.0,
        reason={"practice": True},
        computed_at=timezone.now(),
    )
    response = student_user.get("/me/", HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["suggestions"]
    assert [row.opening for row in rows] == [opening]
    assert "you did field practice at this company" in response.content.decode()


# --- The student's fit for an opening ---------------------------------------------------------


def test_opening_page_shows_the_requirements_met_and_missed(student_user, world):
    held = f.CertificationFactory(name="전기기능사")
    missing = f.CertificationFactory(name="위험물기능사")
    f.StudentCertificationFactory(
        student=world.student, certification=held, acquired_on=datetime.date(2025, 7, 1)
    )
    opening = opening_of(world.company_a)
    opening.required_certifications.set([held, missing])
    opening.preferred_departments.set([world.department_b])
    response = student_user.get(f"/openings/{opening.pk}/")
    fit = response.context["fit"]
    assert [r.label for r in fit.met] == ["전기기능사"]
    # The certification not held, and the department the company prefers.
    assert [r.label for r in fit.missed][0] == "위험물기능사"
    assert len(fit.missed) == 2
    html = response.content.decode()
    assert 'data-testid="fit"' in html
    assert fit.application is None and f'href="/me/openings/{opening.pk}/apply/"' in html


def test_opening_page_shows_the_commute(student_user, world):
    home, plant = f.AreaFactory(district=world.district), f.AreaFactory(district=world.district)
    CommuteTime.objects.create(origin=home, destination=plant, minutes=35)
    world.student.commute_area = home
    world.student.save()
    opening = opening_of(world.company_a, work_area=plant)
    fit = student_user.get(f"/openings/{opening.pk}/").context["fit"]
    assert any("35" in r.detail for r in fit.requirements)


def test_recruiters_and_officials_see_no_fit(recruiter_a, official, world):
    opening = opening_of(world.company_a)
    assert recruiter_a.get(f"/openings/{opening.pk}/").context["fit"] is None
    assert official.get(f"/openings/{opening.pk}/").context["fit"] is None


def test_notification_list_query_count_is_constant(student_user, world):
    # session, user, memberships, student, page rows; and the count once there is more than a page.
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert student_user.get("/me/notifications/").status_code == 200
        return len(captured.captured_queries)

    notification_create(user=world.student_user, kind="other", text="알림")
    few = count()
    for n in range(40):
        notification_create(user=world.student_user, kind="other", text=f"알림 {n}")
    assert (few, count()) == (5, 6)


def test_opening_list_for_a_student_query_count_is_constant(student_user, world):
    # session, user, memberships, student, page rows, certifications, whether the search is
    # saved, then the filter form's choices (read once per version of the district's public
    # pages, which the new openings move): companies, segments, job roles, certifications.
    # The total comes with the page's rows (COUNT(*) OVER (), district.web.paginate's
    # short_list): no COUNT query once there is more than a page either.
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert student_user.get("/openings/?q=공정").status_code == 200
        return len(captured.captured_queries)

    opening_of(world.company_a, title="공정 운영원")
    few = count()
    for _ in range(40):
        opening_of(world.company_b, title="공정 운영원").required_certifications.set(
            [f.CertificationFactory()]
        )
    assert (few, count(), count()) == (11, 11, 7)
