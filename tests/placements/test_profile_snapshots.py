"""What a company sees of a student's profile, and when (issue 15).

- applying takes a snapshot of the profile (`ProfileSnapshot`), with the answer to the
  opening's own question; publishing a round takes one for every offer;
- later edits by the student do not change what the company sees;
- the company's recruiters see the snapshot of a direct application, and of a round's offer
  only once the student accepted it; anyone else gets 404 (the page and the file);
- withdrawing (or declining) removes what the student wrote and the access to their files;
- each view of a snapshot and each file download writes one personal-data access-log row;
- the student sees exactly what the company sees, at /me/applications/<pk>/profile/;
- the applicant list filters by a certification the school checked and an NCS unit
  completed, and sorts by the matching's fit;
- anonymising a former student deletes their snapshots and the files only those held.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from district.cohorts import school_year_of
from district.models import Membership
from placements.models import Application
from placements.services.applications import application_accept_offer
from placements.services.runs import match_run_publish
from privacy.models import PersonalDataAccess
from privacy.services import anonymise_student
from schools.models import (
    AttendanceRecord,
    CourseUnit,
    ProfileFile,
    ProfileSnapshot,
    Project,
    SelfIntroduction,
)
from schools.services.snapshots import profile_file_delete_if_unused, profile_snapshot_take
from tests import factories as f
from tests.builders import build_market, executed_run
from tests.companies.conftest import apply

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
S = Application.Status
GROWTH = "포항 흥해에서 자라며 공장 설비에 관심을 가졌습니다."
NEW_GROWTH = "새로 고쳐 쓴 성장 과정입니다."
PDF = b"%PDF-1.4\n% portfolio: battery cell line\n%%EOF\n"
QUESTION = "우리 회사 공정 중 가장 해 보고 싶은 일은 무엇입니까?"
ANSWER = "양극재 소성 공정의 설비 점검을 해 보고 싶습니다."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def store_file(student, media_root, name="포트폴리오.pdf", content=PDF) -> ProfileFile:
    relative = Path("profiles") / str(student.pk) / f"{hashlib.sha256(content).hexdigest()[:12]}-{name}.pdf"
    target = Path(media_root) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return ProfileFile.objects.create(
        student=student,
        path=str(relative),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


@pytest.fixture
def profile(world, media_root, certification):
    """The world's student with a 자기소개서, a project with a PDF, a checked certificate and attendance."""
    student = world.student
    SelfIntroduction.objects.create(student=student, growth=GROWTH, motivation="지원 동기입니다.")
    file = store_file(student, media_root)
    project = Project.objects.create(
        student=student, title="배터리 셀 조립 실습", date=datetime.date(2026, 6, 1), file=file
    )
    f.StudentCertificationFactory(
        student=student,
        certification=certification,
        acquired_on=datetime.date(2026, 5, 1),
        number="26-7780-0412",
        verified_at=timezone.now(),
    )
    AttendanceRecord.objects.create(student=student, school_year=2025, absences=1, late=2)
    return project


@pytest.fixture
def opening(world):
    return f.OpeningFactory(company=world.company_a, title="양극재 공정 운영", own_question=QUESTION)


def apply_through_page(client, opening, **data):
    return client.post("/me/applications/new/", {"opening": opening.pk, "note": "", **data}, **EN)


def detail(application) -> str:
    return f"/company/applications/{application.pk}/"


def file_url(application, file) -> str:
    return f"/company/applications/{application.pk}/files/{file.pk}/"


def logged(what: str) -> int:
    return PersonalDataAccess.objects.filter(what=what).count()


# --- Taking the snapshot -------------------------------------------------------------------------


def test_applying_takes_a_snapshot_with_the_answer_to_the_own_question(
    student_user, world, profile, opening, certification
):
    response = apply_through_page(student_user, opening, answer=ANSWER)
    assert (response.status_code, response["Location"]) == (302, "/me/applications/")
    application = Application.objects.get(student=world.student, opening=opening)
    snapshot = application.profile_snapshot
    assert (snapshot.student, snapshot.company, snapshot.own_removed_at) == (
        world.student,
        world.company_a,
        None,
    )
    assert snapshot.verified["certifications"] == [
        {
            "id": certification.pk,
            "name": "위험물기능사",
            "acquired_on": "2026-05-01",
            "number": "26-7780-0412",
            "verified_on": timezone.localdate().isoformat(),
        }
    ]
    assert snapshot.verified["attendance"] == [
        {"school_year": 2025, "absences": 1, "late": 2, "left_early": 0}
    ]
    assert snapshot.own["self_introduction"]["growth"] == GROWTH
    assert snapshot.own["question"] == {"question": QUESTION, "answer": ANSWER}
    assert [p["file"]["id"] for p in snapshot.own["projects"]] == [profile.file.pk]
    assert list(snapshot.files.all()) == [profile.file]
    # The answer lives in the snapshot only, never on the application.
    assert application.note == ""


