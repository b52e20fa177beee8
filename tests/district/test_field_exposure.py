"""Which personal fields of a student each role sees, through the API and on the pages (PIPA).

Two committed snapshots make every change to what is exposed a visible, reviewed diff:

- tests/district/snapshots/serializer_fields.json: the fields (dotted, nested ones included)
  of every serializer class the API's modules define;
- tests/district/snapshots/page_fields.json: for each role, page and application state, the
  HTTP status and which of a student's personal values appear in the HTML.

A difference fails the test. When the change is intended, regenerate and review the diff:

    UPDATE_SNAPSHOTS=1 pytest tests/district/test_field_exposure.py

Independently of the snapshots, explicit assertions hold the rule itself: a recruiter never
sees a student's contact details, date of birth or student number before the student accepts
one of the company's offers (or is hired), and sees the contact details and date of birth after.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import os
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from rest_framework import serializers

from config import api_urls
from district.models import Membership
from placements.models import Application
from placements.services.applications import OWN_REMOVING_STATUSES
from schools.api.serializers import StudentSerializer
from schools.models import Project, SelfIntroduction
from schools.services.snapshots import profile_snapshot_remove_own, profile_snapshot_take
from schools.visibility import HIDDEN_STUDENT_FIELDS
from tests import factories as f
from tests.companies.conftest import apply

SNAPSHOTS = Path(__file__).parent / "snapshots"
# The student fields a recruiter sees only once the student accepted one of the company's offers.
PRIVATE_FIELDS = HIDDEN_STUDENT_FIELDS[Membership.Role.COMPANY_RECRUITER]
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
S = Application.Status
# States in which the company may contact the student (placements.models.SEAT_HOLDING_STATUSES).
REVEALED = {S.ACCEPTED, S.HIRED}
API_MODULES = [
    "district.api.serializers",
    "district.api.views",
    "companies.api.serializers",
    "dashboard.api.serializers",
    "dashboard.api.views",
    "placements.api.serializers",
    "placements.api.runs",
    "schools.api.serializers",
    "universities.api.serializers",
]
# A field whose name says it carries contact or identity data of a person.
PERSONAL_NAME = re.compile(r"phone|e_?mail|birth|address|addr|contact|resident|guardian", re.IGNORECASE)


def _compare(name: str, actual) -> None:
    path = SNAPSHOTS / name
    text = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written: review and commit it.")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, (
        f"What is exposed differs from {path}. "
        "If the change is intended, run `UPDATE_SNAPSHOTS=1 pytest tests/district/test_field_exposure.py` "
        "and commit the reviewed diff."
    )


# --- Serializers ----------------------------------------------------------------------------------


def field_paths(serializer: serializers.BaseSerializer, prefix: str = "") -> list[str]:
    """Every field of a serializer as a dotted path, nested serializers expanded."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    paths = []
    for name, field in serializer.fields.items():
        path = f"{prefix}{name}"
        child = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(child, serializers.BaseSerializer):
            paths += field_paths(child, prefix=f"{path}.")
        else:
            paths.append(path)
    return paths


def api_serializer_classes() -> dict[str, type[serializers.BaseSerializer]]:
    """Every serializer class defined in the API's modules, by dotted name."""
    classes = {}
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module_name:
                classes[f"{module_name}.{cls.__name__}"] = cls
    return classes


def api_viewsets() -> dict[str, type]:
    """The viewsets routed under /api/v1/, by URL prefix."""
    return {prefix: viewset for prefix, viewset, _ in api_urls.PUBLIC + api_urls.SCOPED}


def test_every_api_serializer_matches_the_snapshot():
    classes = api_serializer_classes()
    # Every routed viewset's serializer is among the classes walked.
    for prefix, viewset in api_viewsets().items():
        cls = viewset.serializer_class
        assert f"{cls.__module__}.{cls.__name__}" in classes, f"/{prefix}/ uses {cls}, which is not walked"
    _compare("serializer_fields.json", {name: field_paths(cls()) for name, cls in sorted(classes.items())})


def test_the_api_modules_list_is_complete():
    """A new api module with serializers must be added to API_MODULES, or the snapshot misses it."""
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.glob("*/api/*.py"):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        if re.search(r"\bserializers\.(Model)?Serializer\b|inline_serializer", path.read_text()):
            found.add(module)
    assert found - {"district.api.schema"} <= set(API_MODULES)


def recruiter_reachable_serializers(client) -> dict[str, type[serializers.BaseSerializer]]:
    """The serializer of every /api/v1/ list a recruiter gets a 200 from."""
    reachable = {}
    for prefix, viewset in api_viewsets().items():
        if client.get(f"/api/v1/{prefix}/").status_code == 200:
            reachable[prefix] = viewset.serializer_class
    return reachable


