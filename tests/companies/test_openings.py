"""The opening form: every validation rule, drafts, the review round trip, edits, close and clone."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from companies.models import Opening
from companies.services.openings import (
    MinimumWage,
    minimum_wage,
    opening_approve,
    opening_reject,
    validate_opening_terms,
)
from tests import factories as f
from tests.companies.conftest import days, edit_data

NEW = "/company/openings/new/"


def _errors(response, field):
    return response.context["form"].errors.get(field, [])


# --- Validation rules --------------------------------------------------------------------------


def test_a_valid_opening_is_saved_as_a_draft(recruiter_a, world, opening_data, certification):
    response = recruiter_a.post(NEW, opening_data())
    opening = Opening.objects.get(title="양극재 소성 공정 운영원")
    assert response.status_code == 302
    assert response["Location"] == f"/company/openings/{opening.pk}/"
    assert opening.status == Opening.Status.DRAFT
    assert opening.company == world.company_a
    assert opening.created_by == world.recruiter_a
    assert list(opening.required_certifications.all()) == [certification]
    assert list(opening.preferred_departments.all()) == [world.department_a]
    assert opening.seats == 3 and opening.monthly_salary_krw == 2_900_000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("apply_by", days(-1).isoformat()),  # an old deadline
        ("apply_by", days(0).isoformat()),  # today is not in the future
        ("apply_by", days(90).isoformat()),  # not before the start date (the same day)
        ("apply_by", days(120).isoformat()),  # after the start date
        ("monthly_salary_krw", "2000000"),  # below the minimum monthly wage
        ("monthly_salary_krw", "-1"),
        ("seats", "0"),
        ("seats", "201"),
        ("seats", ""),
        ("title", ""),
    ],
)
def test_each_rule_refuses_on_its_own_field_and_keeps_the_input(
    recruiter_a, world, opening_data, field, value
):
    response = recruiter_a.post(NEW, opening_data(**{field: value}))
    assert response.status_code == 200
    assert _errors(response, field), response.context["form"].errors
    # Only that field is wrong; everything typed is kept for the next try.
    assert set(response.context["form"].errors) == {field}
    assert response.context["form"]["description"].value() == "소성로 운전과 품질 점검"
    assert not Opening.objects.filter(company=world.company_a).exists()


def test_messages_say_what_is_wrong(recruiter_a, opening_data, settings):
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
    with translation.override("en"):
        response = recruiter_a.post(
            NEW,
            opening_data(apply_by=days(-3).isoformat(), monthly_salary_krw="1000000", seats="250"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        # Inside the override: the messages are lazy and render in the active language.
        errors = response.context["form"].errors
        assert "in the future" in str(errors["apply_by"])
        # The start is 90 days ahead, in a year with no published rate: 2026's stands in, and says so.
        assert days(90).year == 2027
        assert list(errors["monthly_salary_krw"]) == [
            "The monthly salary must be at least the legal minimum of 2,156,880 KRW "
            "(10,320 KRW an hour × 209 hours, at the 2026 rate; the 2027 rate is not published yet)."
        ]
        assert "200" in str(errors["seats"])


def test_the_minimum_wage_is_209_hours_at_the_start_years_rate(settings):
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
    assert minimum_wage(2026).monthly_krw == 2_156_880
    assert minimum_wage(2025).monthly_krw == 2_096_270
    # A year that is not in settings yet uses the latest year before it, and knows it.
    assert minimum_wage(2031) == MinimumWage(year=2031, rate_year=2026, hourly_krw=10_320, monthly_hours=209)
    assert (minimum_wage(2026).published, minimum_wage(2031).published) == (True, False)


def _salary_refusal(starts_on: datetime.date, language: str) -> list[str]:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_opening_terms(
            monthly_salary_krw=2_000_000,
            starts_on=starts_on,
            apply_by=starts_on - datetime.timedelta(days=30),
            deadline_must_be_future=False,
        )
    with translation.override(language):
        return refused.value.message_dict["monthly_salary_krw"]


@pytest.mark.parametrize(
    ("starts_on", "english"),
    [
        (
            datetime.date(2025, 3, 4),
            "The monthly salary must be at least the legal minimum of 2,096,270 KRW "
            "(10,030 KRW an hour × 209 hours in 2025).",
        ),
        (
            datetime.date(2026, 3, 2),
            "The monthly salary must be at least the legal minimum of 2,156,880 KRW "
            "(10,320 KRW an hour × 209 hours in 2026).",
        ),
        (
            datetime.date(2027, 1, 31),
            "The monthly salary must be at least the legal minimum of 2,156,880 KRW "
            "(10,320 KRW an hour × 209 hours, at the 2026 rate; the 2027 rate is not published yet).",
        ),
    ],
)
def test_the_salary_refusal_names_the_rate_of_the_start_year(settings, starts_on, english):
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
    assert _salary_refusal(starts_on, "en") == [english]


@pytest.mark.parametrize(
    ("starts_on", "korean"),
    [
        (
            datetime.date(2025, 3, 4),
            "월 급여는 법정 최저 기준인 2,096,270원(2025년 최저시급 10,030원 × 209시간) 이상이어야 합니다.",
        ),
        (
            datetime.date(2026, 3, 2),
            "월 급여는 법정 최저 기준인 2,156,880원(2026년 최저시급 10,320원 × 209시간) 이상이어야 합니다.",
        ),
        (
            datetime.date(2027, 1, 31),
            "월 급여는 법정 최저 기준인 2,156,880원(최저시급 10,320원 × 209시간, "
            "2026년 최저시급 기준, 2027년 고시 전) 이상이어야 합니다.",
        ),
    ],
)
def test_the_salary_refusal_in_korean(settings, starts_on, korean):
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
    assert _salary_refusal(starts_on, "ko") == [korean]


def test_the_salary_rule_uses_the_start_dates_year(settings):
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320}
    terms = {"monthly_salary_krw": 2_100_000, "apply_by": datetime.date(2025, 1, 10)}
    validate_opening_terms(starts_on=datetime.date(2025, 3, 1), deadline_must_be_future=False, **terms)
    with pytest.raises(ValidationError) as refused:
        validate_opening_terms(starts_on=datetime.date(2026, 3, 1), deadline_must_be_future=False, **terms)
    assert "monthly_salary_krw" in refused.value.error_dict
    # Exactly the minimum is allowed.
    validate_opening_terms(
        monthly_salary_krw=2_156_880,
        starts_on=datetime.date(2026, 3, 1),
        apply_by=datetime.date(2026, 1, 10),
        deadline_must_be_future=False,
    )


def test_a_rate_added_to_settings_applies_to_the_form(recruiter_a, opening_data, settings):
    start = days(90)
    settings.MINIMUM_WAGE_HOURLY_KRW = {2025: 10_030, 2026: 10_320, start.year: 20_000}
    response = recruiter_a.post(NEW, opening_data(monthly_salary_krw="3000000"))
    assert _errors(response, "monthly_salary_krw")


def test_departments_and_areas_of_another_district_are_not_choices(recruiter_a, opening_data):
    other = f.DistrictFactory(name="안산", slug="ansan")
    foreign_department = f.DepartmentFactory(school=f.SchoolFactory(district=other))
    foreign_area = f.AreaFactory(district=other)
    response = recruiter_a.post(
        NEW, opening_data(preferred_departments=[foreign_department.pk], work_area=foreign_area.pk)
    )
    assert _errors(response, "preferred_departments")
    assert _errors(response, "work_area")


def test_the_form_chooses_several_without_ctrl_key_instructions(recruiter_a, certification, world):
    response = recruiter_a.get(NEW)
    html = response.content.decode()
    form = response.context["form"]
    # Certifications: a <select multiple> that Tom Select makes searchable (vendored, no CDN).
    assert 'data-searchable="true"' in str(form["required_certifications"])
    assert "vendor/tom-select/tom-select.popular.min.js" in html
    assert "js/multiselect.js" in html
    assert certification.name in html
    # Departments: one checkbox each.
    assert f'type="checkbox" name="preferred_departments" value="{world.department_a.pk}"' in html
    assert "Ctrl" not in html


# --- Drafts and the review round trip -------------------------------------------------------------


def test_save_and_submit_in_one_step(recruiter_a, world, opening_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_a.post(NEW, {**opening_data(), "submit": "1"})
    opening = Opening.objects.get(company=world.company_a)
    assert opening.status == Opening.Status.SUBMITTED
    # The officials hear that something awaits review.
    assert [m.to for m in mail.outbox] == [[world.official.email]]


def test_review_round_trip(recruiter_a, world, opening_data, django_capture_on_commit_callbacks):
    """Draft → submitted → rejected with a reason the recruiter reads → corrected → submitted → published."""
    recruiter_a.post(NEW, opening_data())
    opening = Opening.objects.get(company=world.company_a)
    assert opening.status == Opening.Status.DRAFT

    recruiter_a.post(f"/company/openings/{opening.pk}/submit/")
    opening.refresh_from_db()
    assert opening.status == Opening.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        opening_reject(opening=opening, by=world.official, reason="근무 형태를 구체적으로 적어 주세요.")
    assert "근무 형태를 구체적으로 적어 주세요." in mail.outbox[-1].body
    page = recruiter_a.get(f"/company/openings/{opening.pk}/")
    assert "근무 형태를 구체적으로 적어 주세요." in page.content.decode()

    recruiter_a.post(
        f"/company/openings/{opening.pk}/edit/",
        opening_data(description="4조 2교대, 주간·야간 교대 근무", apply_by=opening.apply_by.isoformat()),
    )
    opening.refresh_from_db()
    assert opening.status == Opening.Status.REJECTED  # stays rejected until resubmitted
    recruiter_a.post(f"/company/openings/{opening.pk}/submit/")
    opening.refresh_from_db()
    assert opening.status == Opening.Status.SUBMITTED
    assert opening.rejection_reason == ""

    with django_capture_on_commit_callbacks(execute=True):
        opening_approve(opening=opening, by=world.official)
    opening.refresh_from_db()
    assert opening.status == Opening.Status.PUBLISHED
    assert opening.reviewed_by == world.official and opening.published_at is not None
    with translation.override(django_settings.LANGUAGE_CODE):  # mail goes out in the district's language
        subject = translation.gettext("[Innovation District Portal] Your opening “%(opening)s” is published")
    assert mail.outbox[-1].subject == subject % {"opening": opening.title}
    assert mail.outbox[-1].to == [world.recruiter_a.email]


def test_a_published_opening_cannot_be_submitted_again(recruiter_a, opening_a):
    recruiter_a.post(f"/company/openings/{opening_a.pk}/submit/")
    opening_a.refresh_from_db()
    assert opening_a.status == Opening.Status.PUBLISHED


def test_submitting_a_draft_whose_deadline_passed_is_refused(recruiter_a, world):
    draft = f.OpeningFactory(
        company=world.company_a,
        status=Opening.Status.DRAFT,
        published_at=None,
        apply_by=days(-2),
        starts_on=days(60),
    )
    recruiter_a.post(f"/company/openings/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == Opening.Status.DRAFT


# --- Editing ----------------------------------------------------------------------------------------
# A published opening's changes wait for an official: tests/companies/test_opening_revisions.py.


def test_an_opening_awaiting_review_changes_directly(recruiter_a, world):
    submitted = f.OpeningFactory(company=world.company_a, status=Opening.Status.SUBMITTED, published_at=None)
    response = recruiter_a.post(f"/company/openings/{submitted.pk}/edit/", edit_data(submitted, seats="7"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.seats, submitted.status) == (7, Opening.Status.SUBMITTED)
    assert not submitted.revisions.exists()


def test_an_unchanged_past_deadline_does_not_block_other_edits(recruiter_a, world):
    expired = f.OpeningFactory(
        company=world.company_a,
        status=Opening.Status.REJECTED,
        apply_by=days(-5),
        starts_on=days(30),
        rejection_reason="x",
    )
    recruiter_a.post(f"/company/openings/{expired.pk}/edit/", edit_data(expired, title="새 제목"))
    expired.refresh_from_db()
    assert expired.title == "새 제목"


def test_a_closed_opening_cannot_be_edited(recruiter_a, world, opening_data):
    closed = f.OpeningFactory(company=world.company_a, status=Opening.Status.CLOSED)
    response = recruiter_a.post(f"/company/openings/{closed.pk}/edit/", edit_data(closed, title="바뀐 제목"))
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.title != "바뀐 제목"


# --- Close and clone ------------------------------------------------------------------------------


def test_close_an_opening(recruiter_a, opening_a):
    response = recruiter_a.post(f"/company/openings/{opening_a.pk}/close/")
    assert response.status_code == 302
    opening_a.refresh_from_db()
    assert opening_a.status == Opening.Status.CLOSED


def test_clone_a_past_opening_into_a_draft_with_new_dates(recruiter_a, world, certification):
    past = f.OpeningFactory(
        company=world.company_a,
        status=Opening.Status.CLOSED,
        apply_by=days(-100),
        starts_on=days(-40),
        seats=4,
    )
    past.required_certifications.set([certification])
    response = recruiter_a.post(f"/company/openings/{past.pk}/clone/")
    clone = Opening.objects.exclude(pk=past.pk).get(company=world.company_a)
    assert response["Location"] == f"/company/openings/{clone.pk}/edit/"
    assert clone.status == Opening.Status.DRAFT
    assert clone.seats == 4 and clone.job_role == past.job_role
    assert list(clone.required_certifications.all()) == [certification]
    assert clone.apply_by > timezone.localdate()
    assert clone.starts_on - clone.apply_by == past.starts_on - past.apply_by
    assert clone.created_by == world.recruiter_a
    assert past.title in clone.title


def test_opening_list_and_detail(recruiter_a, opening_a, world):
    f.OpeningFactory(company=world.company_b, title="다른 회사 공고")
    response = recruiter_a.get("/company/openings/")
    assert [o.pk for o in response.context["page"].object_list] == [opening_a.pk]
    response = recruiter_a.get("/company/openings/?status=draft")
    assert list(response.context["page"].object_list) == []
    detail = recruiter_a.get(f"/company/openings/{opening_a.pk}/")
    assert detail.status_code == 200 and detail.context["opening"] == opening_a


def test_a_refused_opening_form_keeps_every_field_as_it_promises(recruiter_a, opening_data):
    posted = opening_data(seats="0")
    response = recruiter_a.post(NEW, posted, HTTP_ACCEPT_LANGUAGE="en")
    form = response.context["form"]
    html = response.content.decode()
    assert "Please correct the fields marked below. Nothing you typed is lost." in html
    kept = {name: form[name].value() for name in posted}
    # Select widgets hand back what was posted; re-rendered, each is selected again.
    assert {
        name: [str(v) for v in value] if isinstance(value, list) else str(value)
        for name, value in kept.items()
    } == {
        name: [str(v) for v in value] if isinstance(value, list) else str(value)
        for name, value in posted.items()
    }
    # Re-rendered, every choice is marked again: the certification (a searchable list), the job
    # role, work area, shift pattern and employment type are selected; the department is checked.
    assert (html.count(" selected>"), html.count(" checked>")) == (5, 1)