def test_an_opening_without_its_own_question_asks_none(student_user, world, profile):
    plain = f.OpeningFactory(company=world.company_a, title="설비 보전")
    page = student_user.get(f"/me/openings/{plain.pk}/apply/", **EN).content.decode()
    assert 'name="answer"' not in page
    assert apply_through_page(student_user, plain, answer="무시됩니다").status_code == 302
    snapshot = Application.objects.get(opening=plain).profile_snapshot
    assert "question" not in snapshot.own


def test_the_answer_is_required_and_limited_and_nothing_typed_is_lost(student_user, world, opening, settings):
    settings.PROFILE_ANSWER_MAX_CHARS = 10
    page = student_user.get(f"/me/openings/{opening.pk}/apply/", **EN).content.decode()
    assert f'<label for="id_answer">{QUESTION}</label>' in page
    assert 'maxlength="10"' in page

    response = apply_through_page(student_user, opening, note="잘 부탁드립니다.")
    assert response.status_code == 400
    assert response.context["form"].errors == {"answer": ["Answer the company's question."]}
    assert "잘 부탁드립니다." in response.content.decode()

    response = apply_through_page(student_user, opening, answer="열한글자의답변입니다요")
    assert response.status_code == 400
    assert response.context["form"].errors == {"answer": ["Keep the answer to 10 characters; it has 11."]}
    assert Application.objects.count() == 0

    # A line break counts once, as the browser counts it.
    assert apply_through_page(student_user, opening, answer="다섯 글자\r\n네글자").status_code == 302
    assert Application.objects.get().profile_snapshot.own["question"]["answer"] == "다섯 글자\n네글자"


def test_the_apply_page_says_what_the_company_will_see_and_warns_without_a_self_introduction(
    student_user, world, opening
):
    page = student_user.get(f"/me/openings/{opening.pk}/apply/", **EN).content.decode()
    assert '<a href="/me/profile/">Check your profile first</a>' in page
    assert 'data-testid="no-self-introduction"' in page
    SelfIntroduction.objects.create(student=world.student, aspiration="입사 후 포부입니다.")
    page = student_user.get(f"/me/openings/{opening.pk}/apply/", **EN).content.decode()
    assert 'data-testid="what-company-sees"' in page
    assert 'data-testid="no-self-introduction"' not in page


def test_publishing_a_round_takes_a_snapshot_for_every_offer(world, profile):
    market = build_market(world)
    run = executed_run(world)
    match_run_publish(run=run, by=world.official)
    offers = Application.objects.filter(match__run=run).select_related("profile_snapshot", "opening")
    assert sorted((o.student.name, o.opening.title) for o in offers) == [
        ("김하늘", "양극재 공정"),
        ("이민준", "재활용 설비"),
        ("정도윤", "재활용 설비"),
    ]
    for offer in offers:
        snapshot = offer.profile_snapshot
        assert (snapshot.student_id, snapshot.company_id) == (offer.student_id, offer.opening.company_id)
        assert "question" not in snapshot.own
    haneul = offers.get(student=market.haneul).profile_snapshot
    assert haneul.own["self_introduction"]["growth"] == GROWTH
    assert list(haneul.files.all()) == [profile.file]


# --- What the recruiter sees ---------------------------------------------------------------------


