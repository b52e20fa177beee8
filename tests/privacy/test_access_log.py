"""The personal-data access log: every page, export and API call that shows a student's data writes
one row per student (who, when, IP, whose data, what, and for exports the stated purpose)."""

import datetime

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from district.models import ExportLog
from privacy.checks import check_personal_data_settings
from privacy.models import PersonalDataAccess
from privacy.services import purge_access_log
from tests import factories as f
from tests.builders import assert_refused, run_setup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(**filters):
    return list(PersonalDataAccess.objects.filter(**filters).order_by("pk"))


def inserts_into_the_log(ctx) -> int:
    return sum('INSERT INTO "privacy_personaldataaccess"' in q["sql"] for q in ctx.captured_queries)


# --- School staff ---------------------------------------------------------------------------


def test_the_roster_page_logs_each_student_shown_in_one_insert(school_a_staff, world):
    others = f.StudentFactory.create_batch(3, department=world.department_a)
    f.StudentFactory(department=world.department_b)  # another school's student: not shown, not logged
    with CaptureQueriesContext(connection) as ctx:
        response = school_a_staff.get(reverse("schools:student_list"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert inserts_into_the_log(ctx) == 1
    logged = rows()
    assert {r.student_id for r in logged} == {world.student.pk, *(s.pk for s in others)}
    assert {(r.user_id, r.ip_address, r.what, r.kind) for r in logged} == {
        (world.school_a_staff.pk, "10.1.2.3", "schools:student_list", "view")
    }


def test_behind_the_proxy_the_log_names_the_client_not_the_proxy(school_a_staff, world, settings):
    """With one trusted proxy the client is the address it appended; anything further left is forged."""
    settings.TRUSTED_PROXY_COUNT = 1
    school_a_staff.get(
        reverse("schools:student_list"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert {r.ip_address for r in rows()} == {"203.0.113.9"}


def test_the_student_page_and_its_edit_form_log_the_student(school_a_staff, world):
    assert school_a_staff.get(reverse("schools:student_detail", args=[world.student.pk])).status_code == 200
    assert school_a_staff.get(reverse("schools:student_edit", args=[world.student.pk])).status_code == 200
    assert [(r.student_id, r.what) for r in rows()] == [
        (world.student.pk, "schools:student_detail"),
        (world.student.pk, "schools:student_edit"),
    ]


def test_a_student_out_of_reach_answers_404_and_logs_nothing(school_b_staff, world):
    assert school_b_staff.get(reverse("schools:student_detail", args=[world.student.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_roster_export_asks_for_a_purpose_first(school_a_staff, world):
    url = reverse("schools:roster_export") + f"?school={world.school_a.pk}"
    with translation.override("en"):
        form = school_a_staff.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert form.status_code == 200
        assert "Purpose of this export" in form.content.decode()
        empty = school_a_staff.get(url + "&purpose=+++", HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400
    assert "State the purpose of this export" in empty.content.decode()
    # Nothing was exported, so nothing is logged.
    assert not PersonalDataAccess.objects.exists()
    assert not ExportLog.objects.exists()


def test_the_roster_export_logs_the_purpose_with_every_student(school_a_staff, world):
    second = f.StudentFactory(department=world.department_a)
    url = reverse("schools:roster_export") + f"?school={world.school_a.pk}&purpose=현장실습 배치 협의"
    response = school_a_staff.get(url, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    logged = rows()
    assert {r.student_id for r in logged} == {world.student.pk, second.pk}
    assert {(r.kind, r.what, r.purpose, r.ip_address) for r in logged} == {
        ("export", "schools:roster_export", "현장실습 배치 협의", "10.0.0.9")
    }
    assert ExportLog.objects.get().purpose == "현장실습 배치 협의"


def test_the_export_service_refuses_an_empty_purpose_without_writing(world):
    from django.core.exceptions import ValidationError

    from schools.services.roster import roster_export

    with pytest.raises(ValidationError) as refused:
        roster_export(school=world.school_a, by=world.school_a_staff, purpose="  ")
    assert "purpose" in refused.value.message_dict
    assert not PersonalDataAccess.objects.exists() and not ExportLog.objects.exists()


# --- Recruiters and coordinators ------------------------------------------------------------


def test_the_applicant_list_and_an_application_log_the_applicants(recruiter_a, world):
    from companies.models import Company

    Company.objects.filter(pk=world.company_a.pk).update(verification="verified", verified_at=timezone.now())
    opening = f.OpeningFactory(company=world.company_a, status="published")
    application = f.ApplicationFactory(student=world.student, opening=opening)
    other = f.ApplicationFactory(student=f.StudentFactory(department=world.department_a), opening=opening)
    assert recruiter_a.get(reverse("companies:applicant_list", args=[opening.pk])).status_code == 200
    assert {r.student_id for r in rows(what="companies:applicant_list")} == {
        world.student.pk,
        other.student_id,
    }
    assert recruiter_a.get(reverse("companies:application_detail", args=[application.pk])).status_code == 200
    assert [r.student_id for r in rows(what="companies:application_detail")] == [world.student.pk]
    assert {r.user_id for r in rows()} == {world.recruiter_a.pk}


def test_the_coordinators_enrolment_pages_log_the_students(coordinator, world):
    program = f.CreditProgramFactory(university=world.university)
    enrollment = f.ProgramEnrollmentFactory(program=program, student=world.student)
    assert coordinator.get(reverse("universities:program_detail", args=[program.pk])).status_code == 200
    assert coordinator.get(reverse("universities:enrollment_detail", args=[enrollment.pk])).status_code == 200
    assert [(r.student_id, r.what) for r in rows()] == [
        (world.student.pk, "universities:program_detail"),
        (world.student.pk, "universities:enrollment_detail"),
    ]


# --- API and admin ---------------------------------------------------------------------------


def test_the_student_api_logs_each_student_served(official, world):
    second = f.StudentFactory(department=world.department_b)
    assert official.get("/api/v1/students/").status_code == 200
    assert {r.student_id for r in rows(kind="api")} == {world.student.pk, second.pk}
    assert official.get(f"/api/v1/students/{second.pk}/").status_code == 200
    assert [r.student_id for r in rows(what="api:students-detail")] == [second.pk]


def test_a_student_reading_their_own_record_is_not_logged(student_user, world):
    assert student_user.get("/api/v1/students/").status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_the_admin_student_pages_log_what_the_official_sees(official, world):
    assert official.get(reverse("admin:schools_student_changelist")).status_code == 200
    assert official.get(reverse("admin:schools_student_change", args=[world.student.pk])).status_code == 200
    assert [(r.student_id, r.what, r.user_id) for r in rows()] == [
        (world.student.pk, "admin:student_changelist", world.official.pk),
        (world.student.pk, "admin:student_change", world.official.pk),
    ]


def _gumi_access():
    gumi = f.DistrictFactory(slug="gumi", name="구미", region="경상북도 구미시")
    student = f.StudentFactory(department=f.DepartmentFactory(school=f.SchoolFactory(district=gumi)))
    return PersonalDataAccess.objects.create(student=student, what="schools:student_detail")


def test_officials_search_their_districts_access_log_read_only(official, world):
    mine = PersonalDataAccess.objects.create(
        user=world.school_a_staff, student=world.student, what="schools:student_detail", ip_address="10.0.0.1"
    )
    theirs = _gumi_access()
    url = reverse("admin:privacy_personaldataaccess_changelist")
    listed = official.get(url).context["cl"].result_list
    assert list(listed) == [mine]
    assert list(official.get(url, {"q": "김하늘"}).context["cl"].result_list) == [mine]
    assert not official.get(url, {"q": "nobody"}).context["cl"].result_list
    assert official.get(url, {"at__year": timezone.localdate().year}).status_code == 200
    assert (
        official.get(reverse("admin:privacy_personaldataaccess_change", args=[theirs.pk])).status_code == 302
    )
    # Nobody writes the log through the admin.
    assert official.get(reverse("admin:privacy_personaldataaccess_add")).status_code == 403
    change = reverse("admin:privacy_personaldataaccess_change", args=[mine.pk])
    official.post(change, {"what": "edited", "purpose": "edited"})
    mine.refresh_from_db()
    assert mine.what == "schools:student_detail"
    assert (
        official.post(reverse("admin:privacy_personaldataaccess_delete", args=[mine.pk])).status_code == 403
    )
    assert PersonalDataAccess.objects.filter(pk=mine.pk).exists()


# --- Keeping the log ---------------------------------------------------------------------------


def test_the_purge_deletes_only_rows_older_than_the_retention(world, settings):
    settings.PERSONAL_DATA_ACCESS_LOG_DAYS = 730
    now = timezone.now()
    old = PersonalDataAccess.objects.create(at=now - datetime.timedelta(days=731), what="a")
    kept = PersonalDataAccess.objects.create(at=now - datetime.timedelta(days=729), what="b")
    assert purge_access_log(now=now) == 1
    assert list(PersonalDataAccess.objects.all()) == [kept]
    assert not PersonalDataAccess.objects.filter(pk=old.pk).exists()


def test_less_than_two_years_fails_the_system_check_and_the_purge(settings):
    settings.PERSONAL_DATA_ACCESS_LOG_DAYS = 729
    errors = check_personal_data_settings()
    assert [e.id for e in errors] == ["privacy.E001"] and isinstance(errors[0], checks.Error)
    with pytest.raises(Exception, match="at least 730"):
        purge_access_log()
    settings.PERSONAL_DATA_ACCESS_LOG_DAYS = 730
    assert check_personal_data_settings() == []


def test_the_settings_refuse_an_access_log_kept_less_than_two_years():
    assert_refused(
        run_setup(DEBUG="true", PERSONAL_DATA_ACCESS_LOG_DAYS="365"), "PERSONAL_DATA_ACCESS_LOG_DAYS"
    )


def test_the_application_and_placement_apis_log_each_student_served_in_one_insert(official, world):
    """Issue 12: staff reads of applications and placements through the API are logged, as the pages'."""
    second = f.StudentFactory(department=world.department_b)
    for student in (world.student, second):
        f.ApplicationFactory(student=student, opening=f.OpeningFactory(company=world.company_a))
        f.PlacementFactory(student=student, company=world.company_a)
    for prefix in ("applications", "placements"):
        with CaptureQueriesContext(connection) as ctx:
            assert official.get(f"/api/v1/{prefix}/", REMOTE_ADDR="10.1.2.3").status_code == 200
        assert inserts_into_the_log(ctx) == 1
        logged = rows(what=f"api:{prefix}-list")
        assert sorted((r.student_id, r.user_id, r.kind, r.ip_address) for r in logged) == sorted(
            (s.pk, world.official.pk, "api", "10.1.2.3") for s in (world.student, second)
        )
    application = second.applications.get()
    placement = second.placements.get()
    assert official.get(f"/api/v1/applications/{application.pk}/").status_code == 200
    assert official.get(f"/api/v1/placements/{placement.pk}/").status_code == 200
    assert [(r.student_id, r.what) for r in rows(what__endswith="-detail")] == [
        (second.pk, "api:applications-detail"),
        (second.pk, "api:placements-detail"),
    ]


def test_a_student_reading_their_own_applications_and_placements_is_not_logged(student_user, world):
    f.ApplicationFactory(student=world.student, opening=f.OpeningFactory(company=world.company_a))
    f.PlacementFactory(student=world.student, company=world.company_a)
    for prefix in ("applications", "placements"):
        assert len(student_user.get(f"/api/v1/{prefix}/").json()["results"]) == 1
    assert not PersonalDataAccess.objects.exists()
