"""Nightly suggestions: each active student's ten best-fitting public openings, with a reason."""

from __future__ import annotations

import datetime
import random

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from companies.models import Company, Opening
from district.models import CommuteTime
from placements import tasks
from placements.matching.scoring import fit_score
from placements.models import Suggestion
from placements.selectors.suggestions import suggestion_list
from placements.services.suggestions import LOCK_KEY, SuggestionIndex, suggestions_refresh
from schools.models import CourseUnit, StudentCertification
from tests import factories as f
from tests.builders import random_market

# --- The index finds exactly the best openings -----------------------------------------------------


def brute_force(students, openings, context, exclude, limit):
    best = {}
    for sid, student in students.items():
        scored = [
            (score, oid)
            for oid, opening in openings.items()
            if oid not in exclude.get(sid, ()) and (score := fit_score(student, opening, context)) is not None
        ]
        best[sid] = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [1, 3, 10])
def test_the_index_agrees_with_scoring_every_pair(seed, limit):
    rng = random.Random(seed)
    students, openings, _ranked, context = random_market(
        rng, n_students=60, n_openings=rng.choice([8, 40, 90])
    )
    exclude = {
        sid: set(rng.sample(list(openings), min(2, len(openings)))) for sid in students if rng.random() < 0.3
    }
    index = SuggestionIndex(openings, context)
    expected = brute_force(students, openings, context, exclude, limit)
    for sid, student in students.items():
        assert index.best(student, exclude=exclude.get(sid, ()), limit=limit) == expected[sid], sid


# --- The nightly job --------------------------------------------------------------------------------


@pytest.fixture
def town(world):
    """김하늘 holds 전기기능사 and lives 15 minutes from the industrial complex."""
    home = f.AreaFactory(district=world.district, code="heunghae", name="흥해읍")
    complex_ = f.AreaFactory(district=world.district, code="blue-valley", name="블루밸리 국가산단")
    CommuteTime.objects.create(origin=home, destination=complex_, minutes=15)
    electric = f.CertificationFactory(name="전기기능사")
    world.student.commute_area = home
    world.student.save()
    f.StudentCertificationFactory(student=world.student, certification=electric)
    return {"home": home, "complex": complex_, "electric": electric}


def opening(world, title, **kwargs):
    return f.OpeningFactory(company=kwargs.pop("company", world.company_a), title=title, **kwargs)


def suggested(student) -> list[str]:
    return list(
        Suggestion.objects.filter(student=student).order_by("rank").values_list("opening__title", flat=True)
    )


def test_suggestions_are_the_best_eligible_public_openings(world, town):
    requires = opening(world, "전기 설비 보전", work_area=town["complex"])
    requires.required_certifications.add(town["electric"])
    near = opening(world, "가까운 공정", work_area=town["complex"])
    plain = opening(world, "일반 공정")
    other_cert = opening(world, "위험물 취급")
    other_cert.required_certifications.add(f.CertificationFactory(name="위험물기능사"))
    opening(world, "마감 지남", apply_by=timezone.localdate() - datetime.timedelta(days=1))
    opening(world, "비공개", status=Opening.Status.DRAFT)
    unverified = f.CompanyFactory(
        district=world.district, verification=Company.Verification.PENDING, verified_at=None
    )
    opening(world, "미인증 기업", company=unverified)
    elsewhere = f.CompanyFactory(district=f.DistrictFactory(slug="ansan", name="안산"))
    opening(world, "다른 지구", company=elsewhere)
    applied = opening(world, "이미 지원")
    f.ApplicationFactory(student=world.student, opening=applied)

    report = suggestions_refresh()
    assert report.students == 1 and not report.skipped
    assert suggested(world.student) == ["전기 설비 보전", "가까운 공정", "일반 공정"]
    first = Suggestion.objects.get(student=world.student, rank=1)
    # 15 minutes away (15); the certification it requires is held (so eligible) but not
    # checked by the school yet (0). It ties 가까운 공정, and the lower opening id comes first.
    assert first.score == 0 + 15
    assert first.reason["certifications"] == ["전기기능사"]
    assert first.reason["verified_certifications"] == []
    assert first.reason["commute_minutes"] == 15
    assert {near.pk, plain.pk, requires.pk} == set(
        Suggestion.objects.filter(student=world.student).values_list("opening_id", flat=True)
    )


def test_a_checked_certification_and_the_job_roles_ncs_units_raise_a_suggestion(world, town, student_user):
    StudentCertification.objects.filter(student=world.student).update(
        number="24-1-000123", verified_at=timezone.now()
    )
    electrode, welding, coating = (
        f.NcsUnitFactory(name=n) for n in ("전극 공정 관리", "피복 아크 용접", "전극 코팅")
    )
    requires = opening(world, "전기 설비 보전", work_area=town["complex"])
    requires.required_certifications.add(town["electric"])
    requires.job_role.ncs_units.add(electrode, coating)
    near = opening(world, "가까운 공정", work_area=town["complex"])
    near.job_role.ncs_units.add(welding)
    # 김하늘's department teaches 전극 공정 관리 and 용접 in grade 1 (finished) and 전극 코팅 in
    # grade 3, which her cohort (2026) finishes only when the next school year starts.
    for unit, grade in ((electrode, 1), (welding, 1), (coating, 3)):
        CourseUnit.objects.create(
            department=world.student.department, ncs_unit=unit, title=unit.name, hours=34, grade_year=grade
        )
    suggestions_refresh(today=datetime.date(2026, 12, 1))
    rows = {s.opening_id: s for s in Suggestion.objects.filter(student=world.student)}
    # The checked certification (10), one unit of the job role (4), 15 minutes away (15).
    assert rows[requires.pk].score == 10 + 4 + 15
    assert rows[requires.pk].reason["verified_certifications"] == ["전기기능사"]
    assert rows[requires.pk].reason["ncs_units"] == ["전극 공정 관리"]
    # 용접 is this job role's unit: 4, and 15 minutes away.
    assert rows[near.pk].score == 4 + 15
    with translation.override("en"):
        assert suggestion_list(student=world.student)[0].reason == (
            "School-checked certifications: 전기기능사; NCS units completed for this job: 전극 공정 관리; "
            "15 minutes from your area"
        )
    # The student reads it on their home page.
    html = student_user.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "School-checked certifications: 전기기능사; NCS units completed for this job: 전극 공정 관리; "
        "15 minutes from your area"
    ) in html


