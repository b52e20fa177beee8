"""The Pohang demo's student profiles (`demo.pohang.profiles`): believable, lawful, the same each seed.

Counts are exact for a seed on a fixed day: the rows come from fixed random streams keyed by
names and student numbers, never by row ids, so they agree on SQLite and PostgreSQL.
"""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from companies.models import Opening
from placements.models import Application
from schools.models import (
    Activity,
    AttendanceRecord,
    FieldPractice,
    ProfileSnapshot,
    Project,
    SelfIntroduction,
    Student,
    StudentCertification,
)
from schools.selectors.profile import profile_document

pytestmark = pytest.mark.django_db

D = datetime.date
POHANG = {"student__school__district__slug": "pohang"}
# Words a profile must never carry: family and their jobs, birthplace, appearance, property
# (채용절차법 art. 4-3).
FORBIDDEN = (
    "아버지",
    "어머니",
    "부모",
    "가족",
    "형제",
    "고향",
    "태어",
    "출신",
    "외모",
    "키가",
    "체중",
    "재산",
    "집안",
    "결혼",
)
QNET_NUMBER = re.compile(r"^\d{2}20\d{7}[A-Z]$")


def seed(day: str) -> None:
    call_command("seed_demo", "--today", day, stdout=StringIO(), stderr=StringIO())


def counts() -> dict[str, int]:
    certifications = StudentCertification.objects.filter(**POHANG)
    return {
        "self-introductions": SelfIntroduction.objects.filter(**POHANG).count(),
        "certifications": certifications.count(),
        "checked": certifications.filter(verified_at__isnull=False).count(),
        "attendance": AttendanceRecord.objects.filter(**POHANG).count(),
        "activities": Activity.objects.filter(**POHANG).count(),
        "projects": Project.objects.filter(**POHANG).count(),
        "snapshots": ProfileSnapshot.objects.filter(**POHANG).count(),
    }


def assert_complete_profile(student: Student, today: datetime.date) -> None:
    """Every section of the student's profile document is filled in."""
    document = profile_document(student=student, today=today)
    verified, own = document["verified"], document["own"]
    for section in ("certifications", "ncs_units", "attendance", "field_practice"):
        assert verified[section], section
    assert {bool(c["verified_on"]) for c in verified["certifications"]} == {True, False}
    assert all(c["number"] for c in verified["certifications"] if c["verified_on"])
    assert all(p["evaluation"] for p in verified["field_practice"])
    assert all(own["self_introduction"].values())
    assert {a["kind"] for a in own["activities"]} == {Activity.Kind.AWARD, Activity.Kind.ACTIVITY}
    assert len(own["projects"]) == 2


