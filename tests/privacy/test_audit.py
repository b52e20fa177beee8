"""The audit trail (django-auditlog): who changed what and when, with contact details fully hidden,
and a read-only history for officials limited to their own districts."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from district.admin_base import DistrictScopedAdmin
from privacy.audit import HIDDEN
from schools.models import Student
from tests import factories as f

AUDITED = [
    "companies.Opening",
    "placements.Application",
    "placements.Placement",
    "schools.Student",
    "district.Membership",
]


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_the_five_models_are_audited():
    for label in AUDITED:
        assert auditlog.contains(apps.get_model(label)), label


def test_a_staff_edit_is_recorded_with_its_actor_and_contact_details_hidden(school_a_staff, world):
    student = world.student
    Student.objects.filter(pk=student.pk).update(email="haneul@example.kr", phone="010-1234-5678")
    response = school_a_staff.post(
        reverse("schools:student_edit", args=[student.pk]),
        {
            "name": "김하늘",
            "department": world.department_a.pk,
            "cohort": 2026,
            "birth_date": "2008-06-02",
            "status": "enrolled",
            "email": "sky@example.kr",
            "phone": "010-9999-0000",
        },
    )
    assert response.status_code == 302
    entry = entries_for(student).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == world.school_a_staff
    assert entry.remote_addr == "127.0.0.1"
    changes = entry.changes_dict
    assert changes["email"] == [HIDDEN, HIDDEN]
    assert changes["phone"] == [HIDDEN, HIDDEN]
    assert changes["birth_date"] == [HIDDEN, HIDDEN]
    # What the entry stores of the student (ids and timestamps could hold "0000" by chance).
    stored = str(
        LogEntry.objects.filter(pk=entry.pk)
        .values("object_repr", "changes", "changes_text", "serialized_data", "additional_data")
        .get()
    )
    for secret in ("haneul", "sky@", "5678", "0000", "2008-06-02", "2008-05-01"):
        assert secret not in stored, secret
    assert "updated_at" not in changes


def test_a_value_added_where_there_was_none_shows_as_added_but_hidden(world):
    student = f.StudentFactory(department=world.department_a, email="", phone="")
    student.phone = "010-2222-3333"
    student.save()
    assert entries_for(student).last().changes_dict["phone"] == ["", HIDDEN]


def test_an_application_change_is_recorded_and_its_feedback_hidden(world):
    application = f.ApplicationFactory(
        student=world.student, opening=f.OpeningFactory(company=world.company_a)
    )
    application.status = "rejected"
    application.feedback = "면접 때 건강 문제를 언급함"
    application.save()
    changes = entries_for(application).last().changes_dict
    assert changes["status"] == ["submitted", "rejected"]
    assert changes["feedback"] == ["", HIDDEN]


def _gumi_student():
    gumi = f.DistrictFactory(slug="gumi", name="구미", region="경상북도 구미시")
    return f.StudentFactory(
        department=f.DepartmentFactory(school=f.SchoolFactory(district=gumi)), name="구미학생"
    )


def test_officials_read_their_districts_history_only(official, world):
    outsider = _gumi_student()
    opening = f.OpeningFactory(company=world.company_a)
    url = reverse("admin:auditlog_logentry_changelist")
    response = official.get(url)
    assert response.status_code == 200
    shown = {(e.content_type.model, e.object_id) for e in response.context["cl"].result_list}
    assert ("student", world.student.pk) in shown
    assert ("opening", opening.pk) in shown
    assert ("student", outsider.pk) not in shown
    theirs = entries_for(outsider).first()
    assert official.get(reverse("admin:auditlog_logentry_change", args=[theirs.pk])).status_code == 302
    mine = entries_for(world.student).first()
    assert official.get(reverse("admin:auditlog_logentry_change", args=[mine.pk])).status_code == 200


def test_nobody_edits_the_history_through_the_admin(official, world):
    entry = entries_for(world.student).first()
    assert official.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert official.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk])).status_code == 403
    official.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {"object_repr": "x"})
    assert LogEntry.objects.get(pk=entry.pk).object_repr == str(world.student)


def test_other_roles_cannot_open_the_history(school_a_staff, world):
    response = school_a_staff.get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_history_admin_is_the_district_scoped_one():
    assert isinstance(admin.site._registry[LogEntry], DistrictScopedAdmin)


def test_the_students_note_to_the_company_is_hidden_in_the_history(world):
    application = f.ApplicationFactory(
        student=world.student, opening=f.OpeningFactory(company=world.company_a)
    )
    application.note = "건강 사정으로 야간 근무는 어렵습니다."
    application.save()
    assert entries_for(application).last().changes_dict["note"] == ["", HIDDEN]