def test_the_recruiter_sees_the_snapshot_school_facts_first_and_later_edits_do_not_show(
    student_user, recruiter_a, world, profile, opening, media_root
):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    # The student edits the profile afterwards: a new 자기소개서 and another project.
    SelfIntroduction.objects.filter(student=world.student).update(growth=NEW_GROWTH)
    Project.objects.create(student=world.student, title="새 프로젝트", date=datetime.date(2026, 11, 1))

    response = recruiter_a.get(detail(application), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    taken = timezone.localtime(application.profile_snapshot.taken_at)
    assert f"Profile as submitted · {taken:%-d %b %Y, %H:%M}" in html
    assert html.index("What the school holds") < html.index("In the student's own words")
    assert "26-7780-0412" in html and GROWTH in html and QUESTION in html and ANSWER in html
    assert NEW_GROWTH not in html and "새 프로젝트" not in html
    assert f'<a href="{file_url(application, profile.file)}">포트폴리오.pdf</a>' in html
    assert logged("profile snapshot") == 1


def test_the_recruiter_downloads_a_file_of_the_snapshot(
    recruiter_a, student_user, profile, opening, media_root
):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    response = recruiter_a.get(file_url(application, profile.file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="download.pdf"; '
        "filename*=UTF-8''%ED%8F%AC%ED%8A%B8%ED%8F%B4%EB%A6%AC%EC%98%A4.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert (logged("profile file"), logged("profile snapshot")) == (1, 0)
    # A file of the student's that is not in this snapshot is not reachable through it.
    other = store_file(profile.student, media_root, name="다른 파일", content=b"%PDF-1.4\nother\n")
    assert recruiter_a.get(file_url(application, other)).status_code == 404


def test_another_company_gets_404_for_the_page_and_the_file(recruiter_b, student_user, profile, opening):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    assert recruiter_b.get(detail(application)).status_code == 404
    assert recruiter_b.get(file_url(application, profile.file)).status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_a_round_offer_shows_the_profile_only_once_accepted(world, recruiter_a, profile):
    market = build_market(world)
    match_run_publish(run=executed_run(world), by=world.official)
    offer = Application.objects.get(student=market.haneul)
    html = recruiter_a.get(detail(offer), **EN).content.decode()
    assert "You see the student's profile only once they accept this offer." in html
    assert GROWTH not in html and "26-7780-0412" not in html
    assert recruiter_a.get(file_url(offer, profile.file)).status_code == 404
    assert logged("profile snapshot") == 0

    application_accept_offer(application=offer, by=world.student_user)
    html = recruiter_a.get(detail(offer), **EN).content.decode()
    taken = timezone.localtime(offer.profile_snapshot.taken_at)
    assert f"Profile when the offer was made · {taken:%-d %b %Y, %H:%M}" in html
    assert GROWTH in html and "26-7780-0412" in html
    assert recruiter_a.get(file_url(offer, profile.file)).status_code == 200
    assert (logged("profile snapshot"), logged("profile file")) == (1, 1)


# --- Withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_removes_the_students_own_half_and_the_file_access(
    student_user, recruiter_a, world, profile, opening, media_root, django_capture_on_commit_callbacks
):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    stored = Path(media_root) / profile.file.path
    # The student removes the project meanwhile: the snapshot keeps the file.
    file = profile.file
    profile.delete()
    assert stored.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        response = student_user.post(f"/me/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    snapshot = ProfileSnapshot.objects.get(pk=application.profile_snapshot_id)
    assert (snapshot.own, snapshot.own_removed_at is not None, list(snapshot.files.all())) == (None, True, [])
    # No project and no other snapshot refers to the file any more: row and disk are gone.
    assert not ProfileFile.objects.filter(pk=file.pk).exists()
    assert not stored.exists()

    html = recruiter_a.get(detail(application), **EN).content.decode()
    assert "The student withdrew: what they wrote and their files are no longer shown." in html
    assert "26-7780-0412" in html
    assert GROWTH not in html and ANSWER not in html
    assert recruiter_a.get(file_url(application, file)).status_code == 404


def test_a_file_another_snapshot_or_a_project_refers_to_stays(world, media_root, profile):
    first = profile_snapshot_take(student=world.student, company=world.company_a)
    second = profile_snapshot_take(student=world.student, company=world.company_b)
    assert profile_file_delete_if_unused(profile.file) is False  # the project
    profile.delete()
    first.files.clear()
    assert profile_file_delete_if_unused(profile.file) is False  # the second snapshot
    second.files.clear()
    assert profile_file_delete_if_unused(profile.file) is True
    assert ProfileFile.objects.count() == 0


def test_declining_an_offer_removes_the_own_half_too(student_user, world, profile, opening):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    Application.objects.filter(pk=application.pk).update(status=S.OFFERED, offered_at=timezone.now())
    assert student_user.post(f"/me/applications/{application.pk}/decline/").status_code == 302
    snapshot = ProfileSnapshot.objects.get(pk=application.profile_snapshot_id)
    assert (Application.objects.get().status, snapshot.own) == (S.DECLINED, None)


def test_accepting_another_offer_withdraws_the_others_and_removes_their_own_half(
    student_user, world, profile, opening
):
    other = f.OpeningFactory(company=world.company_b, title="재활용 설비")
    apply_through_page(student_user, opening, answer=ANSWER)
    apply_through_page(student_user, other)
    first = Application.objects.get(opening=opening)
    Application.objects.filter(opening=other).update(status=S.OFFERED, offered_at=timezone.now())
    assert (
        student_user.post(f"/me/applications/{Application.objects.get(opening=other).pk}/accept/").status_code
        == 302
    )
    first.refresh_from_db()
    assert (first.status, first.profile_snapshot.own) == (S.WITHDRAWN, None)
    assert (
        Application.objects.get(opening=other).profile_snapshot.own["self_introduction"]["growth"] == GROWTH
    )


# --- What the student sees -----------------------------------------------------------------------


def test_the_student_sees_what_the_company_sees_and_after_withdrawing_that_it_no_longer_does(
    student_user, world, profile, opening
):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    listing = student_user.get("/me/applications/", **EN).content.decode()
    assert f'href="/me/applications/{application.pk}/profile/"' in listing
    SelfIntroduction.objects.filter(student=world.student).update(growth=NEW_GROWTH)

    html = student_user.get(f"/me/applications/{application.pk}/profile/", **EN).content.decode()
    assert "This is exactly what the company sees" in html
    assert GROWTH in html and ANSWER in html and NEW_GROWTH not in html
    # The file links to the student's own download, never to the company's route.
    assert f'<a href="/me/profile/files/{profile.file.pk}/download/">포트폴리오.pdf</a>' in html
    assert "/company/applications/" not in html
    assert PersonalDataAccess.objects.count() == 0  # the student's own record is not logged

    student_user.post(f"/me/applications/{application.pk}/withdraw/")
    html = student_user.get(f"/me/applications/{application.pk}/profile/", **EN).content.decode()
    assert "the company no longer sees what you wrote or your files" in html
    assert GROWTH not in html and "26-7780-0412" in html


def test_another_student_gets_404_for_the_profile_page(world, student_user, profile, opening):
    apply_through_page(student_user, opening, answer=ANSWER)
    application = Application.objects.get()
    other_user = f.UserFactory(username="other_student")
    f.MembershipFactory(
        user=other_user, role=Membership.Role.STUDENT, district=world.district, school=world.school_a
    )
    f.StudentFactory(department=world.department_a, user=other_user)
    client = Client()
    client.force_login(other_user)
    assert client.get(f"/me/applications/{application.pk}/profile/").status_code == 404


def test_the_student_is_told_a_round_offer_shows_the_profile_only_once_accepted(world, student_user, profile):
    market = build_market(world)
    match_run_publish(run=executed_run(world), by=world.official)
    offer = Application.objects.get(student=market.haneul)
    html = student_user.get(f"/me/applications/{offer.pk}/profile/", **EN).content.decode()
    assert "The company sees this profile only if you accept the offer." in html
    assert GROWTH in html


# --- The applicant list: filters and the fit ------------------------------------------------------


@pytest.fixture
def applicants(world, certification):
    """Three applicants of one opening, with what each filter and the fit tell apart."""
    this_year = school_year_of(timezone.localdate())
    role = f.JobRoleFactory(name="양극재 공정 운영원")
    mixing, firing = f.NcsUnitFactory(code="1903060101_21v1"), f.NcsUnitFactory(code="1903060102_21v1")
    role.ncs_units.add(mixing, firing)
    opening = f.OpeningFactory(company=world.company_a, job_role=role, title="양극재 공정")
    opening.preferred_departments.add(world.department_a)
    CourseUnit.objects.create(
        department=world.department_a, ncs_unit=mixing, title="배합", hours=30, grade_year=1
    )
    CourseUnit.objects.create(
        department=world.department_a, ncs_unit=firing, title="소성", hours=30, grade_year=3
    )
    # 김하늘: final-year cohort in department A (mixing completed, firing not yet); preferred department.
    haneul = world.student
    haneul.cohort = this_year
    haneul.save()
    # 이민준: department A, graduated cohort: both units completed; a checked certificate.
    minjun = f.StudentFactory(department=world.department_a, name="이민준", cohort=this_year - 1)
    f.StudentCertificationFactory(
        student=minjun, certification=certification, number="25-0001", verified_at=timezone.now()
    )
    # 박서연: department B, none of the units; holds the certificate, not checked yet.
    seoyeon = f.StudentFactory(department=world.department_b, name="박서연", cohort=this_year)
    f.StudentCertificationFactory(student=seoyeon, certification=certification)
    for days_ago, student in enumerate([seoyeon, minjun, haneul]):
        application = apply(student, opening)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    return opening, mixing, firing


def names(client, opening, query=""):
    response = client.get(f"/company/openings/{opening.pk}/applicants/{query}", **EN)
    assert response.status_code == 200
    return [row["student_name"] for row in response.context["page"].object_list]


def test_filter_by_a_checked_certification_and_a_completed_ncs_unit(recruiter_a, applicants, certification):
    opening, mixing, firing = applicants
    assert names(recruiter_a, opening) == ["박서연", "이민준", "김하늘"]
    assert names(recruiter_a, opening, f"?certification={certification.pk}") == ["이민준"]
    assert names(recruiter_a, opening, f"?ncs_unit={mixing.pk}") == ["이민준", "김하늘"]
    assert names(recruiter_a, opening, f"?ncs_unit={firing.pk}") == ["이민준"]
    # Only the opening's job role's units are offered.
    other = f.NcsUnitFactory(code="0000000000_21v1")
    form = recruiter_a.get(f"/company/openings/{opening.pk}/applicants/").context["filter_form"]
    assert [unit.pk for unit in form.fields["ncs_unit"].queryset] == [mixing.pk, firing.pk]
    assert other.pk not in [unit.pk for unit in form.fields["ncs_unit"].queryset]


def test_sort_by_fit(recruiter_a, applicants):
    opening, _mixing, _firing = applicants
    # Department A is preferred: 이민준 and 김하늘 fit better than 박서연. Of the two, 이민준 has
    # finished both NCS units of the job role (graduated) and 김하늘 only the grade-1 one, so
    # 이민준 leads by 4 points (placements/matching/scoring.py: 4 per completed unit).
    assert names(recruiter_a, opening, "?ordering=-fit") == ["이민준", "김하늘", "박서연"]
    assert names(recruiter_a, opening, "?ordering=fit") == ["박서연", "김하늘", "이민준"]
    form = recruiter_a.get(f"/company/openings/{opening.pk}/applicants/", **EN).context["filter_form"]
    assert [label for _value, label in form.fields["ordering"].choices] == [
        "Default order",
        "Newest applications first",
        "Oldest applications first",
        "Best fit first",
        "Lowest fit first",
    ]


def test_sorting_by_fit_keeps_the_query_count_flat(
    recruiter_a, world, applicants, certification, django_assert_num_queries
):
    opening, mixing, _firing = applicants
    query = f"?ordering=-fit&ncs_unit={mixing.pk}"
    url = f"/company/openings/{opening.pk}/applicants/{query}"
    # The plain page's (test_applicants) less its COUNT, which one page of applicants does not need
    # (district.web.paginate), plus: the chosen NCS unit checked twice (the
    # selector's filters, the page's filter form), the NCS unit filter (the applicants, the
    # curriculum), and 10 of the fit (students' certifications, the students, their field
    # practice, their curriculum's NCS units; the opening's required certifications, its preferred
    # departments, its job role's NCS units, the opening; commute times; agreements).
    with django_assert_num_queries(26):
        recruiter_a.get(url)
    for n in range(20):
        apply(f.StudentFactory(department=world.department_a, name=f"지원자{n}"), opening)
    with django_assert_num_queries(26):
        recruiter_a.get(url)


# --- Anonymising a former student -----------------------------------------------------------------


def test_anonymising_a_former_student_deletes_the_snapshots_and_their_files(
    world, media_root, profile, opening, django_capture_on_commit_callbacks
):
    application = apply(world.student, opening)
    application.profile_snapshot = profile_snapshot_take(student=world.student, company=world.company_a)
    application.save()
    stored = Path(media_root) / profile.file.path
    profile.delete()  # only the snapshot holds the file now
    world.student.status = "graduated"
    world.student.cohort = 2019
    world.student.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_student(student_id=world.student.pk, today=datetime.date(2030, 3, 2)) is True
    application.refresh_from_db()
    assert (application.profile_snapshot, ProfileSnapshot.objects.count(), ProfileFile.objects.count()) == (
        None,
        0,
        0,
    )
    assert not stored.exists()
