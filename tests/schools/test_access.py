"""Every URL of the schools app: the right people in, everyone else out.

School pages (/school/) are for school staff; an object of another school answers 404,
the same as a missing one; students, recruiters, coordinators and officials get 403;
anonymous visitors are sent to log in. Host-company pages (/practice/) are for the
company's recruiters, /me/practice/ for the student.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from schools.models import PracticeDiaryEntry, PracticeIncident, RosterImport
from tests import factories as f


@pytest.fixture
def objects(world):
    practice = f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        status="on_hold",
        safety_checked_on=datetime.date(2026, 6, 1),
        safety_checked_by=world.school_a_staff,
    )
    entry = PracticeDiaryEntry.objects.create(
        practice=practice, week_starting=datetime.date(2026, 6, 29), text="x"
    )
    return SimpleNamespace(
        entry=entry,
        student=world.student,
        department=world.department_a,
        unit=_course_unit(world),
        training=_training(world),
        practice=practice,
        incident=PracticeIncident.objects.create(practice=practice, reporter_role="school", description="x"),
        roster_import=RosterImport.objects.create(
            school=world.school_a,
            original_name="a.xlsx",
            file_format="xlsx",
            status="succeeded",
            total=1,
            processed=1,
        ),
        placement=f.PlacementFactory(
            student=world.student, company=world.company_a, starts_on=datetime.date(2024, 3, 4)
        ),
    )


def _course_unit(world):
    from schools.models import CourseUnit

    return CourseUnit.objects.create(
        department=world.department_a, ncs_unit=f.NcsUnitFactory(), title="전지 셀 조립", hours=34
    )


def _training(world):
    from schools.models import TeacherTraining

    return TeacherTraining.objects.create(
        district=world.district,
        title="이차전지 공정 연수",
        provider="포항테크노파크",
        hours=30,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 9),
    )


# (name, args from objects, method); object pages answer 404 to another school's staff.
SCHOOL_OBJECT_URLS = [
    ("schools:student_detail", lambda o: [o.student.pk], "get"),
    ("schools:student_edit", lambda o: [o.student.pk], "get"),
    ("schools:student_invite", lambda o: [o.student.pk], "post"),
    ("schools:roster_import_detail", lambda o: [o.roster_import.pk], "get"),
    ("schools:department_edit", lambda o: [o.department.pk], "get"),
    ("schools:course_unit_edit", lambda o: [o.unit.pk], "get"),
    ("schools:practice_detail", lambda o: [o.practice.pk], "get"),
    ("schools:practice_edit", lambda o: [o.practice.pk], "post"),
    ("schools:practice_consent", lambda o: [o.practice.pk], "post"),
    ("schools:practice_safety", lambda o: [o.practice.pk], "post"),
    ("schools:practice_start", lambda o: [o.practice.pk], "post"),
    ("schools:practice_complete", lambda o: [o.practice.pk], "post"),
    ("schools:practice_cancel", lambda o: [o.practice.pk], "post"),
    ("schools:practice_report_incident", lambda o: [o.practice.pk], "post"),
    ("schools:incident_review", lambda o: [o.incident.pk], "post"),
    ("schools:retention_review", lambda o: [o.placement.pk, 6], "get"),
]
SCHOOL_LIST_URLS = [
    ("schools:index", lambda o: [], "get"),
    ("schools:student_list", lambda o: [], "get"),
    ("schools:roster_import", lambda o: [], "get"),
    ("schools:roster_template", lambda o: [], "get"),
    ("schools:roster_export", lambda o: [], "get"),
    ("schools:department_list", lambda o: [], "get"),
    ("schools:department_create", lambda o: [], "get"),
    ("schools:course_unit_list", lambda o: [], "get"),
    ("schools:course_unit_create", lambda o: [], "get"),
    ("schools:training_list", lambda o: [], "get"),
    ("schools:training_create", lambda o: [], "get"),
    ("schools:completion_create", lambda o: [o.training.pk], "get"),
    ("schools:teacher_create", lambda o: [], "get"),
    ("schools:practice_list", lambda o: [], "get"),
    ("schools:practice_create", lambda o: [], "get"),
    ("schools:retention_list", lambda o: [], "get"),
]
COMPANY_URLS = [
    ("practice:list", lambda o: [], "get", False),
    ("practice:diary", lambda o: [o.practice.pk], "get", True),
    ("practice:acknowledge", lambda o: [o.practice.pk, o.entry.pk], "post", True),
    ("practice:report_incident", lambda o: [o.practice.pk], "post", True),
]
STUDENT_URLS = [
    ("me_practice:index", lambda o: [], "get", False),
    ("me_practice:diary_save", lambda o: [o.practice.pk], "post", True),
    ("me_practice:report_incident", lambda o: [o.practice.pk], "post", True),
]


def _call(client, method, url):
    return getattr(client, method)(url)


def _ids(urls):
    return [u[0] for u in urls]


@pytest.mark.parametrize(
    ("name", "args", "method"),
    SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS,
    ids=_ids(SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS),
)
def test_school_pages_let_their_staff_in(school_a_staff, objects, name, args, method):
    response = _call(school_a_staff, method, reverse(name, args=args(objects)))
    assert response.status_code in {200, 302, 400}, response.status_code
    if response.status_code == 302:
        assert not response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(("name", "args", "method"), SCHOOL_OBJECT_URLS, ids=_ids(SCHOOL_OBJECT_URLS))
def test_another_schools_staff_get_404_for_this_schools_objects(school_b_staff, objects, name, args, method):
    assert _call(school_b_staff, method, reverse(name, args=args(objects))).status_code == 404


@pytest.mark.parametrize("persona", ["student_user", "recruiter_a", "coordinator", "official"])
@pytest.mark.parametrize(
    ("name", "args", "method"),
    SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS,
    ids=_ids(SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS),
)
def test_school_pages_refuse_other_roles(request, objects, persona, name, args, method):
    client = request.getfixturevalue(persona)
    assert _call(client, method, reverse(name, args=args(objects))).status_code == 403


@pytest.mark.parametrize(
    ("name", "args", "method"),
    SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS + [u[:3] for u in COMPANY_URLS + STUDENT_URLS],
    ids=_ids(SCHOOL_OBJECT_URLS + SCHOOL_LIST_URLS + COMPANY_URLS + STUDENT_URLS),
)
def test_anonymous_visitors_are_sent_to_log_in(anonymous, objects, name, args, method):
    response = _call(anonymous, method, reverse(name, args=args(objects)))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(("name", "args", "method", "is_object"), COMPANY_URLS, ids=_ids(COMPANY_URLS))
def test_company_practice_pages(
    recruiter_a,
    recruiter_b,
    school_a_staff,
    student_user,
    coordinator,
    objects,
    name,
    args,
    method,
    is_object,
):
    url = reverse(name, args=args(objects))
    assert _call(recruiter_a, method, url).status_code in {200, 302}
    assert _call(recruiter_b, method, url).status_code == (404 if is_object else 200)
    for client in (school_a_staff, student_user, coordinator):
        assert _call(client, method, url).status_code == 403


@pytest.mark.parametrize(("name", "args", "method", "is_object"), STUDENT_URLS, ids=_ids(STUDENT_URLS))
def test_student_practice_pages(
    student_user, school_a_staff, recruiter_a, coordinator, objects, name, args, method, is_object
):
    url = reverse(name, args=args(objects))
    assert _call(student_user, method, url).status_code in {200, 302, 400}
    for client in (school_a_staff, recruiter_a, coordinator):
        assert _call(client, method, url).status_code == 403


def test_list_pages_show_another_school_nothing_of_this_one(school_b_staff, objects):
    assert list(school_b_staff.get(reverse("schools:student_list")).context["page"]) == []
    assert list(school_b_staff.get(reverse("schools:practice_list")).context["page"]) == []
    assert list(school_b_staff.get(reverse("schools:course_unit_list")).context["page"]) == []
    departments = school_b_staff.get(reverse("schools:department_list")).context["departments"]
    assert departments and all(d.school_id != objects.department.school_id for d in departments)
    assert list(school_b_staff.get(reverse("schools:roster_import")).context["recent"]) == []


def test_a_left_or_inactive_membership_grants_nothing(world, objects, school_a_staff):
    world.school_a_staff.memberships.update(is_active=False)
    assert school_a_staff.get(reverse("schools:student_list")).status_code == 403
