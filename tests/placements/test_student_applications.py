"""/me/applications/: apply, follow the status timeline, withdraw, and answer offers before they expire.

The lifecycle itself belongs to placements.services.applications; these tests drive it
through the student's pages and check that a student reaches only their own applications.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from placements.models import Application, ApplicationEvent, Placement
from placements.selectors.student_applications import application_timeline
from tests import factories as f
from tests.builders import expired_opening_of, opening_of, other_student

pytestmark = pytest.mark.django_db
S = Application.Status


def offer(student, opening, *, days=7, source=Application.Source.DIRECT):
    now = timezone.now()
    application = f.ApplicationFactory(
        student=student,
        opening=opening,
        status=S.OFFERED,
        source=source,
        offered_at=now,
        offer_expires_at=now + datetime.timedelta(days=days),
    )
    if source == Application.Source.DIRECT:
        ApplicationEvent.objects.create(application=application, from_status="", to_status=S.SUBMITTED)
    ApplicationEvent.objects.create(application=application, from_status=S.SUBMITTED, to_status=S.OFFERED)
    return application


def english(client, method, url, data=None):
    with translation.override("en"):
        return getattr(client, method)(url, data or {}, HTTP_ACCEPT_LANGUAGE="en", follow=True)


def test_apply_from_the_opening_page_then_withdraw(student_user, world):
    opening = opening_of(world.company_a)
    page = student_user.get(f"/openings/{opening.pk}/")
    assert f'href="/me/openings/{opening.pk}/apply/"' in page.content.decode()
    confirm = student_user.get(f"/me/openings/{opening.pk}/apply/")
    assert 'action="/me/applications/new/"' in confirm.content.decode()

    response = english(student_user, "post", "/me/applications/new/", {"opening": opening.pk})
    assert response.redirect_chain[-1][0] == "/me/applications/"
    application = Application.objects.get(student=world.student, opening=opening)
    assert application.status == S.SUBMITTED
    assert "You applied to" in response.content.decode()

    confirm = student_user.get(f"/me/applications/{application.pk}/withdraw/")
    assert confirm.status_code == 200 and confirm.context["allowed"] is True
    application.refresh_from_db()
    assert application.status == S.SUBMITTED  # GET only asks

    english(student_user, "post", f"/me/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert [e.to_status for e in application.events.order_by("at", "pk")] == [S.SUBMITTED, S.WITHDRAWN]


def test_applying_twice_is_refused_with_a_message(student_user, world):
    opening = opening_of(world.company_a)
    student_user.post("/me/applications/new/", {"opening": opening.pk})
    response = english(student_user, "post", "/me/applications/new/", {"opening": opening.pk})
    assert response.redirect_chain[-1][0] == f"/openings/{opening.pk}/"
    assert "already applied" in response.content.decode()
    assert Application.objects.filter(student=world.student).count() == 1


def test_applying_to_a_closed_opening_answers_404(student_user, world):
    expired = expired_opening_of(world.company_a)
    assert student_user.post("/me/applications/new/", {"opening": expired.pk}).status_code == 404
    assert not Application.objects.exists()


def test_accepting_an_offer_declines_the_others_and_makes_the_placement(student_user, world):
    mine = offer(world.student, opening_of(world.company_a))
    other = offer(world.student, opening_of(world.company_b), source=Application.Source.MATCHING)
    confirm = student_user.get(f"/me/applications/{mine.pk}/accept/")
    assert confirm.context["other_offers"] == [other]

    english(student_user, "post", f"/me/applications/{mine.pk}/accept/")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, other.status) == (S.ACCEPTED, S.DECLINED)
    assert Placement.objects.get(student=world.student).application == mine


def test_declining_an_offer(student_user, world):
    application = offer(world.student, opening_of(world.company_a))
    english(student_user, "post", f"/me/applications/{application.pk}/decline/")
    application.refresh_from_db()
    assert application.status == S.DECLINED


def test_an_expired_offer_cannot_be_accepted(student_user, world):
    application = offer(world.student, opening_of(world.company_a), days=-1)
    rows = student_user.get("/me/applications/").context["rows"]
    assert rows[0]["offer_open"] is False
    response = english(student_user, "post", f"/me/applications/{application.pk}/accept/")
    assert "expired" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert not Placement.objects.exists()


def test_an_offer_cannot_be_withdrawn(student_user, world):
    application = offer(world.student, opening_of(world.company_a))
    assert student_user.get(f"/me/applications/{application.pk}/withdraw/").context["allowed"] is False
    student_user.post(f"/me/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == S.OFFERED


@pytest.mark.parametrize("action", ["withdraw", "accept", "decline"])
def test_another_students_application_answers_404(student_user, world, action):
    someone = other_student(world)
    theirs = offer(someone, opening_of(world.company_a)) if action != "withdraw" else None
    theirs = theirs or f.ApplicationFactory(student=someone, opening=opening_of(world.company_a))
    assert student_user.get(f"/me/applications/{theirs.pk}/{action}/").status_code == 404
    assert student_user.post(f"/me/applications/{theirs.pk}/{action}/").status_code == 404
    status = theirs.status
    theirs.refresh_from_db()
    assert theirs.status == status


def test_the_list_shows_only_the_students_own_applications(student_user, world):
    mine = f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a))
    f.ApplicationFactory(student=other_student(world), opening=opening_of(world.company_a))
    rows = student_user.get("/me/applications/").context["rows"]
    assert [row["application"] for row in rows] == [mine]


def test_rejection_shows_the_companys_feedback(student_user, world):
    application = f.ApplicationFactory(
        student=world.student,
        opening=opening_of(world.company_a),
        status=S.REJECTED,
        feedback="전기기능사 취득 후 다시 지원해 주세요.",
    )
    ApplicationEvent.objects.create(application=application, from_status="", to_status=S.SUBMITTED)
    ApplicationEvent.objects.create(application=application, from_status=S.SUBMITTED, to_status=S.REJECTED)
    assert "전기기능사 취득 후 다시 지원해 주세요." in student_user.get("/me/applications/").content.decode()


# --- The timeline ------------------------------------------------------------------------------


def events(application, *statuses):
    previous = ""
    for status in statuses:
        ApplicationEvent.objects.create(application=application, from_status=previous, to_status=status)
        previous = status
    return Application.objects.prefetch_related("events").get(pk=application.pk)


def steps(application):
    return [(step.status, step.state) for step in application_timeline(application)]


def test_timeline_of_an_application_under_review(world):
    application = f.ApplicationFactory(student=world.student, status=S.REVIEWING)
    application = events(application, S.SUBMITTED, S.REVIEWING)
    assert steps(application) == [
        (S.SUBMITTED, "done"),
        (S.REVIEWING, "current"),
        (S.INTERVIEW, "todo"),
        (S.OFFERED, "todo"),
    ]


def test_timeline_marks_a_skipped_stage_and_ends_with_the_outcome(world):
    application = f.ApplicationFactory(student=world.student, status=S.ACCEPTED)
    application = events(application, S.SUBMITTED, S.INTERVIEW, S.OFFERED, S.ACCEPTED)
    assert steps(application) == [
        (S.SUBMITTED, "done"),
        (S.REVIEWING, "skipped"),
        (S.INTERVIEW, "done"),
        (S.OFFERED, "done"),
        (S.ACCEPTED, "current"),
    ]


def test_timeline_of_a_withdrawn_application_stops_where_it_ended(world):
    application = f.ApplicationFactory(student=world.student, status=S.WITHDRAWN)
    application = events(application, S.SUBMITTED, S.WITHDRAWN)
    assert steps(application) == [(S.SUBMITTED, "done"), (S.WITHDRAWN, "current")]


def test_timeline_of_an_offer_from_a_round_starts_at_the_offer(world):
    application = f.ApplicationFactory(
        student=world.student, status=S.OFFERED, source=Application.Source.MATCHING, offered_at=timezone.now()
    )
    application = events(application, S.OFFERED)
    assert steps(application) == [(S.OFFERED, "current")]


# --- Access and query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["official", "school_a_staff", "recruiter_a", "coordinator"])
def test_other_roles_have_no_applications_page(request, world, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/me/applications/").status_code == 403
    assert (
        client.post("/me/applications/new/", {"opening": opening_of(world.company_a).pk}).status_code == 403
    )


def test_application_list_query_count_is_constant(student_user, world):
    # session, user, memberships, student, count, page rows (with opening, company, role,
    # school, department), events (prefetch).
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert student_user.get("/me/applications/").status_code == 200
        return len(captured.captured_queries)

    events(f.ApplicationFactory(student=world.student, opening=opening_of(world.company_a)), S.SUBMITTED)
    few = count()
    for _ in range(30):
        application = f.ApplicationFactory(
            student=world.student, opening=opening_of(f.CompanyFactory(district=world.district))
        )
        events(application, S.SUBMITTED)
    # One page needs no COUNT (district.web.paginate counts the rows it read); more than a page adds it.
    assert (few, count()) == (6, 7)
