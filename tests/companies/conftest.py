"""Helpers for the recruiters' pages: openings of companies A and B, applications, form data.

Nothing here is autouse, so the other company tests are unaffected.
"""

import datetime

import pytest
from django.utils import timezone

from companies.models import Company, Opening
from placements.models import Application, ApplicationEvent
from tests import factories as f


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def apply(student, opening, *, status=Application.Status.SUBMITTED, changed_days_ago=0, **kwargs):
    """An application with its first event, as `application_submit` leaves it (or moved on)."""
    if status == Application.Status.OFFERED:
        kwargs.setdefault("offered_at", timezone.now())
    application = f.ApplicationFactory(student=student, opening=opening, status=status, **kwargs)
    if changed_days_ago:
        application.status_changed_at = timezone.now() - datetime.timedelta(days=changed_days_ago)
    application.save()
    ApplicationEvent.objects.create(application=application, to_status=status)
    return application


@pytest.fixture
def certification(db):
    return f.CertificationFactory(name="위험물기능사", qnet_code="7780")


@pytest.fixture
def job_role(db):
    return f.JobRoleFactory(name="양극재 공정 운영원")


@pytest.fixture
def area(world):
    return f.AreaFactory(district=world.district, name="영일만 산업단지", is_industrial_complex=True)


@pytest.fixture
def opening_a(world):
    return f.OpeningFactory(company=world.company_a, seats=2, title="에코프로비엠 양극재 공정")


@pytest.fixture
def opening_b(world):
    return f.OpeningFactory(company=world.company_b, seats=2, title="포스코퓨처엠 음극재 공정")


@pytest.fixture
def application_a(world, opening_a):
    return apply(world.student, opening_a)


@pytest.fixture
def pending_company(world):
    return f.CompanyFactory(
        district=world.district,
        name="대기중배터리",
        verification=Company.Verification.PENDING,
        verified_at=None,
    )


@pytest.fixture
def opening_data(world, job_role, certification, area):
    """Valid POST data for the opening form; override what a test is about."""

    def build(**overrides):
        data = {
            "title": "양극재 소성 공정 운영원",
            "job_role": job_role.pk,
            "description": "소성로 운전과 품질 점검",
            "seats": "3",
            "required_certifications": [certification.pk],
            "preferred_departments": [world.department_a.pk],
            "work_area": area.pk,
            "shift_pattern": Opening.Shift.FOUR_CREWS_TWO_SHIFTS,
            "monthly_salary_krw": "2900000",
            "employment_type": Opening.EmploymentType.PERMANENT,
            "starts_on": days(90).isoformat(),
            "apply_by": days(30).isoformat(),
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def edit_data(opening, **overrides):
    """POST data of the edit form with the opening's stored values; override what a test changes."""
    base = {
        "title": opening.title,
        "job_role": opening.job_role_id,
        "description": opening.description,
        "own_question": opening.own_question,
        "seats": str(opening.seats),
        "required_certifications": [c.pk for c in opening.required_certifications.all()],
        "preferred_departments": [d.pk for d in opening.preferred_departments.all()],
        "work_area": opening.work_area_id or "",
        "shift_pattern": opening.shift_pattern,
        "monthly_salary_krw": str(opening.monthly_salary_krw),
        "employment_type": opening.employment_type,
        "starts_on": opening.starts_on.isoformat(),
        "apply_by": opening.apply_by.isoformat(),
    }
    base.update(overrides)
    return base
