"""The schools app's constraints each refuse a row that breaks them and allow their exceptions."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from schools.models import (
    AttendanceRecord,
    CourseUnit,
    FieldPractice,
    PracticeDiaryEntry,
    PracticeIncident,
    ProfileFile,
    RosterImport,
    SelfIntroduction,
    StudentInvitation,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)
from tests import constraint_registry as reg
from tests import factories as f
from tests.builders import other_district

cases = reg.ConstraintCases("schools")
S = FieldPractice.Status


# --- School and department ---------------------------------------------------------


@cases.refused("school_unique_name")
def school_name_taken_in_the_district():
    school = f.SchoolFactory()
    return f.SchoolFactory.build(district=school.district, name=school.name)


@cases.allowed("school_unique_name")
def same_school_name_in_another_district():
    school = f.SchoolFactory()
    return f.SchoolFactory.build(district=other_district(), name=school.name)


@cases.refused("department_unique_name")
def department_name_taken_at_the_school():
    department = f.DepartmentFactory()
    return f.DepartmentFactory.build(school=department.school, name=department.name)


@cases.allowed("department_unique_name")
def same_department_name_at_another_school():
    department = f.DepartmentFactory()
    return f.DepartmentFactory.build(school=f.SchoolFactory(), name=department.name)


@cases.refused("department_reorganisation_complete")
def replaced_department_without_the_year():
    old = f.DepartmentFactory()
    return f.DepartmentFactory.build(school=old.school, replaced=old, reorganised_year=None)


@cases.refused("department_reorganisation_complete")
def reorganisation_year_without_the_replaced_department():
    return f.DepartmentFactory.build(school=f.SchoolFactory(), reorganised_year=2025)


@cases.allowed("department_reorganisation_complete", "department_not_replacing_itself")
def department_replacing_another_in_a_year():
    old = f.DepartmentFactory()
    return f.DepartmentFactory.build(school=old.school, replaced=old, reorganised_year=2025)


@cases.allowed("department_reorganisation_complete")
def department_never_reorganised():
    return f.DepartmentFactory.build(school=f.SchoolFactory())


@cases.refused("department_not_replacing_itself")
def department_replacing_itself():
    department = f.DepartmentFactory()
    department.replaced = department
    department.reorganised_year = 2025
    return department


# --- Curriculum -------------------------------------------------------------------


def _course_unit(**overrides):
    values = {
        "department": f.DepartmentFactory(),
        "ncs_unit": f.NcsUnitFactory(),
        "title": "전지 셀 조립 실무",
        "hours": 34,
        "grade_year": 2,
    }
    return CourseUnit(**(values | overrides))


@cases.refused("courseunit_hours_positive")
def course_unit_without_hours():
    return _course_unit(hours=0)


@cases.allowed("courseunit_hours_positive")
def course_unit_of_one_hour():
    return _course_unit(hours=1)


@cases.refused("courseunit_grade_1_to_3")
def course_unit_in_year_zero():
    return _course_unit(grade_year=0)


@cases.refused("courseunit_grade_1_to_3")
def course_unit_in_year_four():
    return _course_unit(grade_year=4)


@cases.allowed("courseunit_grade_1_to_3")
def course_unit_in_year_one():
    return _course_unit(grade_year=1)


@cases.allowed("courseunit_grade_1_to_3")
def course_unit_in_year_three():
    return _course_unit(grade_year=3)


# --- Students ---------------------------------------------------------------------


@cases.refused("student_unique_number")
def student_number_taken_at_the_school():
    student = f.StudentFactory()
    return f.StudentFactory.build(
        department=student.department, school=student.school, student_number=student.student_number
    )


@cases.allowed("student_unique_number")
def same_student_number_at_another_school():
    student = f.StudentFactory()
    department = f.DepartmentFactory()
    return f.StudentFactory.build(
        department=department, school=department.school, student_number=student.student_number
    )


@cases.refused("schools.Student.user")
def two_students_on_one_account():
    student = f.StudentFactory(user=reg.user())
    return f.StudentFactory.build(department=student.department, school=student.school, user=student.user)


@cases.refused("studentcert_unique")
def certification_held_twice():
    held = f.StudentCertificationFactory()
    return f.StudentCertificationFactory.build(
        student=held.student, certification=held.certification, acquired_on=datetime.date(2026, 1, 5)
    )


@cases.allowed("studentcert_unique")
def same_certification_for_another_student():
    held = f.StudentCertificationFactory()
    return f.StudentCertificationFactory.build(student=f.StudentFactory(), certification=held.certification)


@cases.refused("studentcert_verified_has_number")
def certification_checked_without_its_number():
    return f.StudentCertificationFactory.build(
        student=f.StudentFactory(),
        certification=f.CertificationFactory(),
        verified_at=timezone.now(),
        number="",
    )


@cases.allowed("studentcert_verified_has_number")
def certification_checked_with_its_number():
    return f.StudentCertificationFactory.build(
        student=f.StudentFactory(),
        certification=f.CertificationFactory(),
        verified_at=timezone.now(),
        number="25201031234B",
    )


# --- The profile (issue 15) -------------------------------------------------------------


@cases.refused("attendance_one_per_school_year")
def attendance_recorded_twice_for_a_school_year():
    first = AttendanceRecord.objects.create(student=f.StudentFactory(), school_year=2025, absences=1)
    return AttendanceRecord(student=first.student, school_year=2025, absences=3)


@cases.allowed("attendance_one_per_school_year")
def attendance_for_the_next_school_year():
    first = AttendanceRecord.objects.create(student=f.StudentFactory(), school_year=2025, absences=1)
    return AttendanceRecord(student=first.student, school_year=2026, late=2)


@cases.refused("schools.SelfIntroduction.student")
def a_second_self_introduction():
    first = SelfIntroduction.objects.create(student=f.StudentFactory(), growth="포항에서 자랐습니다.")
    return SelfIntroduction(student=first.student, motivation="이차전지 공정에 관심이 있습니다.")


def _profile_file(student, path):
    return ProfileFile(
        student=student,
        path=path,
        original_name="발표자료.pdf",
        content_type="application/pdf",
        size=1024,
        sha256="0" * 64,
    )


@cases.refused("schools.ProfileFile.path")
def two_files_stored_under_one_path():
    first = _profile_file(f.StudentFactory(), "profiles/1/" + "a" * 64 + ".pdf")
    first.save()
    return _profile_file(f.StudentFactory(), first.path)


# --- Teachers and their training --------------------------------------------------------


def _teacher(**overrides):
    values = {"school": f.SchoolFactory(), "name": "박선생", "subject": "전기"}
    return Teacher.objects.create(**(values | overrides))


def _training(save=True, **overrides):
    values = {
        "district": f.DistrictFactory(),
        "title": "이차전지 공정 교사 연수",
        "provider": "에코프로",
        "hours": 30,
        "starts_on": datetime.date(2026, 1, 12),
        "ends_on": datetime.date(2026, 1, 16),
    }
    training = TeacherTraining(**(values | overrides))
    if save:
        training.save()
    return training


@cases.refused("schools.Teacher.user")
def two_teachers_on_one_account():
    teacher = _teacher(user=reg.user())
    return Teacher(school=teacher.school, name="다른 선생", user=teacher.user)


@cases.refused("training_hours_positive")
def training_without_hours():
    return _training(save=False, hours=0)


@cases.allowed("training_hours_positive")
def training_of_one_hour():
    return _training(save=False, hours=1)


@cases.refused("training_dates_ordered")
def training_ending_before_it_starts():
    return _training(save=False, starts_on=datetime.date(2026, 1, 16), ends_on=datetime.date(2026, 1, 12))


@cases.allowed("training_dates_ordered")
def one_day_training():
    return _training(save=False, starts_on=datetime.date(2026, 1, 12), ends_on=datetime.date(2026, 1, 12))


def _completion(training, teacher, hours=30):
    return TrainingCompletion(
        training=training, teacher=teacher, completed_on=datetime.date(2026, 1, 16), hours=hours
    )


@cases.refused("completion_unique")
def completion_recorded_twice():
    first = _completion(_training(), _teacher())
    first.save()
    return _completion(first.training, first.teacher, hours=12)


@cases.allowed("completion_unique")
def teacher_completing_two_trainings():
    first = _completion(_training(), _teacher())
    first.save()
    return _completion(_training(district=first.training.district, title="안전 연수"), first.teacher)


@cases.refused("completion_hours_positive")
def completion_of_zero_hours():
    return _completion(_training(), _teacher(), hours=0)


@cases.allowed("completion_hours_positive")
def completion_of_one_hour():
    return _completion(_training(), _teacher(), hours=1)


# --- Field practice ---------------------------------------------------------------


def _practice(student=None, **overrides):
    student = student or f.StudentFactory()
    company = f.CompanyFactory(district=student.school.district)
    return f.FieldPracticeFactory.build(student=student, company=company, **overrides)


def _started(student=None, status=S.IN_PROGRESS, **overrides):
    values = {"safety_checked_on": datetime.date(2026, 6, 20), "supervisor_name": "김현장"}
    return _practice(student, status=status, **(values | overrides))


@cases.refused("fieldpractice_dates_ordered")
def practice_ending_before_it_starts():
    return _practice(starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 7, 1))


@cases.allowed("fieldpractice_dates_ordered")
def one_day_practice():
    return _practice(starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2026, 7, 1))


@cases.refused("fieldpractice_started_has_safety_and_supervisor")
def practice_started_without_a_safety_check():
    return _started(safety_checked_on=None)


@cases.refused("fieldpractice_started_has_safety_and_supervisor")
def practice_started_without_a_supervisor():
    return _started(supervisor_name="")


@cases.refused("fieldpractice_started_has_safety_and_supervisor")
def practice_on_hold_without_a_safety_check():
    return _started(status=S.ON_HOLD, safety_checked_on=None)


@cases.refused("fieldpractice_started_has_safety_and_supervisor")
def practice_completed_without_a_safety_check():
    return _started(status=S.COMPLETED, safety_checked_on=None)


@cases.allowed("fieldpractice_started_has_safety_and_supervisor")
def planned_practice_without_check_or_supervisor():
    return _practice(status=S.PLANNED, safety_checked_on=None, supervisor_name="")


@cases.allowed("fieldpractice_started_has_safety_and_supervisor")
def cancelled_practice_without_check_or_supervisor():
    return _practice(status=S.CANCELLED, safety_checked_on=None, supervisor_name="")


@cases.allowed("fieldpractice_started_has_safety_and_supervisor")
def practice_started_with_check_and_supervisor():
    return _started()


@cases.refused("fieldpractice_consent_complete")
def consent_date_without_a_method():
    return _practice(guardian_consent_on=datetime.date(2026, 6, 1), guardian_consent_method="")


@cases.refused("fieldpractice_consent_complete")
def consent_method_without_a_date():
    return _practice(guardian_consent_on=None, guardian_consent_method="written")


@cases.allowed("fieldpractice_consent_complete")
def consent_with_date_and_method():
    return _practice(guardian_consent_on=datetime.date(2026, 6, 1), guardian_consent_method="electronic")


@cases.allowed("fieldpractice_consent_complete")
def no_consent_recorded():
    return _practice(guardian_consent_on=None, guardian_consent_method="")


@cases.refused("fieldpractice_one_current_per_student")
def second_practice_in_progress():
    first = _started()
    first.save()
    return _started(first.student)


@cases.refused("fieldpractice_one_current_per_student")
def practice_in_progress_while_another_is_on_hold():
    first = _started(status=S.ON_HOLD)
    first.save()
    return _started(first.student)


@cases.allowed("fieldpractice_one_current_per_student")
def new_practice_after_a_completed_one():
    first = _started(status=S.COMPLETED)
    first.save()
    return _started(first.student)


@cases.allowed("fieldpractice_one_current_per_student")
def planned_practice_while_another_is_in_progress():
    first = _started()
    first.save()
    return _practice(first.student, status=S.PLANNED)


@cases.allowed("fieldpractice_one_current_per_student")
def two_students_in_practice_at_once():
    _started().save()
    return _started()


# --- Invitations -------------------------------------------------------------------


def _invitation(**overrides):
    now = timezone.now()
    values = {
        "student": f.StudentFactory(),
        "email": "student@example.kr",
        "created_at": now,
        "expires_at": now + datetime.timedelta(days=7),
    }
    return StudentInvitation(**(values | overrides))


@cases.refused("invitation_expires_after_creation")
def invitation_expiring_when_created():
    now = timezone.now()
    return _invitation(created_at=now, expires_at=now)


@cases.allowed("invitation_expires_after_creation")
def invitation_valid_for_a_week():
    return _invitation()


@cases.refused("invitation_used_was_sent")
def invitation_used_without_a_token():
    return _invitation(token_hash=None, used_at=timezone.now())


@cases.allowed("invitation_used_was_sent")
def invitation_used_after_sending():
    now = timezone.now()
    return _invitation(token_hash=hashlib.sha256(b"t").hexdigest(), sent_at=now, used_at=now)


@cases.allowed("invitation_used_was_sent")
def unsent_invitation_unused():
    return _invitation(token_hash=None, used_at=None)


@cases.refused("schools.StudentInvitation.token_hash")
def invitation_token_hash_taken():
    first = _invitation(token_hash=hashlib.sha256(b"t").hexdigest())
    first.save()
    return _invitation(student=first.student, token_hash=first.token_hash)


# --- Roster imports ---------------------------------------------------------------


def _roster_import(total, processed):
    return RosterImport(
        school=f.SchoolFactory(),
        original_name="2026 명단.xlsx",
        file_format="xlsx",
        total=total,
        processed=processed,
    )


@cases.refused("rosterimport_processed_within_total")
def more_rows_checked_than_the_file_has():
    return _roster_import(total=40, processed=41)


@cases.allowed("rosterimport_processed_within_total")
def every_row_checked():
    return _roster_import(total=40, processed=40)


# --- Practice diaries, incidents ----------------------------------------------------------


def _practice_under_way():
    practice = _started()
    practice.save()
    return practice


def _diary(practice, week_starting=datetime.date(2026, 7, 6)):
    return PracticeDiaryEntry(practice=practice, week_starting=week_starting, text="셀 조립 라인 견학")


@cases.refused("diary_one_entry_per_week")
def second_diary_entry_for_a_week():
    first = _diary(_practice_under_way())
    first.save()
    return _diary(first.practice)


@cases.allowed("diary_one_entry_per_week")
def diary_entry_for_the_next_week():
    first = _diary(_practice_under_way())
    first.save()
    return _diary(first.practice, week_starting=datetime.date(2026, 7, 13))


def _incident(**overrides):
    values = {"practice": _practice_under_way(), "reporter_role": "student", "description": "안전화 미지급"}
    return PracticeIncident(**(values | overrides))


@cases.refused("incident_review_complete")
def incident_reviewed_without_an_outcome():
    return _incident(reviewed_at=timezone.now(), outcome="")


@cases.refused("incident_review_complete")
def incident_outcome_without_a_review_time():
    return _incident(reviewed_at=None, outcome="resume")


@cases.allowed("incident_review_complete")
def incident_awaiting_review():
    return _incident()


@cases.allowed("incident_review_complete")
def incident_reviewed_with_an_outcome():
    return _incident(reviewed_at=timezone.now(), outcome="end", review_note="학생 요청으로 중단")


@cases.refused("student_consent_recorder_has_date")
def consent_recorder_without_a_date():
    return f.StudentFactory.build(
        department=f.DepartmentFactory(), guardian_consent_by=f.UserFactory(), guardian_consent_on=None
    )


@cases.allowed("student_consent_recorder_has_date")
def consent_with_its_date_and_recorder():
    return f.StudentFactory.build(
        department=f.DepartmentFactory(),
        guardian_consent_by=f.UserFactory(),
        guardian_consent_on=datetime.date(2026, 3, 2),
    )


# --- The tests --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.refused_params())
def test_database_refuses(case):
    reg.assert_refused(case)


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.allowed_params())
def test_database_allows(case):
    reg.assert_allowed(case)