def test_at_most_ten_ranked_one_to_ten(world, town):
    for i in range(14):
        opening(world, f"공고 {i:02d}", work_area=town["complex"] if i < 4 else None)
    suggestions_refresh()
    rows = list(Suggestion.objects.filter(student=world.student).order_by("rank"))
    assert [s.rank for s in rows] == list(range(1, 11))
    assert [s.score for s in rows] == sorted((s.score for s in rows), reverse=True)
    assert {s.opening.title for s in rows[:4]} == {f"공고 {i:02d}" for i in range(4)}


def test_the_job_is_idempotent_and_drops_students_who_are_no_longer_active(world, town):
    for i in range(3):
        opening(world, f"공고 {i}")
    other = f.StudentFactory(department=world.department_b)
    suggestions_refresh()
    before = set(Suggestion.objects.values_list("student_id", "opening_id", "rank", "score"))
    assert len(before) == 6
    suggestions_refresh()
    assert set(Suggestion.objects.values_list("student_id", "opening_id", "rank", "score")) == before

    f.PlacementFactory(student=other, company=world.company_a)  # employed: no longer active
    left = f.StudentFactory(department=world.department_b, status="left")
    suggestions_refresh()
    assert not Suggestion.objects.filter(student__in=[other, left]).exists()
    assert Suggestion.objects.filter(student=world.student).count() == 3


def test_a_second_refresh_while_one_runs_does_nothing(world, town):
    opening(world, "공고")
    cache.set(LOCK_KEY, "someone else", 60)
    try:
        assert suggestions_refresh().skipped
        assert not Suggestion.objects.exists()
    finally:
        cache.delete(LOCK_KEY)
    assert tasks.suggestions_refresh.delay().get() == 1
    assert Suggestion.objects.count() == 1


def test_the_job_reads_and_writes_in_bulk(world, town):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            suggestions_refresh()
        return len(captured)

    for i in range(3):
        opening(world, f"공고 {i}")
    few = queries()
    for _ in range(30):
        student = f.StudentFactory(department=world.department_b)
        f.StudentCertificationFactory(
            student=student, certification=town["electric"], number="24-1-1", verified_at=timezone.now()
        )
    units = [f.NcsUnitFactory() for _ in range(3)]
    for grade, unit in enumerate(units, 1):
        CourseUnit.objects.create(
            department=world.department_b, ncs_unit=unit, title=unit.name, hours=34, grade_year=grade
        )
    for i in range(20):
        extra = opening(world, f"추가 공고 {i}")
        extra.required_certifications.add(town["electric"])
        extra.job_role.ncs_units.add(*units)
    # Thirteen reads (placements.services.suggestions._load), the deletes and inserts of
    # the students' suggestions, and the final clean-up, as many with 31 students as with one.
    assert queries() == few


def test_the_job_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["opening-suggestions"]
    assert entry["task"] == tasks.suggestions_refresh.name == "placements.suggestions_refresh"


# --- Where students see them ---------------------------------------------------------------------------


def test_the_student_reads_each_suggestion_with_a_one_line_reason(world, town):
    requires = opening(world, "전기 설비 보전", work_area=town["complex"])
    requires.required_certifications.add(town["electric"])
    suggestions_refresh()
    closed_since = opening(world, "곧 마감", work_area=town["complex"])
    Suggestion.objects.create(
        student=world.student, opening=closed_since, rank=2, score=1, computed_at=timezone.now()
    )
    Opening.objects.filter(pk=closed_since.pk).update(status=Opening.Status.CLOSED)
    with translation.override("en"):
        rows = suggestion_list(student=world.student)
    assert [(r.rank, r.opening.title) for r in rows] == [(1, "전기 설비 보전")]  # closed since: not shown
    assert rows[0].reason == "you hold 전기기능사, which it requires; 15 minutes from your area"


def test_the_ranking_page_offers_suggestions_not_ranked_yet(world, town, student_user):
    f.MatchRoundFactory(district=world.district, cohort=2026)
    first, second = opening(world, "첫 제안"), opening(world, "둘째 제안")
    suggestions_refresh()
    f.PreferenceFactory(student=world.student, opening=first, rank=1)
    response = student_user.get("/me/preferences/")
    assert response.status_code == 200
    assert [o.pk for o in response.context["suggestions"]] == [second.pk]
    assert response.context["suggestions"][0].reason


def test_other_students_suggestions_stay_private(world, town):
    other = f.StudentFactory(department=world.department_b)
    opening(world, "공고")
    suggestions_refresh()
    assert [r.opening.title for r in suggestion_list(student=other)] == ["공고"]
    assert Suggestion.objects.filter(student=world.student).count() == 1
