"""Retention: students are anonymised STUDENT_RETENTION_YEARS after graduation (1 March of the
graduation year), unless a placement or a credit-programme enrolment is still active."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from district.models import Membership, User
from placements.models import ApplicationEvent, Notification, Placement, SavedSearch
from privacy.models import PersonalDataAccess
from privacy.selectors import graduation_date, last_due_cohort
from privacy.services import anonymise_graduates
from privacy.tasks import personal_data_retention, personal_data_retention_run
from schools.models import PracticeDiaryEntry, PracticeIncident, Student, StudentInvitation
from tests import factories as f
from universities.models import ProgramEnrollment

COHORT = 2021  # 2021학년도: graduated in February 2022
GRADUATED = graduation_date(COHORT)  # 2022-03-01
THREE_YEARS_AND_A_DAY = datetime.date(2025, 3, 2)
THREE_YEARS_LESS_A_DAY = datetime.date(2025, 2, 28)


@pytest.fixture
def graduate(world):
    user = f.UserFactory(username="grad@example.kr", email="grad@example.kr", name="이졸업")
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a
    )
    student = f.StudentFactory(
        department=world.department_a,
        name="이졸업",
        student_number="2019001",
        cohort=COHORT,
        status=Student.Status.GRADUATED,
        birth_date=datetime.date(2003, 4, 5),
        email="grad@example.kr",
        phone="010-5555-6666",
        user=user,
    )
    student.phone = "010-7777-8888"  # a change, so the history holds an UPDATE as well
    student.save()
    return student


def test_the_graduation_date_and_the_last_due_cohort():
    assert datetime.date(2022, 3, 1) == GRADUATED
    assert last_due_cohort(today=datetime.date(2025, 3, 1), years=3) == 2021
    assert last_due_cohort(today=datetime.date(2025, 2, 28), years=3) == 2020


def test_three_years_and_a_day_after_graduation_the_student_is_anonymised(graduate):
    result = anonymise_graduates(today=THREE_YEARS_AND_A_DAY)
    assert result.anonymised == 1
    graduate.refresh_from_db()
    assert graduate.anonymised_at is not None
    assert (graduate.name, graduate.student_number) == (f"anon-{graduate.pk}", f"anon-{graduate.pk}")
    assert (graduate.birth_date, graduate.email, graduate.phone) == (None, "", "")
    # What the KPIs count is kept.
    assert (graduate.cohort, graduate.status, graduate.department_id) == (
        COHORT,
        Student.Status.GRADUATED,
        graduate.department_id,
    )
    user = User.objects.get(pk=graduate.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert (user.username, user.email, user.name) == (f"anonymised-{user.pk}", "", "")
    assert not Membership.objects.filter(user=user, is_active=True).exists()


def test_three_years_less_a_day_after_graduation_nothing_changes(graduate):
    assert anonymise_graduates(today=THREE_YEARS_LESS_A_DAY).anonymised == 0
    graduate.refresh_from_db()
    assert graduate.anonymised_at is None and graduate.name == "이졸업"


def test_an_active_placement_holds_the_student_back_until_it_ends(graduate, world):
    placement = f.PlacementFactory(student=graduate, company=world.company_a)
    result = anonymise_graduates(today=THREE_YEARS_AND_A_DAY)
    assert (result.anonymised, result.held) == (0, 1)
    Placement.objects.filter(pk=placement.pk).update(
        status=Placement.Status.ENDED, ends_on=datetime.date(2026, 6, 30)
    )
    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).anonymised == 1


def test_an_active_credit_programme_enrolment_holds_the_student_back(graduate, world):
    enrollment = f.ProgramEnrollmentFactory(
        program=f.CreditProgramFactory(university=world.university), student=graduate
    )
    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).held == 1
    graduate.refresh_from_db()
    assert graduate.anonymised_at is None
    ProgramEnrollment.objects.filter(pk=enrollment.pk).update(status="completed")
    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).anonymised == 1


def test_a_second_run_does_nothing(graduate):
    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).anonymised == 1
    graduate.refresh_from_db()
    before = Student.objects.filter(pk=graduate.pk).values().get()
    entries = LogEntry.objects.count()
    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).anonymised == 0
    assert Student.objects.filter(pk=graduate.pk).values().get() == before
    assert LogEntry.objects.count() == entries


def test_the_audit_trail_and_the_access_log_are_scrubbed(graduate, world):
    application = f.ApplicationFactory(student=graduate, opening=f.OpeningFactory(company=world.company_a))
    application.feedback = "이졸업 학생은 성실함"
    application.note = "야간 근무가 어렵습니다."
    application.save()
    StudentInvitation.objects.create(
        student=graduate,
        email="grad@example.kr",
        token_hash="1" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    access = PersonalDataAccess.objects.create(
        user=world.school_a_staff,
        ip_address="10.0.0.5",
        student=graduate,
        what="schools:roster_export",
        kind="export",
        purpose="이졸업 보호자 연락",
    )
    about = Q(object_repr__contains="이졸업") | Q(changes_text__contains="이졸업")
    assert LogEntry.objects.filter(about).exists()

    anonymise_graduates(today=THREE_YEARS_AND_A_DAY)

    for entry in LogEntry.objects.all():
        stored = str(LogEntry.objects.filter(pk=entry.pk).values().get())
        for secret in ("이졸업", "2019001", "grad@", "010-", "2003-04-05"):
            assert secret not in stored, (secret, stored)
    student_entries = LogEntry.objects.get_for_object(graduate)
    assert student_entries.count() >= 2  # the rows stay: who changed the record and when
    assert all(e.object_repr == f"student #{graduate.pk}" for e in student_entries)
    application_entry = LogEntry.objects.get_for_object(application).last()
    assert set(application_entry.changes_dict) >= {"feedback"}
    access.refresh_from_db()
    assert (access.user, access.ip_address, access.what, access.purpose) == (
        world.school_a_staff,
        "10.0.0.5",
        "schools:roster_export",
        "*** 보호자 연락",
    )
    assert not StudentInvitation.objects.filter(student=graduate).exists()
    application.refresh_from_db()
    assert (application.feedback, application.note) == ("", "")


def test_the_command_counts_on_a_dry_run_and_then_anonymises(graduate, world, capsys):
    # Today (the real date) is well past 1 March 2025, when the 2021 cohort (graduated 2022) fell due.
    f.PlacementFactory(
        student=f.StudentFactory(department=world.department_a, cohort=COHORT),
        company=world.company_a,
    )
    call_command("anonymise_graduates", "--dry-run")
    out = capsys.readouterr().out
    assert "1 student(s) due" in out and "1 held" in out and "Nothing changed" in out
    graduate.refresh_from_db()
    assert graduate.anonymised_at is None
    call_command("anonymise_graduates")
    assert "Anonymised 1 student(s); 1 held" in capsys.readouterr().out
    call_command("anonymise_graduates")
    assert "Anonymised 0 student(s)" in capsys.readouterr().out


def test_the_nightly_task_is_scheduled_and_runs(graduate):
    entry = settings.CELERY_BEAT_SCHEDULE["personal-data-retention"]
    assert entry["task"] == "privacy.personal_data_retention_run"
    result = personal_data_retention_run.delay().get()
    assert result == {"access_rows_purged": 0, "students_anonymised": 1, "students_held": 0}


def test_the_tasks_old_name_still_runs_it_for_one_release(graduate):
    assert personal_data_retention.name == "privacy.tasks.personal_data_retention"
    personal_data_retention.delay()
    graduate.refresh_from_db()
    assert graduate.name == f"anon-{graduate.pk}"


def test_every_app_removes_its_own_free_text_and_the_students_account_data(graduate, world):
    """What each registered anonymiser removes, pinned row by row (schools, placements, privacy itself)."""
    other = f.StudentFactory(department=world.department_a, cohort=COHORT + 3)
    application = f.ApplicationFactory(student=graduate, opening=f.OpeningFactory(company=world.company_a))
    event = ApplicationEvent.objects.create(
        application=application, to_status=application.status, note="이졸업 면접 메모"
    )
    placement = f.PlacementFactory(student=graduate, company=world.company_a)
    Placement.objects.filter(pk=placement.pk).update(
        status=Placement.Status.ENDED, ends_on=datetime.date(2026, 6, 30), end_reason="이졸업 개인 사정"
    )
    Notification.objects.create(user=graduate.user, text="이졸업 님 합격")
    SavedSearch.objects.create(user=graduate.user, name="포항", querystring="q=포항")
    practice = f.FieldPracticeFactory(student=graduate, company=world.company_a)
    diary = PracticeDiaryEntry.objects.create(
        practice=practice, week_starting=datetime.date(2021, 7, 5), text="이졸업의 일지"
    )
    incident = PracticeIncident.objects.create(
        practice=practice,
        reporter_role=PracticeIncident.ReporterRole.STUDENT,
        description="이졸업 부상",
        reviewed_at=timezone.now(),
        outcome=PracticeIncident.Outcome.choices[0][0],
        review_note="보호자 통화",
    )
    other_practice = f.FieldPracticeFactory(student=other, company=world.company_a)
    other_diary = PracticeDiaryEntry.objects.create(
        practice=other_practice, week_starting=datetime.date(2021, 7, 5), text="남의 일지"
    )

    assert anonymise_graduates(today=THREE_YEARS_AND_A_DAY).anonymised == 1

    event.refresh_from_db()
    placement.refresh_from_db()
    diary.refresh_from_db()
    incident.refresh_from_db()
    other_diary.refresh_from_db()
    assert event.note == ""
    assert (placement.end_reason, placement.status) == ("", Placement.Status.ENDED)
    assert (diary.text, incident.description, incident.review_note) == ("***", "***", "")
    assert other_diary.text == "남의 일지"
    assert Notification.objects.filter(user_id=graduate.user_id).count() == 0
    assert SavedSearch.objects.filter(user_id=graduate.user_id).count() == 0
    assert list(Membership.objects.filter(user_id=graduate.user_id).values_list("is_active", flat=True)) == [
        False
    ]
    other.refresh_from_db()
    assert other.anonymised_at is None
