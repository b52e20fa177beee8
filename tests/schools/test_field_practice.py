"""Field practice: each start gate refuses on its own, diaries are acknowledged, incidents hold."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from district.models import Membership
from schools.models import FieldPractice, PracticeDiaryEntry, PracticeIncident
from schools.selectors.students import completed_practice_company_ids
from schools.services import incidents as incident_services
from schools.services import practice as practice_services
from tests import factories as f


def start_refusal(practice, by) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        practice_services.field_practice_start(practice=practice, by=by)
    return refused.value.message_dict


# --- The gates -------------------------------------------------------------------------------


def test_a_practice_with_every_gate_met_starts(ready_practice, world):
    practice_services.field_practice_start(practice=ready_practice, by=world.school_a_staff)
    ready_practice.refresh_from_db()
    assert ready_practice.status == "in_progress"


def test_missing_guardian_consent_for_a_minor_is_refused_on_its_own(ready_practice, world):
    ready_practice.guardian_consent_on, ready_practice.guardian_consent_method = None, ""
    ready_practice.save()
    assert start_refusal(ready_practice, world.school_a_staff) == {
        "guardian_consent_on": [
            "The student is under 19 on the start date: "
            "record the guardian's consent (date and method) first."
        ]
    }
    ready_practice.refresh_from_db()
    assert ready_practice.status == "planned"


def test_missing_safety_check_is_refused_on_its_own(ready_practice, world):
    ready_practice.safety_checked_on, ready_practice.safety_checked_by = None, None
    ready_practice.save()
    assert start_refusal(ready_practice, world.school_a_staff) == {
        "safety_checked_on": ["The school has not signed off the safety check."]
    }


def test_a_safety_check_without_who_signed_it_is_not_a_sign_off(ready_practice, world):
    ready_practice.safety_checked_by = None
    ready_practice.save()
    assert list(start_refusal(ready_practice, world.school_a_staff)) == ["safety_checked_on"]


def test_missing_supervisor_is_refused_on_its_own(ready_practice, world):
    ready_practice.supervisor_name = "  "
    ready_practice.save()
    assert start_refusal(ready_practice, world.school_a_staff) == {
        "supervisor_name": ["Name the company supervisor."]
    }


def test_all_missing_conditions_are_listed_together(world):
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a, supervisor_name="")
    assert set(start_refusal(practice, world.school_a_staff)) == {
        "guardian_consent_on",
        "safety_checked_on",
        "supervisor_name",
    }


def test_a_student_who_is_19_on_the_start_date_needs_no_consent(ready_practice, world):
    world.student.birth_date = datetime.date(2007, 7, 1)  # 19 exactly on 2026-07-01
    world.student.save()
    ready_practice.guardian_consent_on, ready_practice.guardian_consent_method = None, ""
    ready_practice.save()
    practice_services.field_practice_start(practice=ready_practice, by=world.school_a_staff)
    assert FieldPractice.objects.get(pk=ready_practice.pk).status == "in_progress"


def test_a_student_turning_19_the_day_after_the_start_still_needs_consent(ready_practice, world):
    world.student.birth_date = datetime.date(2007, 7, 2)
    world.student.save()
    ready_practice.guardian_consent_on, ready_practice.guardian_consent_method = None, ""
    ready_practice.save()
    assert list(start_refusal(ready_practice, world.school_a_staff)) == ["guardian_consent_on"]


def test_an_unknown_birth_date_asks_for_consent_with_its_own_message(ready_practice, world):
    world.student.birth_date = None
    world.student.save()
    ready_practice.guardian_consent_on, ready_practice.guardian_consent_method = None, ""
    ready_practice.save()
    message = start_refusal(ready_practice, world.school_a_staff)["guardian_consent_on"][0]
    assert message.startswith("The student's date of birth is not recorded")


def test_consent_given_after_the_start_date_is_refused(ready_practice, world):
    ready_practice.guardian_consent_on = datetime.date(2026, 7, 2)
    ready_practice.save()
    assert start_refusal(ready_practice, world.school_a_staff) == {
        "guardian_consent_on": ["Guardian consent must be given before the start date."]
    }


def test_the_database_refuses_a_started_practice_without_safety_check_or_supervisor(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.FieldPracticeFactory(student=world.student, status="in_progress", supervisor_name="")


def test_only_the_students_school_can_sign_off_the_safety_check(world):
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a)
    with pytest.raises(ValidationError):
        practice_services.field_practice_sign_safety_check(
            practice=practice, checked_on=datetime.date(2026, 6, 1), by=world.school_b_staff
        )
    practice_services.field_practice_sign_safety_check(
        practice=practice, checked_on=datetime.date(2026, 6, 1), by=world.school_a_staff
    )
    assert FieldPractice.objects.get(pk=practice.pk).safety_checked_by == world.school_a_staff


def test_the_gates_through_the_pages(school_a_staff, world):
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a, supervisor_name="")
    detail = reverse("schools:practice_detail", args=[practice.pk])
    page = school_a_staff.get(detail, HTTP_ACCEPT_LANGUAGE="en")
    assert set(page.context["problems"]) == {"guardian_consent_on", "safety_checked_on", "supervisor_name"}
    refused = school_a_staff.post(reverse("schools:practice_start", args=[practice.pk]), follow=True)
    assert len(list(refused.context["messages"])) == 3
    school_a_staff.post(
        reverse("schools:practice_consent", args=[practice.pk]),
        {"guardian_consent_on": "2026-06-01", "guardian_consent_method": "electronic"},
    )
    school_a_staff.post(
        reverse("schools:practice_safety", args=[practice.pk]), {"safety_checked_on": "2026-06-02"}
    )
    school_a_staff.post(
        reverse("schools:practice_edit", args=[practice.pk]),
        {"starts_on": "2026-07-01", "ends_on": "2026-08-31", "supervisor_name": "이반장"},
    )
    assert school_a_staff.get(detail).context["problems"] == {}
    school_a_staff.post(reverse("schools:practice_start", args=[practice.pk]))
    practice.refresh_from_db()
    assert (practice.status, practice.safety_checked_by, practice.supervisor_name) == (
        "in_progress",
        world.school_a_staff,
        "이반장",
    )


def test_a_bad_consent_form_is_shown_again_with_its_error(school_a_staff, world):
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a)
    response = school_a_staff.post(
        reverse("schools:practice_consent", args=[practice.pk]), {"guardian_consent_on": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "guardian_consent_method" in response.context["consent_form"].errors


def test_planning_a_practice_picks_the_student_from_a_list(school_a_staff, world):
    page = school_a_staff.get(reverse("schools:practice_create"), HTTP_ACCEPT_LANGUAGE="en")
    field = page.context["form"]["student"]
    # Grouped by department, each student as "name (student number)", only this school's students.
    choices = list(field.field.widget.choices)
    with translation.override("en"):
        assert (choices[0][0], str(choices[0][1])) == ("", "Choose a student")
    assert choices[1:] == [
        (
            world.department_a.name,
            [(world.student.pk, f"{world.student.name} ({world.student.student_number})")],
        ),
    ]
    assert f'<optgroup label="{world.department_a.name}">' in page.content.decode()
    response = school_a_staff.post(
        reverse("schools:practice_create"),
        {
            "student": world.student.pk,
            "company": world.company_a.pk,
            "starts_on": "2026-07-01",
            "ends_on": "2026-08-31",
            "supervisor_name": "김현장",
        },
    )
    practice = FieldPractice.objects.get()
    assert response.status_code == 302 and (practice.student, practice.status) == (world.student, "planned")


def test_students_who_left_or_graduated_are_not_offered(school_a_staff, world):
    f.StudentFactory(department=world.department_a, status="left", name="떠난학생")
    f.StudentFactory(department=world.department_a, status="graduated", name="졸업한학생")
    page = school_a_staff.get(reverse("schools:practice_create"))
    offered = [
        label for _, group in page.context["form"]["student"].field.widget.choices[1:] for _, label in group
    ]
    assert offered == [f"{world.student.name} ({world.student.student_number})"]


def test_another_schools_student_is_not_a_choice(school_b_staff, world):
    response = school_b_staff.post(
        reverse("schools:practice_create"),
        {
            "student": world.student.pk,
            "company": world.company_a.pk,
            "starts_on": "2026-07-01",
            "ends_on": "2026-08-31",
        },
    )
    assert response.status_code == 200 and not FieldPractice.objects.exists()
    assert list(response.context["form"].errors) == ["student"]


def test_the_practice_form_shows_all_its_errors_at_once(school_a_staff, world):
    unverified = f.CompanyFactory(district=world.district, verification="pending")
    with translation.override("en"):
        response = school_a_staff.post(
            reverse("schools:practice_create"),
            {"company": world.company_a.pk, "starts_on": "2026-09-01", "ends_on": "2026-08-01"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        errors = {name: list(messages) for name, messages in response.context["form"].errors.items()}
    # A missing student and an end before the start, in one answer.
    assert errors == {
        "student": ["This field is required."],
        "ends_on": ["Field practice cannot end before it starts."],
    }
    assert unverified.pk not in [c.pk for c in response.context["form"].fields["company"].queryset]


def test_the_service_lists_every_planning_problem_together(world):
    world.student.status = "left"
    world.student.save()
    unverified = f.CompanyFactory(district=world.district, verification="pending")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        practice_services.field_practice_create(
            student=world.student,
            company=unverified,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 8, 1),
            by=world.school_a_staff,
        )
    assert refused.value.message_dict == {
        "student": ["The student has left school."],
        "company": ["Choose a verified company of the district."],
        "ends_on": ["Field practice cannot end before it starts."],
    }


def test_the_edit_form_lists_every_problem_together(running, school_a_staff):
    with translation.override("en"):
        response = school_a_staff.post(
            reverse("schools:practice_edit", args=[running.pk]),
            {"starts_on": "2026-07-02", "ends_on": "2026-06-01", "supervisor_name": " "},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        errors = {name: list(m) for name, m in response.context["edit_form"].errors.items()}
    assert response.status_code == 400
    assert errors == {
        "starts_on": ["The practice has started; its start date is fixed."],
        "supervisor_name": ["A practice under way needs a named company supervisor."],
        "ends_on": ["Field practice cannot end before it starts."],
    }


# --- The start date ----------------------------------------------------------------------------


def test_a_practice_cannot_start_before_its_start_date(ready_practice, world):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        practice_services.field_practice_start(
            practice=ready_practice, by=world.school_a_staff, today=datetime.date(2026, 6, 30)
        )
    with translation.override("en"):
        # The date in the site's one date format (district's Korean format helper sets it).
        day = formats.date_format(datetime.date(2026, 7, 1))
        assert refused.value.message_dict == {
            "starts_on": [f"The practice starts on {day}; it cannot start before that day."]
        }
    with translation.override("ko"), pytest.raises(ValidationError) as refused_in_korean:
        practice_services.field_practice_start(
            practice=ready_practice, by=world.school_a_staff, today=datetime.date(2026, 6, 30)
        )
    assert refused_in_korean.value.message_dict == {
        "starts_on": ["실습 시작일(2026년 7월 1일) 전에는 시작할 수 없습니다."]
    }
    ready_practice.refresh_from_db()
    assert ready_practice.status == "planned"
    # On the start date itself it starts.
    practice_services.field_practice_start(
        practice=ready_practice, by=world.school_a_staff, today=datetime.date(2026, 7, 1)
    )
    ready_practice.refresh_from_db()
    assert ready_practice.status == "in_progress"


def test_the_start_button_is_offered_only_from_the_start_date(school_a_staff, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    practice = f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        starts_on=tomorrow,
        ends_on=tomorrow + datetime.timedelta(days=30),
    )
    detail = reverse("schools:practice_detail", args=[practice.pk])
    start = reverse("schools:practice_start", args=[practice.pk])
    page = school_a_staff.get(detail, HTTP_ACCEPT_LANGUAGE="en")
    assert f'action="{start}"' not in page.content.decode()
    with translation.override("en"):
        day = formats.date_format(tomorrow)
    assert page.context["problems"] == {
        "starts_on": f"The practice starts on {day}; it cannot start before that day.",
        "guardian_consent_on": "The student is under 19 on the start date: "
        "record the guardian's consent (date and method) first.",
        "safety_checked_on": "The school has not signed off the safety check.",
    }
    # A post made anyway (an old page, a second tab) is refused with the same three reasons.
    refused = school_a_staff.post(start, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in refused.context["messages"]] == list(page.context["problems"].values())
    practice.refresh_from_db()
    assert practice.status == "planned"


# --- Diary -------------------------------------------------------------------------------------


@pytest.fixture
def running(ready_practice, world):
    practice_services.field_practice_start(practice=ready_practice, by=world.school_a_staff)
    ready_practice.refresh_from_db()
    return ready_practice


def test_the_student_writes_a_weekly_diary_and_the_supervisor_acknowledges_it(running, world, recruiter_a):
    entry = practice_services.diary_entry_save(
        practice=running,
        week_starting=datetime.date(2026, 7, 8),  # a Wednesday: stored as its Monday
        text="코인셀 조립 실습",
        by=world.student_user,
        today=datetime.date(2026, 7, 10),
    )
    assert entry.week_starting == datetime.date(2026, 7, 6)
    diary = recruiter_a.get(reverse("practice:diary", args=[running.pk]))
    assert diary.status_code == 200 and list(diary.context["diary"]) == [entry]
    recruiter_a.post(reverse("practice:acknowledge", args=[running.pk, entry.pk]))
    entry.refresh_from_db()
    assert entry.acknowledged_by == world.recruiter_a and entry.acknowledged_at is not None
    with pytest.raises(ValidationError):
        practice_services.diary_entry_save(
            practice=running,
            week_starting=datetime.date(2026, 7, 6),
            text="고쳐 쓰기",
            by=world.student_user,
            today=datetime.date(2026, 7, 10),
        )


def test_the_diary_is_only_the_students_own(running, world):
    other_user = f.UserFactory()
    with pytest.raises(ValidationError):
        practice_services.diary_entry_save(
            practice=running,
            week_starting=datetime.date(2026, 7, 6),
            text="x",
            by=other_user,
            today=datetime.date(2026, 7, 10),
        )


def test_future_weeks_and_weeks_outside_the_practice_are_refused(running, world):
    for week in (datetime.date(2026, 7, 20), datetime.date(2026, 6, 1)):
        with pytest.raises(ValidationError):
            practice_services.diary_entry_save(
                practice=running,
                week_starting=week,
                text="x",
                by=world.student_user,
                today=datetime.date(2026, 7, 10),
            )


def test_the_diary_weeks_run_from_the_start_week_to_this_week(running):
    # The practice runs from Wednesday 1 July to 31 August 2026.
    weeks = practice_services.diary_weeks(running, today=datetime.date(2026, 7, 15))
    assert weeks == [datetime.date(2026, 7, 13), datetime.date(2026, 7, 6), datetime.date(2026, 6, 29)]
    # After the end, the last week is the end's week.
    assert practice_services.diary_weeks(running, today=datetime.date(2026, 10, 1))[0] == datetime.date(
        2026, 8, 31
    )
    assert len(practice_services.diary_weeks(running, today=datetime.date(2026, 10, 1))) == 10


def test_a_practice_under_way_always_has_a_week_to_write_about(running, world):
    # One started before its start date (as an earlier version allowed) still offers its first week,
    # and the student can save it.
    running.starts_on, running.ends_on = datetime.date(2026, 7, 8), datetime.date(2026, 8, 31)
    running.save()
    today = datetime.date(2026, 7, 3)
    assert practice_services.diary_weeks(running, today=today) == [datetime.date(2026, 7, 6)]
    entry = practice_services.diary_entry_save(
        practice=running,
        week_starting=datetime.date(2026, 7, 6),
        text="준비",
        by=world.student_user,
        today=today,
    )
    assert entry.week_starting == datetime.date(2026, 7, 6)


def test_the_student_page_offers_this_weeks_diary(student_user, running):
    page = student_user.get(reverse("me_practice:index"))
    choices = page.context["diary_form"].fields["week_starting"].choices
    assert [value for value, _ in choices] == [
        week.isoformat() for week in practice_services.diary_weeks(running)
    ]
    assert choices[0][0] == datetime.date(2026, 8, 31).isoformat()  # the practice ended on 31 August 2026


def test_the_student_page_saves_the_diary(student_user, running, world):
    page = student_user.get(reverse("me_practice:index"))
    assert page.status_code == 200 and page.context["current"] == running
    week = page.context["diary_form"].fields["week_starting"].choices[0][0]
    response = student_user.post(
        reverse("me_practice:diary_save", args=[running.pk]), {"week_starting": week, "text": "안전교육 이수"}
    )
    assert response.status_code == 302
    assert PracticeDiaryEntry.objects.get().text == "안전교육 이수"


def test_another_companys_recruiter_cannot_see_or_acknowledge_the_diary(running, world, recruiter_b):
    entry = PracticeDiaryEntry.objects.create(
        practice=running, week_starting=datetime.date(2026, 6, 29), text="x"
    )
    assert recruiter_b.get(reverse("practice:diary", args=[running.pk])).status_code == 404
    assert recruiter_b.post(reverse("practice:acknowledge", args=[running.pk, entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.acknowledged_at is None


# --- Incidents -----------------------------------------------------------------------------------


@pytest.fixture
def official_with_email(world):
    world.official.email = "official@pohang.go.kr"
    world.official.save()
    world.school_a_staff.email = "staff@hunghae.hs.kr"
    world.school_a_staff.save()


@pytest.mark.parametrize(
    ("persona", "url_name", "role"),
    [
        ("student_user", "me_practice:report_incident", "student"),
        ("recruiter_a", "practice:report_incident", "company"),
        ("school_a_staff", "schools:practice_report_incident", "school"),
    ],
)
def test_an_incident_holds_the_practice_and_emails_school_and_officials_at_once(
    request, running, world, official_with_email, django_capture_on_commit_callbacks, persona, url_name, role
):
    client = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(url_name, args=[running.pk]), {"description": "손가락 경미한 부상"})
    assert response.status_code == 302
    running.refresh_from_db()
    incident = PracticeIncident.objects.get()
    assert (running.status, incident.reporter_role) == ("on_hold", role)
    # One copy for the school's staff and one for the officials, each with its own link.
    assert sorted(message.to for message in mail.outbox) == [
        ["official@pohang.go.kr"],
        ["staff@hunghae.hs.kr"],
    ]
    assert all("손가락 경미한 부상" in message.body for message in mail.outbox)


def test_the_incident_email_skips_other_schools_and_inactive_staff(running, world, official_with_email):
    world.school_b_staff.email = "b@school.kr"
    world.school_b_staff.save()
    inactive = f.UserFactory(email="gone@hunghae.hs.kr")
    f.MembershipFactory(
        user=inactive, district=world.district, role="school_staff", school=world.school_a, is_active=False
    )
    incident = incident_services.incident_report(
        practice=running,
        reporter_role="school",
        description="x",
        by=world.school_a_staff,
        base_url="http://t/",
    )
    mail.outbox.clear()
    assert incident_services.incident_notify(incident_id=incident.pk, base_url="http://t/") == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "official@pohang.go.kr",
        "staff@hunghae.hs.kr",
    ]


def _link(message) -> str:
    return next(line.strip() for line in message.body.splitlines() if line.strip().startswith("http"))


def test_the_incident_email_links_each_reader_to_a_page_they_can_open(
    running, world, official_with_email, official, school_a_staff
):
    incident = incident_services.incident_report(
        practice=running,
        reporter_role="school",
        description="x",
        by=world.school_a_staff,
        base_url="http://t/",
    )
    mail.outbox.clear()
    incident_services.incident_notify(incident_id=incident.pk, base_url="http://testserver/")
    links = {message.to[0]: _link(message) for message in mail.outbox}
    school_link = "http://testserver" + reverse("schools:practice_detail", args=[running.pk])
    admin_link = "http://testserver" + reverse("admin:schools_fieldpractice_change", args=[running.pk])
    assert links == {"staff@hunghae.hs.kr": school_link, "official@pohang.go.kr": admin_link}
    # Each reader opens their own link; the school's page is not the officials' to open.
    assert school_a_staff.get(school_link).status_code == 200
    assert official.get(admin_link).status_code == 200
    assert official.get(school_link).status_code in {403, 404}


def test_an_official_who_is_also_the_schools_staff_gets_one_copy(running, world, official_with_email):
    f.MembershipFactory(
        user=world.official, district=world.district, role="school_staff", school=world.school_a
    )
    incident = incident_services.incident_report(
        practice=running,
        reporter_role="school",
        description="x",
        by=world.school_a_staff,
        base_url="http://t/",
    )
    mail.outbox.clear()
    incident_services.incident_notify(incident_id=incident.pk, base_url="http://t/")
    assert sorted(message.to for message in mail.outbox) == [["official@pohang.go.kr", "staff@hunghae.hs.kr"]]


def test_only_the_schools_review_resumes_the_practice(
    running, world, school_a_staff, recruiter_a, student_user
):
    first = incident_services.incident_report(
        practice=running, reporter_role="company", description="a", by=world.recruiter_a, base_url="http://t/"
    )
    second = incident_services.incident_report(
        practice=running,
        reporter_role="student",
        description="b",
        by=world.student_user,
        base_url="http://t/",
    )
    # Nobody else has a way to resume it.
    for client in (recruiter_a, student_user):
        assert (
            client.post(
                reverse("schools:incident_review", args=[first.pk]), {"outcome": "resume"}
            ).status_code
            == 403
        )
    with pytest.raises(ValidationError):
        practice_services.field_practice_complete(practice=running, by=world.school_a_staff)
    school_a_staff.post(
        reverse("schools:incident_review", args=[first.pk]), {"outcome": "resume", "note": "확인"}
    )
    running.refresh_from_db()
    assert running.status == "on_hold"  # the second incident is still open
    school_a_staff.post(reverse("schools:incident_review", args=[second.pk]), {"outcome": "resume"})
    running.refresh_from_db()
    assert running.status == "in_progress"
    first.refresh_from_db()
    assert (first.outcome, first.reviewed_by, first.review_note) == ("resume", world.school_a_staff, "확인")


def test_the_school_can_end_the_practice_after_an_incident(running, world, school_a_staff):
    incident = incident_services.incident_report(
        practice=running,
        reporter_role="student",
        description="a",
        by=world.student_user,
        base_url="http://t/",
    )
    school_a_staff.post(reverse("schools:incident_review", args=[incident.pk]), {"outcome": "end"})
    running.refresh_from_db()
    assert running.status == "cancelled"


def test_another_schools_staff_cannot_review(running, world, school_b_staff):
    incident = incident_services.incident_report(
        practice=running,
        reporter_role="student",
        description="a",
        by=world.student_user,
        base_url="http://t/",
    )
    assert (
        school_b_staff.post(
            reverse("schools:incident_review", args=[incident.pk]), {"outcome": "resume"}
        ).status_code
        == 404
    )
    running.refresh_from_db()
    assert running.status == "on_hold"


def test_no_incident_on_a_practice_that_is_not_under_way(ready_practice, world):
    with pytest.raises(ValidationError):
        incident_services.incident_report(
            practice=ready_practice,
            reporter_role="school",
            description="x",
            by=world.school_a_staff,
            base_url="",
        )


# --- Completed practice raises the matching fit -----------------------------------------------------


def test_completed_practice_companies_come_in_one_query(world, django_assert_num_queries):
    other = f.StudentFactory(department=world.department_a)
    f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        status="completed",
        safety_checked_on=datetime.date(2026, 6, 1),
    )
    f.FieldPracticeFactory(student=world.student, company=world.company_b, status="cancelled")
    f.FieldPracticeFactory(
        student=other,
        company=world.company_b,
        status="completed",
        safety_checked_on=datetime.date(2026, 6, 1),
    )
    with django_assert_num_queries(1):
        found = completed_practice_company_ids(student_ids=[world.student.pk, other.pk, 999999])
    assert found == {world.student.pk: {world.company_a.pk}, other.pk: {world.company_b.pk}}


def test_the_student_profile_shows_the_completed_practice(school_a_staff, world):
    f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        status="completed",
        safety_checked_on=datetime.date(2026, 6, 1),
    )
    page = school_a_staff.get(reverse("schools:student_detail", args=[world.student.pk]))
    assert page.context["completed_practice_companies"] == [world.company_a.name]
    assert 'id="practice-fit"' in page.content.decode()


def test_completing_a_practice(running, world, school_a_staff):
    school_a_staff.post(reverse("schools:practice_complete", args=[running.pk]))
    running.refresh_from_db()
    assert running.status == "completed"
    assert completed_practice_company_ids(student_ids=[world.student.pk]) == {
        world.student.pk: {world.company_a.pk}
    }


def test_recruiter_practice_list_shows_only_their_company(recruiter_a, recruiter_b, running):
    assert [p.pk for p in recruiter_a.get(reverse("practice:list")).context["page"]] == [running.pk]
    assert list(recruiter_b.get(reverse("practice:list")).context["page"]) == []


def test_a_student_sees_only_their_own_practice(world, running):
    from django.test import Client

    other_user = f.UserFactory()
    f.MembershipFactory(
        user=other_user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a
    )
    f.StudentFactory(department=world.department_a, user=other_user)
    client = Client()
    client.force_login(other_user)
    assert client.get(reverse("me_practice:index")).context["current"] is None
    response = client.post(
        reverse("me_practice:diary_save", args=[running.pk]), {"week_starting": "2026-07-06", "text": "x"}
    )
    assert response.status_code == 404


def test_select_for_update_is_used_for_start(ready_practice, world):
    with CaptureQueriesContext(connection) as queries:
        practice_services.field_practice_start(practice=ready_practice, by=world.school_a_staff)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)
