"""The task outbox's admin: superusers read what waits and can publish it now; officials never see it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from district.models import TaskOutbox
from tests import factories as f
from tests.redis_server import celery_publishing_to, running_private_redis

CHANGELIST = reverse("admin:district_taskoutbox_changelist")


@pytest.fixture
def superuser(db):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def kept(db):
    """Two tasks kept while Redis was down: one the code base still has, one renamed long ago."""
    stale = TaskOutbox.objects.create(
        task_name="placements.tasks.renamed_long_ago", args=[1], error="unknown task", attempts=3
    )
    mail = TaskOutbox.objects.create(
        task_name="companies.tasks.send_application_received_email_task",
        args=[11],
        error="ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused.",
    )
    created = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
    attempted = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 45))
    TaskOutbox.objects.filter(pk=stale.pk).update(created_at=created, last_attempt_at=attempted)
    TaskOutbox.objects.filter(pk=mail.pk).update(created_at=created, last_attempt_at=created)
    return stale, mail


def test_a_superuser_reads_every_waiting_task_with_its_attempts_and_error(superuser, kept):
    stale, mail = kept
    response = superuser.get(CHANGELIST)
    assert response.status_code == 200
    cl = response.context["cl"]
    assert list(cl.result_list) == [stale, mail]
    assert cl.list_display == [
        "action_checkbox",
        "task_name",
        "attempts",
        "error",
        "created_at",
        "last_attempt_at",
    ]
    assert [(r.task_name, r.attempts, r.error, r.created_at, r.last_attempt_at) for r in cl.result_list] == [
        (
            "placements.tasks.renamed_long_ago",
            3,
            "unknown task",
            timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
            timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 45)),
        ),
        (
            "companies.tasks.send_application_received_email_task",
            1,
            "ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused.",
            timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
            timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
        ),
    ]
    page = response.content.decode()
    assert "placements.tasks.renamed_long_ago" in page
    assert "Connection refused." in page
    assert list(response.context["action_form"].fields["action"].choices) == [
        ("", "---------"),
        ("publish_now", "Publish every waiting task now"),
    ]


def test_a_superuser_reads_a_row_but_cannot_add_change_or_delete_one(superuser, kept):
    stale, _mail = kept
    response = superuser.get(reverse("admin:district_taskoutbox_change", args=[stale.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert superuser.get(reverse("admin:district_taskoutbox_add")).status_code == 403
    assert superuser.get(reverse("admin:district_taskoutbox_delete", args=[stale.pk])).status_code == 403
    assert superuser.post(reverse("admin:district_taskoutbox_change", args=[stale.pk]), {}).status_code == 403
    assert TaskOutbox.objects.count() == 2


def test_an_official_gets_no_module_and_403_on_every_page(official, kept):
    stale, _mail = kept
    index = official.get(reverse("admin:index"))
    assert index.status_code == 200
    district_models = next(a for a in index.context["app_list"] if a["app_label"] == "district")["models"]
    assert "TaskOutbox" not in [m["object_name"] for m in district_models]
    assert CHANGELIST not in index.content.decode()
    for url in (
        CHANGELIST,
        reverse("admin:district_taskoutbox_add"),
        reverse("admin:district_taskoutbox_change", args=[stale.pk]),
        reverse("admin:district_taskoutbox_delete", args=[stale.pk]),
        reverse("admin:district_taskoutbox_history", args=[stale.pk]),
    ):
        assert official.get(url).status_code == 403, url
    response = official.post(CHANGELIST, {"action": "publish_now", "_selected_action": [stale.pk]})
    assert response.status_code == 403
    assert TaskOutbox.objects.count() == 2


@pytest.fixture
def private_redis():
    yield from running_private_redis()


@pytest.mark.resilience
def test_publish_now_sends_what_it_can_and_keeps_the_rest_with_its_error(superuser, kept, private_redis):
    stale, mail = kept
    with celery_publishing_to(private_redis.url()):
        response = superuser.post(CHANGELIST, {"action": "publish_now", "_selected_action": [mail.pk]})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Published 1 task(s); 1 still waiting."]
    assert list(TaskOutbox.objects.values_list("pk", "attempts", "error")) == [
        (stale.pk, 4, "unknown task 'placements.tasks.renamed_long_ago'")
    ]
    assert private_redis.client().llen("celery") == 1