def test_no_serializer_a_recruiter_reaches_carries_personal_fields_except_masked_ones(world, recruiter_a):
    opening = f.OpeningFactory(company=world.company_a)
    apply(world.student, opening)
    reachable = recruiter_reachable_serializers(recruiter_a)
    assert {"students", "applications", "openings"} <= set(reachable)
    for prefix, cls in reachable.items():
        personal = [path for path in field_paths(cls()) if PERSONAL_NAME.search(path)]
        if cls is StudentSerializer:
            # The one serializer with personal fields: each one is masked until an offer is accepted.
            assert personal and set(personal) <= set(PRIVATE_FIELDS), personal
        else:
            assert personal == [], f"/{prefix}/ exposes {personal} to recruiters"


# --- A student with distinctive personal values, in each application state -------------------------

EMAIL = "zq.h7.private@example.kr"
ACCOUNT_EMAIL = "zq.h7.account@example.kr"
PHONE = "010-7391-2468"
BIRTH = datetime.date(2008, 2, 29)
STUDENT_NUMBER = "S-4242-7777"
CERTIFICATE_NUMBER = "CERT-31-4159-26"
SELF_INTRODUCTION = "zq 성장 과정: 포항 바닷가 마을에서 자랐습니다."
OWN_ANSWER = "zq 답변: 소성 공정을 배우고 싶습니다."
PROJECT = "zq 프로젝트: 셀 적층 지그 설계"
# How each personal value may look in HTML or JSON.
RENDERINGS = {
    "email": [EMAIL],
    "account_email": [ACCOUNT_EMAIL],
    "phone": [PHONE, PHONE.replace("-", ""), "010 7391 2468"],
    "birth_date": [
        "2008-02-29",
        "2008.02.29",
        "2008. 2. 29",
        "2008/02/29",
        "20080229",
        "2008년 2월 29일",
        "Feb. 29, 2008",
        "February 29, 2008",
        "29/02/2008",
        "29.02.2008",
    ],
    "student_number": [STUDENT_NUMBER],
    # issue 15 (company): the profile a company sees as a snapshot. The school's checked facts
    # (a certificate's number) and what the student wrote (the 자기소개서, the answer to the
    # opening's own question, a project).
    "certificate_number": [CERTIFICATE_NUMBER],
    "self_introduction": [SELF_INTRODUCTION],
    "own_answer": [OWN_ANSWER],
    "project": [PROJECT],
}
CONTACT = {"email", "phone", "birth_date"}
# What the student wrote, which a company sees in a snapshot until the student withdraws.
OWN = {"self_introduction", "own_answer", "project"}
STATES = [s.value for s in S]


def seen(content: str) -> list[str]:
    return sorted(field for field, forms in RENDERINGS.items() if any(form in content for form in forms))


@pytest.fixture
def exposed_student(world):
    """The world's student, with values no page would show by accident."""
    student = world.student
    student.email = EMAIL
    student.phone = PHONE
    student.birth_date = BIRTH
    student.student_number = STUDENT_NUMBER
    student.save()
    world.student_user.email = ACCOUNT_EMAIL
    world.student_user.save()
    # issue 15 (company): a profile with a value of each kind a snapshot holds.
    SelfIntroduction.objects.create(student=student, growth=SELF_INTRODUCTION)
    Project.objects.create(student=student, title=PROJECT, date=datetime.date(2026, 6, 1))
    f.StudentCertificationFactory(
        student=student,
        number=CERTIFICATE_NUMBER,
        verified_at=datetime.datetime(2026, 6, 2, tzinfo=datetime.UTC),
    )
    return student


def _with_snapshot(application, state: str) -> Application:
    """The snapshot the services take on applying (or publishing), emptied of the student's own
    half when the application ends withdrawn or declined (issue 15)."""
    application.profile_snapshot = profile_snapshot_take(
        student=application.student,
        company=application.opening.company,
        question="zq 우리 회사에 지원한 이유는?",
        answer=OWN_ANSWER,
    )
    application.save(update_fields=["profile_snapshot"])
    if state in OWN_REMOVING_STATUSES:
        profile_snapshot_remove_own(snapshot=application.profile_snapshot)
    return application


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(world, *, opening, application, round_offer, practice, enrollment) -> dict[str, dict[str, str]]:
    """The pages of each role that show a student, by role and a stable page name."""
    student = world.student
    return {
        "recruiter_a": {
            "company_dashboard": "/company/",
            "applicant_list": f"/company/openings/{opening.pk}/applicants/",
            "application_detail": f"/company/applications/{application.pk}/",
            # issue 15 (company): a round's offer in the same state.
            "application_detail_round": f"/company/applications/{round_offer.pk}/",
            "practice_list": "/practice/",
            "practice_diary": f"/practice/{practice.pk}/diary/",
        },
        "school_a_staff": {
            "student_list": "/school/students/",
            "student_detail": f"/school/students/{student.pk}/",
            "practice_list": "/school/practice/",
            "practice_detail": f"/school/practice/{practice.pk}/",
        },
        "coordinator": {
            "program_detail": f"/university/programs/{enrollment.program_id}/",
            "enrollment_detail": f"/university/enrolments/{enrollment.pk}/",
        },
        "official": {
            "dashboard": "/dashboard/",
            "school_student_detail": f"/school/students/{student.pk}/",
        },
        "student_user": {
            "me": "/me/",
            "profile": "/me/profile/",
            "profile_print": "/me/profile/print/",  # issue 15 (student)
            "applications": "/me/applications/",
            "application_profile": f"/me/applications/{application.pk}/profile/",  # issue 15 (company)
        },
    }