def test_profiles_of_a_december_seed():
    today = D(2026, 12, 7)
    seed(today.isoformat())
    assert counts() == {
        "self-introductions": 166,
        "certifications": 1080,
        "checked": 986,
        "attendance": 2348,
        "activities": 165,
        "projects": 51,
        "snapshots": 89,
    }
    # 자기소개서: 166 of the 195 final-year students on the roll; 29 have none for the school's list.
    current = Student.objects.filter(
        cohort=2026, status=Student.Status.ENROLLED, school__district__slug="pohang"
    )
    assert current.count() == 195
    assert current.filter(self_introduction__isnull=True).count() == 29
    assert not SelfIntroduction.objects.filter(**POHANG).exclude(student__in=current).exists()

    # Certifications: none acquired in the last month is checked yet; the checked ones have a number
    # in the look of a Q-Net number (or the private certificate's), checked by their school's staff.
    certifications = StudentCertification.objects.filter(**POHANG).select_related("certification", "student")
    recent = certifications.filter(acquired_on__gt=today - datetime.timedelta(days=30))
    assert (recent.count(), recent.filter(verified_at__isnull=False).count()) == (6, 0)
    for held in certifications.filter(verified_at__isnull=False):
        assert held.acquired_on < timezone.localdate(held.verified_at) < today
        if held.certification.qnet_code:
            assert QNET_NUMBER.match(held.number), held.number
        else:
            assert re.match(r"^BP-\d{4}-\d{5}$", held.number), held.number
    checked = certifications.filter(verified_at__isnull=False)
    assert checked.filter(verified_by__username="demo_school").count() == 352
    assert checked.filter(student__school__name="포항흥해공업고").count() == 352
    assert not checked.exclude(student__school__name="포항흥해공업고").exclude(verified_by=None).exists()

    # Attendance: each finished school year, mostly 0-3 days absent.
    attendance = AttendanceRecord.objects.filter(**POHANG)
    assert dict(attendance.values_list("school_year").annotate(n=Count("id"))) == {
        2021: 196,
        2022: 392,
        2023: 588,
        2024: 587,  # the three who left have none
        2025: 585,
    }
    assert attendance.filter(absences__lte=3).count() == 1834
    assert attendance.filter(absences__gt=10).count() == 56
    assert not attendance.filter(student__status=Student.Status.LEFT).exists()

    # The host's evaluation: on every practice under way or done, never on a planned or held one.
    practices = FieldPractice.objects.filter(**POHANG)
    assert dict(practices.exclude(host_evaluation="").values_list("status").annotate(n=Count("id"))) == {
        FieldPractice.Status.COMPLETED: 21,
        FieldPractice.Status.IN_PROGRESS: 3,
    }
    assert max(len(p.host_evaluation) for p in practices) <= 300
    assert {p.host_evaluation.startswith("중간 평가: ") for p in practices.filter(status="in_progress")} == {
        True
    }

    # Snapshots: every final-year application has one, as the company saw it; a withdrawn one keeps
    # the school's facts only; the graduates applied before profiles existed.
    applications = Application.objects.filter(**POHANG)
    assert applications.filter(student__cohort=2026, profile_snapshot__isnull=True).count() == 0
    assert applications.exclude(student__cohort=2026).filter(profile_snapshot__isnull=False).count() == 0
    for app in applications.filter(student__cohort=2026).select_related("profile_snapshot", "opening"):
        snapshot = app.profile_snapshot
        assert (snapshot.student_id, snapshot.company_id, snapshot.taken_at) == (
            app.student_id,
            app.opening.company_id,
            app.submitted_at,
        )
        assert snapshot.verified["school"] == app.student.school.name
        withdrawn = app.status == Application.Status.WITHDRAWN
        assert (snapshot.own is None, snapshot.own_removed_at is not None) == (withdrawn, withdrawn)
        if not withdrawn:
            assert ("question" in snapshot.own) == bool(app.opening.own_question)
    assert ProfileSnapshot.objects.filter(**POHANG, own__isnull=True).count() == 11
    assert Opening.objects.exclude(own_question="").count() == 4

    demo = Student.objects.get(user__username="demo_student")
    assert_complete_profile(demo, today)
    (snapshot,) = ProfileSnapshot.objects.filter(student=demo)
    assert snapshot.own["question"]["question"] == "교대 근무에서 중요하다고 생각하는 점을 적어 주세요."
    # The recent certification came after the application: the company's snapshot does not have it.
    assert [c["name"] for c in snapshot.verified["certifications"]] == ["배터리성능평가사", "위험물기능사"]

    # A second seed on the same day keeps what a tester changed and adds nothing.
    # One seed serves both checks: what the students wrote, then the same-day re-seed below.
    assert_short_varied_and_lawful()
    SelfIntroduction.objects.filter(student=demo).update(growth="직접 고친 성장 과정")
    before = counts()
    seed(today.isoformat())
    assert counts() == before
    assert SelfIntroduction.objects.get(student=demo).growth == "직접 고친 성장 과정"


def assert_short_varied_and_lawful() -> None:
    """What the demo's students wrote is short, varied, and asks nothing the law forbids."""
    intros = list(SelfIntroduction.objects.filter(**POHANG))
    texts = [getattr(i, name) for i in intros for name in SelfIntroduction.ANSWERS]
    texts += [a.title + a.description for a in Activity.objects.filter(**POHANG)]
    texts += [p.title + p.description for p in Project.objects.filter(**POHANG)]
    texts += [
        s.own["question"]["answer"]
        for s in ProfileSnapshot.objects.filter(**POHANG)
        if s.own and "question" in s.own
    ]
    texts += list(FieldPractice.objects.filter(**POHANG).values_list("host_evaluation", flat=True))
    assert [(word, t) for t in texts for word in FORBIDDEN if word in t] == []
    assert max(len(t) for t in texts) <= settings.PROFILE_ANSWER_MAX_CHARS
    # Combined from sentence banks: no two of the 166 read the same.
    assert len({tuple(getattr(i, name) for name in SelfIntroduction.ANSWERS) for i in intros}) == 166


def test_the_demo_student_has_a_complete_profile_in_the_spring_too():
    # In May the summer's field practice is still planned: the two weeks of last January show.
    today = D(2027, 5, 20)
    seed(today.isoformat())
    demo = Student.objects.get(user__username="demo_student")
    assert demo.cohort == 2027
    assert_complete_profile(demo, today)
    practice = profile_document(student=demo, today=today)["verified"]["field_practice"]
    assert [(p["company"], p["starts_on"]) for p in practice] == [("에코프로머티리얼즈", "2027-01-04")]
