"""Student invitations: a single-use link, valid 7 days, emailed through Celery; leaving closes it."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from district.models import Membership, User
from schools.models import StudentInvitation
from schools.services.invitations import invitation_create, invitation_send
from schools.services.students import student_deactivate
from tests import factories as f

PASSWORD = "battery-cathode-2026!"


@pytest.fixture
def new_student(world):
    return f.StudentFactory(department=world.department_a, name="박서준", email="seojun@example.kr")


def invite(client, student, captured, **data):
    with captured(execute=True):
        return client.post(reverse("schools:student_invite", args=[student.pk]), data)


def link_from_mail(message) -> str:
    return re.search(r"https?://\S+/accounts/invite/(\S+)/", message.body).group(0)


def test_staff_invite_a_student_and_the_email_carries_a_single_use_link(
    school_a_staff, world, new_student, django_capture_on_commit_callbacks
):
    response = invite(school_a_staff, new_student, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = StudentInvitation.objects.get(student=new_student)
    assert invitation.created_by == world.school_a_staff
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["seojun@example.kr"]
    link = link_from_mail(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Only the SHA-256 of the token is stored.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(StudentInvitation.objects.filter(pk=invitation.pk).values().get())
    assert "seojun@example.kr" in mail.outbox[0].body  # the login ID


def test_setting_the_password_creates_the_account_and_the_membership(
    client, school_a_staff, world, new_student, django_capture_on_commit_callbacks
):
    invite(school_a_staff, new_student, django_capture_on_commit_callbacks)
    path = link_from_mail(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and page.context["login_id"] == "seojun@example.kr"
    response = client.post("/" + path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    new_student.refresh_from_db()
    user = new_student.user
    assert user.username == "seojun@example.kr" and user.is_active and user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.school, membership.is_active) == ("student", world.school_a, True)
    assert StudentInvitation.objects.get().used_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    # Single use: the same link now shows a clear page.
    again = client.get("/" + path, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 410 and again.context["problem"] == "used"
    assert "already been used" in again.content.decode()


def test_weak_or_mismatched_passwords_are_refused_and_the_link_stays_usable(
    client, school_a_staff, new_student, django_capture_on_commit_callbacks
):
    invite(school_a_staff, new_student, django_capture_on_commit_callbacks)
    url = link_from_mail(mail.outbox[0])
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path, {"password1": "1234", "password2": "1234"}).status_code == 200
    assert client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"}).status_code == 200
    assert not User.objects.filter(username="seojun@example.kr").exists()
    assert StudentInvitation.objects.get().used_at is None


def _sent_invitation(student, *, created_at=None):
    now = created_at or timezone.now()
    invitation = StudentInvitation.objects.create(
        student=student, email=student.email, created_at=now, expires_at=now + datetime.timedelta(days=7)
    )
    token = "t0ken-" + str(invitation.pk)
    invitation.token_hash = hashlib.sha256(token.encode()).hexdigest()
    invitation.sent_at = now
    invitation.save()
    return invitation, reverse("invitations:accept", args=[token])


def test_an_expired_link_shows_a_clear_page(client, new_student):
    _invitation, url = _sent_invitation(
        new_student, created_at=timezone.now() - datetime.timedelta(days=7, seconds=1)
    )
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410 and response.context["problem"] == "expired"
    assert client.post(url, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert new_student.user is None


def test_a_link_still_works_just_before_seven_days(client, new_student):
    _invitation, url = _sent_invitation(
        new_student, created_at=timezone.now() - datetime.timedelta(days=6, hours=23)
    )
    assert client.get(url).status_code == 200


def test_an_unknown_token_is_not_found(client, db):
    response = client.get(reverse("invitations:accept", args=["not-a-real-token"]))
    assert response.status_code == 404 and response.context["problem"] == "unknown"


def test_a_new_invitation_replaces_the_old_link(
    school_a_staff, client, new_student, django_capture_on_commit_callbacks
):
    _old, old_url = _sent_invitation(new_student)
    invite(school_a_staff, new_student, django_capture_on_commit_callbacks)
    assert client.get(old_url).status_code == 410
    assert StudentInvitation.objects.filter(student=new_student).count() == 2


def test_a_redelivered_send_task_sends_nothing_twice(new_student, world):
    invitation = invitation_create(student=new_student, by=world.school_a_staff, base_url="http://x/")
    assert invitation_send(invitation_id=invitation.pk, base_url="http://x/") is True
    first_hash = StudentInvitation.objects.get().token_hash
    assert invitation_send(invitation_id=invitation.pk, base_url="http://x/") is False
    assert len(mail.outbox) == 1 and StudentInvitation.objects.get().token_hash == first_hash


def test_a_student_without_email_cannot_be_invited(school_a_staff, world, django_capture_on_commit_callbacks):
    student = f.StudentFactory(department=world.department_a, email="")
    response = invite(school_a_staff, student, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not StudentInvitation.objects.exists() and not mail.outbox


def staff_answer(client, student, captured):
    """What the staff member sees after inviting: status, where it goes and the messages there."""
    with captured(execute=True):
        response = client.post(
            reverse("schools:student_invite", args=[student.pk]), {}, HTTP_ACCEPT_LANGUAGE="en"
        )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response["Location"], [str(m) for m in page.context["messages"]]


def test_staff_cannot_learn_that_an_address_has_an_account(
    school_a_staff, world, django_capture_on_commit_callbacks
):
    """Issue 12: the answer for an address with an account and one without is the same."""
    f.UserFactory(username="taken@example.kr")
    taken = f.StudentFactory(department=world.department_a, name="김하늘", email="taken@example.kr")
    free = f.StudentFactory(department=world.department_a, name="이바다", email="free@example.kr")
    with translation.override("en"):
        status_taken, location_taken, messages_taken = staff_answer(
            school_a_staff, taken, django_capture_on_commit_callbacks
        )
        status_free, location_free, messages_free = staff_answer(
            school_a_staff, free, django_capture_on_commit_callbacks
        )
    assert (status_taken, messages_taken) == (status_free, messages_free)
    assert messages_free == ["The invitation is on its way. The link works for 7 days, once."]
    assert (location_taken, location_free) == (
        reverse("schools:student_detail", args=[taken.pk]),
        reverse("schools:student_detail", args=[free.pk]),
    )
    # The address's owner learns what to do next, and gets no link that would make a second login.
    in_use = next(m for m in mail.outbox if m.to == ["taken@example.kr"])
    assert "이미 포털 계정의 로그인 아이디로 쓰이고 있어 새 계정을 만들 수 없습니다" in in_use.body
    assert "/accounts/invite/" not in in_use.body
    invitation = StudentInvitation.objects.get(student=taken)
    assert invitation.token_hash is None and invitation.expires_at <= timezone.now()
    assert "/accounts/invite/" in next(m for m in mail.outbox if m.to == ["free@example.kr"]).body


def test_an_existing_account_gets_a_new_password_and_keeps_its_login(
    client, school_a_staff, world, django_capture_on_commit_callbacks
):
    student = world.student
    student.email = "sky@example.kr"
    student.save()
    invite(school_a_staff, student, django_capture_on_commit_callbacks)
    path = "/" + link_from_mail(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    world.student_user.refresh_from_db()
    assert world.student_user.username == "student" and world.student_user.check_password(PASSWORD)
    assert Membership.objects.filter(user=world.student_user).count() == 1


def test_a_student_who_left_is_deactivated_and_their_link_stops_working(school_a_staff, world, client):
    student = world.student
    _invitation, url = _sent_invitation(student)
    response = school_a_staff.post(
        reverse("schools:student_edit", args=[student.pk]),
        {
            "name": student.name,
            "department": world.department_a.pk,
            "cohort": student.cohort,
            "status": "left",
        },
    )
    assert response.status_code == 302
    world.student_user.refresh_from_db()
    assert world.student_user.is_active is False
    assert not Membership.objects.filter(user=world.student_user, is_active=True).exists()
    assert client.get(url).status_code == 410
    # And they cannot be invited again.
    assert school_a_staff.post(reverse("schools:student_invite", args=[student.pk])).status_code == 302
    assert StudentInvitation.objects.filter(student=student).count() == 1


def test_the_deactivation_service_closes_everything(world):
    student_deactivate(student=world.student, by=world.school_a_staff)
    world.student_user.refresh_from_db()
    assert not world.student_user.is_active


def test_other_schools_staff_cannot_invite_or_edit_this_schools_students(school_b_staff, world):
    assert school_b_staff.post(reverse("schools:student_invite", args=[world.student.pk])).status_code == 404
    assert school_b_staff.get(reverse("schools:student_edit", args=[world.student.pk])).status_code == 404