# Recruiter pages that show an applicant's profile: contacts appear there once revealed.
APPLICANT_PAGES = {"applicant_list", "application_detail", "application_detail_round"}
# Where the recruiter sees the snapshot, by page: a direct application in every state, a
# round's offer once the student accepted it (placements.selectors.applications).
SNAPSHOT_STATES = {
    "application_detail": set(STATES),
    "application_detail_round": {S.ACCEPTED, S.HIRED, S.CANCELLED},
}


def test_personal_fields_each_role_sees_on_each_page(world, exposed_student):
    clients = {
        role: _client(getattr(world, role))
        for role in ("recruiter_a", "school_a_staff", "coordinator", "official", "student_user")
    }
    recruiter_api = clients["recruiter_a"]
    snapshot: dict = {role: {} for role in clients}
    for state in STATES:
        with transaction.atomic():
            opening = f.OpeningFactory(company=world.company_a, title="양극재 공정 운영")
            application = _with_snapshot(apply(exposed_student, opening, status=state), state)
            round_opening = f.OpeningFactory(company=world.company_a, title="양극재 공정 운영 (매칭)")
            round_offer = _with_snapshot(
                apply(exposed_student, round_opening, status=state, source=Application.Source.MATCHING), state
            )
            practice = f.FieldPracticeFactory(student=exposed_student, company=world.company_a)
            enrollment = f.ProgramEnrollmentFactory(
                program=f.CreditProgramFactory(university=world.university), student=exposed_student
            )
            pages = _pages(
                world,
                opening=opening,
                application=application,
                round_offer=round_offer,
                practice=practice,
                enrollment=enrollment,
            )
            for role, role_pages in pages.items():
                for page, url in role_pages.items():
                    response = clients[role].get(url)
                    content = response.content.decode()
                    fields = seen(content) if response.status_code == 200 else []
                    snapshot[role].setdefault(page, {})[state] = {
                        "status": response.status_code,
                        "sees": fields,
                    }
                    if role != "recruiter_a":
                        continue
                    assert response.status_code == 200, (page, state, response.status_code)
                    if state in REVEALED and page in APPLICANT_PAGES:
                        assert set(fields) >= CONTACT, (page, state, fields)
                    else:
                        assert not CONTACT & set(fields), (page, state, fields)
                    assert "student_number" not in fields and "account_email" not in fields, (page, state)
                    # issue 15 (company): the snapshot, only where and when the company sees it; what
                    # the student wrote, only until they withdraw or decline.
                    shown = state in SNAPSHOT_STATES.get(page, set())
                    assert ("certificate_number" in fields) == shown, (page, state, fields)
                    own = shown and state not in OWN_REMOVING_STATUSES
                    assert (OWN & set(fields)) == (OWN if own else set()), (page, state, fields)
            # The API tells the recruiter the same, whatever it lists.
            for url in (
                "/api/v1/students/",
                f"/api/v1/students/{exposed_student.pk}/",
                "/api/v1/applications/",
            ):
                response = recruiter_api.get(url)
                assert response.status_code == 200, url
                fields = seen(response.content.decode())
                # The API reveals exactly the recruiter's hidden fields on acceptance.
                expected = set(PRIVATE_FIELDS) if state in REVEALED and "students" in url else set()
                assert set(fields) == expected, (url, state, fields)
            transaction.set_rollback(True)
    _compare("page_fields.json", snapshot)


def test_the_snapshot_test_would_catch_a_leak(world, exposed_student):
    """The detector finds the values in the forms pages and the API use, so an empty result means absent."""
    assert seen(f"<dd>{EMAIL}</dd><dd>{PHONE}</dd><dd>2008-02-29</dd>") == ["birth_date", "email", "phone"]
    assert seen('{"birth_date":"2008-02-29","phone":"010-7391-2468"}') == ["birth_date", "phone"]
    assert seen(_client(world.school_a_staff).get(f"/school/students/{exposed_student.pk}/").content.decode())
