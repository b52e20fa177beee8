"""Saved /openings/ searches and their daily digest: new openings only, nothing when nothing is new,
a one-click unsubscribe, and a claim that makes a redelivered task harmless."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from companies.models import Opening
from placements import tasks
from placements.models import Notification, SavedSearch
from placements.services import saved_searches as services
from tests import factories as f
from tests.builders import back_date, other_student, published, save

pytestmark = pytest.mark.django_db


# --- Saving ----------------------------------------------------------------------------------


def test_student_saves_the_search_from_the_openings_page(student_user, world):
    page = student_user.get("/openings/?q=공정&segment=cathode&page=2&ordering=salary")
    assert page.context["save_querystring"] == "q=%EA%B3%B5%EC%A0%95&segment=cathode"
    response = student_user.post(
        "/me/searches/", {"querystring": page.context["save_querystring"], "name": "양극재 공정"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/openings/?q=")
    search = SavedSearch.objects.get(user=world.student_user)
    assert (search.name, search.querystring) == ("양극재 공정", "q=%EA%B3%B5%EC%A0%95&segment=cathode")
    assert search.last_notified_at is not None and len(search.unsubscribe_token) >= 32
    assert student_user.get("/openings/?segment=cathode&q=공정").context["already_saved"] is True


def test_a_search_without_a_name_is_named_after_its_filters(world):
    search = save(world, "min_salary=3000000&q=보전&bogus=1")
    assert search.querystring == "min_salary=3000000&q=%EB%B3%B4%EC%A0%84"
    assert "“보전”" in search.name and "3,000,000" in search.name


def test_saving_the_same_search_twice_is_refused(student_user, world):
    save(world, "q=보전")
    response = student_user.post("/me/searches/", {"querystring": "q=보전"}, follow=True)
    assert SavedSearch.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_student_keeps_at_most_twenty_searches(world):
    for n in range(services.MAX_SAVED_SEARCHES):
        save(world, f"q=word{n}")
    with pytest.raises(services.ValidationError):
        save(world, "q=one-more")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("recruiter_a", 403), ("official", 403)],  # a visitor is asked to log in first
)
def test_only_students_save_searches(request, world, persona, status):
    client = request.getfixturevalue(persona)
    response = client.post("/me/searches/", {"querystring": "q=보전"})
    assert response.status_code == status
    if status == 302:
        assert response.url == "/accounts/login/?next=/me/searches/"
    assert not SavedSearch.objects.exists()
    assert "save_querystring" not in client.get("/openings/").context


def test_delete_and_email_switch_act_only_on_the_students_own_searches(student_user, world):
    mine = save(world, "q=보전")
    someone = other_student(world)
    theirs = services.saved_search_create(user=someone.user, district=world.district, params=QueryDict("q=x"))
    assert student_user.post(f"/me/searches/{theirs.pk}/delete/").status_code == 404
    assert student_user.post(f"/me/searches/{theirs.pk}/email/", {"email": "off"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.unsubscribed_at is None

    student_user.post(f"/me/searches/{mine.pk}/email/", {"email": "off"})
    mine.refresh_from_db()
    assert mine.unsubscribed_at is not None
    student_user.post(f"/me/searches/{mine.pk}/email/", {"email": "on"})
    mine.refresh_from_db()
    assert mine.unsubscribed_at is None
    student_user.post(f"/me/searches/{mine.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


# --- The digest ------------------------------------------------------------------------------


def test_digest_emails_new_matching_openings_once(world):
    search = save(world, "q=보전")
    back_date(search)
    new = published(world.company_a, title="설비 보전원")
    published(world.company_a, title="품질 검사원")  # does not match
    published(
        world.company_a, title="설비 보전원 (지난 공고)", hours_ago=48
    )  # published before the last digest
    f.OpeningFactory(
        company=world.company_a, title="설비 보전원 초안", status=Opening.Status.DRAFT, published_at=None
    )

    assert tasks.saved_search_digests_enqueue.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.student_user.email]
    assert f"/openings/{new.pk}/" in message.body
    assert (
        "품질 검사원" not in message.body and "지난 공고" not in message.body and "초안" not in message.body
    )
    unsubscribe = f"{settings.PORTAL_BASE_URL}/searches/{search.unsubscribe_token}/unsubscribe/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert unsubscribe in message.alternatives[0][0]
    notification = Notification.objects.get(user=world.student_user)
    assert notification.kind == Notification.Kind.SAVED_SEARCH and notification.url.startswith("/openings/?")

    # The next day, or a redelivered task: nothing new, nothing sent.
    tasks.saved_search_digest_send.delay(search.pk).get()
    assert len(mail.outbox) == 1


def test_digest_sends_nothing_when_nothing_is_new(world):
    search = save(world, "q=보전")
    back_date(search)
    published(world.company_a, title="품질 검사원")
    assert tasks.saved_search_digest_send.delay(search.pk).get() == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()
    search.refresh_from_db()
    assert search.last_notified_at > timezone.now() - datetime.timedelta(minutes=1)


def test_digest_respects_the_saved_filters(world):
    search = save(world, "min_salary=3000000")
    back_date(search)
    published(world.company_a, monthly_salary_krw=2_900_000)
    rich = published(world.company_a, monthly_salary_krw=3_200_000)
    services.saved_search_digest_send(saved_search_id=search.pk)
    assert f"/openings/{rich.pk}/" in mail.outbox[0].body
    assert mail.outbox[0].body.count("/openings/") == 2  # the opening, and the link to the whole search


def test_no_digest_after_unsubscribing_or_for_an_inactive_user(world):
    search = save(world, "q=보전")
    back_date(search)
    published(world.company_a, title="설비 보전원")
    services.saved_search_unsubscribe(saved_search=search)
    assert tasks.saved_search_digests_enqueue.delay().get() == 0
    assert services.saved_search_digest_send(saved_search_id=search.pk) == 0
    services.saved_search_resubscribe(saved_search=search, by=world.student_user)
    back_date(search)
    world.student_user.is_active = False
    world.student_user.save()
    assert services.saved_search_digest_send(saved_search_id=search.pk) == 0
    assert mail.outbox == []


def test_a_failed_send_keeps_the_openings_for_the_retry(world):
    search = save(world, "q=보전")
    back_date(search)
    published(world.company_a, title="설비 보전원")
    before = SavedSearch.objects.get(pk=search.pk).last_notified_at
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=smtplib.SMTPServerDisconnected
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        services.saved_search_digest_send(saved_search_id=search.pk)
    assert SavedSearch.objects.get(pk=search.pk).last_notified_at == before
    assert not Notification.objects.exists()
    services.saved_search_digest_send(saved_search_id=search.pk)
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_digest_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["saved-search-digests"]
    assert entry["task"] == "placements.saved_search_digests_enqueue"
    assert tasks.saved_search_digests_enqueue.name == entry["task"]


# --- Unsubscribing -----------------------------------------------------------------------------


def test_unsubscribe_link_asks_first_then_unsubscribes_in_one_click(world):
    from django.test import Client

    search = save(world, "q=보전")
    client = Client(enforce_csrf_checks=True)
    url = f"/searches/{search.unsubscribe_token}/unsubscribe/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["done"] is False
    search.refresh_from_db()
    assert search.unsubscribed_at is None  # a mail scanner following the link changes nothing

    # Mail programs POST "List-Unsubscribe=One-Click" without a CSRF token (RFC 8058).
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.context["done"] is True
    search.refresh_from_db()
    assert search.unsubscribed_at is not None
    assert client.post(url).status_code == 200  # again: still fine


def test_unknown_unsubscribe_token_answers_404(anonymous):
    assert anonymous.get("/searches/not-a-token/unsubscribe/").status_code == 404
    assert anonymous.post("/searches/not-a-token/unsubscribe/").status_code == 404
