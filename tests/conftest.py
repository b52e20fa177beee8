"""Personas shared by every test (STYLE.md §9).

- `official`: a city official of the Pohang district, with admin access;
- `school_a_staff` / `school_b_staff`: staff at school A and at school B (the outsider);
- `recruiter_a` / `recruiter_b`: recruiters at company A and at company B;
- `coordinator`: a coordinator at a university;
- `student_user`: a student of school A with an account;
- `anonymous`: a visitor who is not logged in.

Each persona fixture returns a logged-in `Client`; the underlying objects are on the
`world` fixture, so a test can say `world.company_a` rather than guess.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from district.models import Membership
from tests import factories as f

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.2 s a user; the personas alone would add seconds to every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker (marked `worker`)."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: API throttle counters (and cached dashboards) from
    earlier tests must not spill over, or a test would meet a 429 it did not earn."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    district: object
    school_a: object
    school_b: object
    department_a: object
    department_b: object
    company_a: object
    company_b: object
    university: object
    official: object
    school_a_staff: object
    school_b_staff: object
    recruiter_a: object
    recruiter_b: object
    coordinator: object
    student: object
    student_user: object


def _member(username, role, district, *, is_staff=False, **org):
    user = f.UserFactory(username=username, is_staff=is_staff)
    f.MembershipFactory(user=user, district=district, role=role, **org)
    return user


@pytest.fixture
def world(db):
    district = f.DistrictFactory()
    school_a = f.SchoolFactory(district=district, name="포항흥해공업고")
    school_b = f.SchoolFactory(district=district, name="포항제철공고", kind="meister")
    department_a = f.DepartmentFactory(school=school_a, name="이차전지 시스템제어과")
    department_b = f.DepartmentFactory(school=school_b, name="제철자동화설비과")
    company_a = f.CompanyFactory(district=district, name="에코프로비엠")
    company_b = f.CompanyFactory(district=district, name="포스코퓨처엠")
    university = f.UniversityFactory(district=district, name="포항대학교")
    R = Membership.Role
    student_user = _member("student", R.STUDENT, district, school=school_a)
    student = f.StudentFactory(department=department_a, user=student_user, name="김하늘")
    return World(
        district=district,
        school_a=school_a,
        school_b=school_b,
        department_a=department_a,
        department_b=department_b,
        company_a=company_a,
        company_b=company_b,
        university=university,
        official=_member("official", R.OFFICIAL, district, is_staff=True),
        school_a_staff=_member("staff_a", R.SCHOOL_STAFF, district, school=school_a),
        school_b_staff=_member("staff_b", R.SCHOOL_STAFF, district, school=school_b),
        recruiter_a=_member("recruiter_a", R.COMPANY_RECRUITER, district, company=company_a),
        recruiter_b=_member("recruiter_b", R.COMPANY_RECRUITER, district, company=company_b),
        coordinator=_member("coordinator", R.UNIVERSITY_COORDINATOR, district, university=university),
        student=student,
        student_user=student_user,
    )


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(world):
    return _client_for(world.official)


@pytest.fixture
def school_a_staff(world):
    return _client_for(world.school_a_staff)


@pytest.fixture
def school_b_staff(world):
    return _client_for(world.school_b_staff)


@pytest.fixture
def recruiter_a(world):
    return _client_for(world.recruiter_a)


@pytest.fixture
def recruiter_b(world):
    return _client_for(world.recruiter_b)


@pytest.fixture
def coordinator(world):
    return _client_for(world.coordinator)


@pytest.fixture
def student_user(world):
    return _client_for(world.student_user)


@pytest.fixture
def anonymous(db):
    return Client()
