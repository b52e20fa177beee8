"""The officials' admin, tested through its URLs.

- who gets in (officials and superusers) and who is sent to the login page;
- every registered model's changelist, add and change pages render for an official;
- officials see, choose and act on their own district's rows only;
- changelists run the same number of queries for 2 rows and for 30;
- the review actions go through the services, report refusals and notify recruiters.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from companies.models import Company, Opening, OpeningRevision
from district.admin_base import (
    DistrictScopedAdmin,
    OfficialPermissionsMixin,
    SharedVocabularyAdmin,
    SuperuserOnlyAdmin,
)
from district.api.tokens import dashboard_token_create
from district.models import CommuteTime, District, Expenditure, ExportLog, Membership, User
from placements.models import (
    Application,
    ApplicationEvent,
    Match,
    MatchRun,
    Notification,
    OfferEmail,
    Placement,
    RetentionReview,
    SavedSearch,
    Suggestion,
)
from privacy.models import PersonalDataAccess
from schools.models import (
    CourseUnit,
    PracticeDiaryEntry,
    PracticeIncident,
    RosterImport,
    Student,
    StudentInvitation,
    Teacher,
    TeacherTraining,
    TrainingCompletion,
)
from tests import factories as f
from tests.builders import build_world, other_district
from universities.models import CreditRecord

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Pages an official is refused on purpose (403), and why:
ADD_REFUSED = {
    District: "a new district is the Ministry's business: superusers only",
    MatchRun: "runs are started by the matching service, not typed in",
    Match: "matches are written by the matching engine",
    ExportLog: "the access log is written by the downloads themselves, never typed in",
    StudentInvitation: "invitations are sent from the school's pages, which email the link",
    RosterImport: "imports are uploaded on the school's roster page",
    RetentionReview: "reviews are recorded by school staff on the retention page",
    PersonalDataAccess: "the personal-data access log is written by the pages that show the data",
    LogEntry: "the audit trail is written by django-auditlog as rows change",
    OpeningRevision: "recruiters propose changes on their opening's page; officials decide by action",
    Notification: "students' notifications are written by the services that notify them",
    SavedSearch: "students save their own searches on the openings page",
    Suggestion: "suggestions are computed overnight from the students' profiles",
    OfferEmail: "offer emails are written by the publication of a run and sent by their task",
}

# The officials' models; the superusers' own (the task outbox) are in tests/district/test_outbox_admin.py.
REGISTERED = sorted(
    (m for m, a in admin.site._registry.items() if not isinstance(a, SuperuserOnlyAdmin)),
    key=lambda model: model._meta.label,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def build_full_world(world):
    """One row of every registered model in the official's district, so every column renders."""
    d = world.district
    area_a = f.AreaFactory(district=d, name="흥해읍")
    area_b = f.AreaFactory(district=d, name="영일만 산업단지", is_industrial_complex=True)
    CommuteTime.objects.create(origin=area_a, destination=area_b, minutes=25)
    ncs = f.NcsUnitFactory()
    cert = f.CertificationFactory()
    f.StudentCertificationFactory(student=world.student, certification=cert)
    line = f.BudgetLineFactory(district=d)
    Expenditure.objects.create(
        budget_line=line, spent_on=datetime.date(2026, 3, 3), amount_krw=1_200_000, description="교재"
    )
    f.KpiTargetFactory(district=d)
    unit = CourseUnit.objects.create(
        department=world.department_a, ncs_unit=ncs, title="셀 조립 실습", hours=34, grade_year=2
    )
    unit.co_developers.add(world.company_a)
    teacher = Teacher.objects.create(school=world.school_a, name="박선생", subject="전기")
    training = TeacherTraining.objects.create(
        district=d,
        title="이차전지 공정 연수",
        provider="에코프로",
        hours=30,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 9),
    )
    TrainingCompletion.objects.create(
        training=training, teacher=teacher, completed_on=datetime.date(2026, 1, 9), hours=30
    )
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a)
    PracticeDiaryEntry.objects.create(
        practice=practice, week_starting=datetime.date(2026, 7, 6), text="코인셀 조립 실습"
    )
    PracticeIncident.objects.create(practice=practice, reporter_role="student", description="장갑 파손")
    StudentInvitation.objects.create(
        student=world.student,
        email="student@example.kr",
        token_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    RosterImport.objects.create(
        school=world.school_a, original_name="명단.xlsx", file_format="xlsx", status="succeeded"
    )
    f.AgreementFactory(company=world.company_a, school=world.school_a)
    opening = f.OpeningFactory(company=world.company_a)
    OpeningRevision.objects.create(
        opening=opening, changes={"title": "새 제목"}, submitted_by=world.recruiter_a
    )
    program = f.CreditProgramFactory(university=world.university)
    enrollment = f.ProgramEnrollmentFactory(program=program, student=world.student)
    CreditRecord.objects.create(enrollment=enrollment, year=2026, term="1", credits=12)
    f.PathwayFactory(district=d, department=world.department_a)
    run = f.MatchRunFactory(
        round=f.MatchRoundFactory(district=d), status=MatchRun.Status.SUCCEEDED, stats={"matched": 1}
    )
    match = Match.objects.create(run=run, student=world.student, opening=opening, choice_rank=1, score=0.8)
    f.PreferenceFactory(student=world.student, opening=opening)
    application = f.ApplicationFactory(student=world.student, opening=opening, match=match)
    ApplicationEvent.objects.create(application=application, to_status="submitted", by=world.student_user)
    placement = f.PlacementFactory(student=world.student, company=world.company_a, opening=opening)
    RetentionReview.objects.create(placement=placement, milestone=6, status="employed", recorded_status="")
    dashboard_token_create(
        district=d,
        name="시청 BI",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=world.official,
    )
    ExportLog.objects.create(
        district=d, user=world.official, what="evaluation-pack", format="xlsx", ip_address="127.0.0.1"
    )
    PersonalDataAccess.objects.create(
        user=world.school_a_staff, student=world.student, what="schools:student_detail"
    )
    Notification.objects.create(
        user=world.student_user, kind=Notification.Kind.OFFER, text="제안이 도착했습니다"
    )
    SavedSearch.objects.create(
        user=world.student_user, name="전기 공고", querystring="segment=1", unsubscribe_token="a" * 64
    )
    Suggestion.objects.create(
        student=world.student, opening=opening, rank=1, score=42.0, computed_at=timezone.now()
    )
    OfferEmail.objects.create(run=run, application=application, status="failed", attempts=6)
    return world


# --- Who gets in ----------------------------------------------------------------------


def test_every_model_of_the_portal_is_in_the_admin():
    """Registered, or shown as an inline on the page of the model it belongs to (issue 13)."""
    from django.apps import apps

    from tests.project import project_app_labels

    inlines = {
        inline.model: model
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
    }
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in project_app_labels()
        and model not in admin.site._registry
        and model not in inlines
    ]
    assert missing == []
    assert {m._meta.label: o._meta.label for m, o in inlines.items() if m not in admin.site._registry} == {
        "schools.StudentCertification": "schools.Student",
        "schools.AttendanceRecord": "schools.Student",
        "schools.SelfIntroduction": "schools.Student",
        "schools.Activity": "schools.Student",
        "schools.Project": "schools.Student",
        "schools.ProfileFile": "schools.Student",
        "schools.ProfileSnapshot": "schools.Student",
        "schools.TrainingCompletion": "schools.TeacherTraining",
        "schools.PracticeIncident": "schools.FieldPractice",
        "schools.PracticeDiaryEntry": "schools.FieldPractice",
        "universities.CreditRecord": "universities.ProgramEnrollment",
        "placements.ApplicationEvent": "placements.Application",
        "district.DistrictHost": "district.District",  # issue 16: host names, on their district's page
    }


def test_every_registered_admin_applies_the_official_rules():
    """A plain ModelAdmin would fall back to Django permissions; every admin must opt in to ours."""
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SuperuserOnlyAdmin):
            assert model._meta.label == "district.TaskOutbox", model  # the one admin officials never see
            continue
        assert isinstance(model_admin, OfficialPermissionsMixin), model
        assert isinstance(model_admin, DistrictScopedAdmin | SharedVocabularyAdmin), model
        if isinstance(model_admin, DistrictScopedAdmin):
            assert model_admin.district_lookup, model


# The models the Foundation issue asks the admin to cover, and the inlines it asks for.
FOUNDATION_MODELS = [
    "district.District",
    "district.User",
    "district.Membership",
    "district.Area",
    "district.CommuteTime",
    "district.IndustrySegment",
    "district.JobRole",
    "district.Certification",
    "district.NcsUnit",
    "district.BudgetLine",
    "district.Expenditure",
    "district.KpiTarget",
    "schools.School",
    "schools.Department",
    "schools.CourseUnit",
    "schools.Student",
    "schools.Teacher",
    "schools.TeacherTraining",
    "schools.FieldPractice",
    "companies.Company",
    "companies.Agreement",
    "companies.Opening",
    "universities.University",
    "universities.CreditProgram",
    "universities.ProgramEnrollment",
    "placements.Pathway",
    "placements.MatchRound",
    "placements.Preference",
    "placements.MatchRun",
    "placements.Match",
    "placements.Application",
    "placements.Placement",
]
INLINES = {
    "schools.Student": "schools.StudentCertification",
    "schools.TeacherTraining": "schools.TrainingCompletion",
    "universities.ProgramEnrollment": "universities.CreditRecord",
    "placements.Application": "placements.ApplicationEvent",
    "district.User": "district.Membership",
}


def test_the_foundation_models_are_registered_with_their_inlines():
    from django.apps import apps

    for label in FOUNDATION_MODELS:
        assert admin.site.is_registered(apps.get_model(label)), label
    for parent, child in INLINES.items():
        model_admin = admin.site._registry[apps.get_model(parent)]
        assert apps.get_model(child) in {inline.model for inline in model_admin.inlines}, child


def test_an_admin_without_a_district_lookup_fails_its_check_and_shows_nothing(rf, world):
    class Forgetful(DistrictScopedAdmin):
        pass

    model_admin = Forgetful(Company, admin.site)
    assert [e.id for e in model_admin.check()] == ["district.E001"]
    request = rf.get("/")
    request.user = world.official
    assert not model_admin.get_queryset(request).exists()


@pytest.fixture(scope="class")
def full_world(django_db_setup, django_db_blocker):
    """The full world, built once for the class's cases (one a registered model) in a transaction
    rolled back after the last; each case runs in a savepoint of it, rolled back after the case."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast:
            world = build_full_world(build_world())
        yield world
        transaction.set_rollback(True)


@pytest.mark.xdist_group("admin_pages")  # one worker builds the class's world, once
class TestEveryAdminPage:
    @pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
    def test_official_opens_every_changelist_add_and_change_page(self, full_world, db, model):
        official = Client()
        official.force_login(full_world.official)
        response = official.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        # The full world has a row of every model, so every list column has been rendered.
        assert response.context["cl"].result_count >= 1

        response = official.get(admin_url(model, "add"))
        assert response.status_code == (403 if model in ADD_REFUSED else 200)

        obj = admin.site._registry[model].get_queryset(response.wsgi_request).first()
        assert official.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_official_sees_the_admin_index(official):
    response = official.get(reverse("admin:index"))
    assert response.status_code == 200
    assert admin_url(Company, "changelist") in response.content.decode()


@pytest.mark.parametrize("persona", ["school_a_staff", "recruiter_a", "student_user", "coordinator"])
@pytest.mark.parametrize("is_staff", [False, True])
def test_other_roles_are_sent_to_the_login_page(request, world, persona, is_staff):
    user = getattr(world, persona)
    User.objects.filter(pk=user.pk).update(is_staff=is_staff)
    client = request.getfixturevalue(persona)
    for url in (reverse("admin:index"), admin_url(Company, "changelist"), admin_url(Company, "add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_staff_official_with_an_inactive_membership_is_refused(world, official):
    Membership.objects.filter(user=world.official).update(is_active=False)
    response = official.get(admin_url(Company, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_login_page(anonymous):
    response = anonymous.get(admin_url(Student, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- Officials see their own district -------------------------------------------------


def test_official_lists_only_their_districts_companies(world, official):
    outsider = f.CompanyFactory(district=other_district(), name="구미배터리")
    response = official.get(admin_url(Company, "changelist"))
    names = {c.name for c in response.context["cl"].result_list}
    assert names == {world.company_a.name, world.company_b.name}
    assert outsider.name not in response.content.decode()


def test_another_districts_company_answers_as_missing(official):
    outsider = f.CompanyFactory(district=other_district())
    response = official.get(admin_url(Company, "change", outsider.pk), **EN)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "doesn’t exist" in message
    assert official.get(admin_url(Company, "delete", outsider.pk)).status_code == 302


def test_superuser_sees_every_district(world):
    from django.test import Client

    outsider = f.CompanyFactory(district=other_district())
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.get(admin_url(Company, "changelist"))
    assert outsider in response.context["cl"].result_list
    assert client.get(admin_url(Company, "change", outsider.pk)).status_code == 200


def test_foreign_key_choices_exclude_other_districts(world, official):
    gumi = other_district()
    response = official.post(
        reverse("admin:district_area_add"),
        {"district": gumi.pk, "code": "gumi-1", "name": "구미 산단"},
    )
    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    assert not gumi.areas.exists()


def test_autocomplete_offers_only_the_officials_companies(world, official):
    f.CompanyFactory(district=other_district(), name="구미배터리")
    response = official.get(
        reverse("admin:autocomplete"),
        {"app_label": "companies", "model_name": "opening", "field_name": "company", "term": ""},
    )
    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == {world.company_a.name, world.company_b.name}


def test_official_sees_no_users_outside_the_district_and_no_superusers(world, official):
    f.MembershipFactory(user=f.UserFactory(username="gumi_official"), district=other_district())
    f.UserFactory(username="root", is_superuser=True, is_staff=True)
    response = official.get(admin_url(User, "changelist"))
    usernames = {u.username for u in response.context["cl"].result_list}
    assert "official" in usernames and "recruiter_a" in usernames
    assert "gumi_official" not in usernames and "root" not in usernames


def test_official_cannot_grant_superuser_status(world, official):
    response = official.get(admin_url(User, "change", world.recruiter_a.pk))
    fields = response.context["adminform"].form.fields
    assert "is_superuser" not in fields and "user_permissions" not in fields
    assert "is_staff" in fields and "name" in fields


def test_a_posted_superuser_flag_is_ignored(world, official):
    user = world.recruiter_a
    membership = user.memberships.get()
    response = official.post(
        admin_url(User, "change", user.pk),
        {
            "username": user.username,
            "name": "채용 담당",
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "user_permissions": ["1"],
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": user.pk,
            "memberships-0-role": membership.role,
            "memberships-0-district": world.district.pk,
            "memberships-0-company": world.company_a.pk,
            "memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.name, user.is_staff, user.is_superuser) == ("채용 담당", True, False)
    assert not user.user_permissions.exists()


def _new_user_data(**extra):
    return {
        "username": "new_staff",
        "name": "새 담당자",
        "email": "new@example.kr",
        "usable_password": "false",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_official_creates_a_user_with_a_role_in_the_district(world, official):
    response = official.post(
        admin_url(User, "add"),
        _new_user_data(
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-role": Membership.Role.SCHOOL_STAFF,
                "memberships-0-district": world.district.pk,
                "memberships-0-school": world.school_a.pk,
                "memberships-0-is_active": "on",
            }
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_staff")
    assert user.memberships.get().school == world.school_a


def test_a_user_created_by_an_official_needs_a_role_in_the_district(world, official):
    response = official.post(admin_url(User, "add"), _new_user_data(**{"memberships-TOTAL_FORMS": "0"}))
    assert response.status_code == 200
    assert not User.objects.filter(username="new_staff").exists()


# --- Bounded queries ------------------------------------------------------------------


def _companies(world, n):
    f.CompanyFactory.create_batch(n, district=world.district, segment=world.company_a.segment)


def _openings(world, n):
    f.OpeningFactory.create_batch(n, company=world.company_a)


def _revisions(world, n):
    for opening in f.OpeningFactory.create_batch(n, company=world.company_a):
        OpeningRevision.objects.create(opening=opening, changes={"title": "새 제목", "seats": 3})


def _students(world, n):
    f.StudentFactory.create_batch(n, department=world.department_a)


def _applications(world, n):
    opening = f.OpeningFactory(company=world.company_a)
    for student in f.StudentFactory.create_batch(n, department=world.department_a):
        f.ApplicationFactory(student=student, opening=opening)


def _placements(world, n):
    for student in f.StudentFactory.create_batch(n, department=world.department_a):
        f.PlacementFactory(student=student, company=world.company_a)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Queries of each changelist, whatever the number of rows. Every page starts with three:
# the session, the user, and the user's active memberships (the official check, cached
# for the request). Every page ends with the row count, the full count beside the search
# box, and one query for the page of rows with related rows joined and counts as
# subqueries. In between:
#   Company:     pending banner, segment filter, district filter, date hierarchy (2)
#   Opening:     pending banner, segment filter, company filter, date hierarchy (2)
#   OpeningRevision: pending banner, company filter, date hierarchy (2)
#   Student:     school filter, field-of-interest filter, graduation-year filter,
#                the personal-data access log of the page's rows (one INSERT)
#   Application: company filter, school filter, date hierarchy (2)
#   Placement:   company filter, date hierarchy (2)
@pytest.mark.parametrize(
    ("model", "make", "expected"),
    [
        (Company, _companies, 3 + 5 + 3),
        (Opening, _openings, 3 + 5 + 3),
        (OpeningRevision, _revisions, 3 + 4 + 3),
        (Student, _students, 3 + 4 + 3),
        (Application, _applications, 3 + 4 + 3),
        (Placement, _placements, 3 + 3 + 3),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_changelist_queries_do_not_grow_with_rows(world, official, model, make, expected):
    url = admin_url(model, "changelist")
    make(world, 2)
    official.get(url)  # warm process-wide caches (content types) before measuring
    few = _count_queries(official, url)
    make(world, 28)
    many = _count_queries(official, url)
    assert (few, many) == (expected, expected)


# --- Review actions -------------------------------------------------------------------


def _pending_company(world, **kwargs):
    company = f.CompanyFactory(
        district=world.district,
        verification=Company.Verification.PENDING,
        verified_at=None,
        name="신생배터리",
        **kwargs,
    )
    recruiter = f.UserFactory(username="new_recruiter", email="hr@new-battery.kr")
    f.MembershipFactory(
        user=recruiter, district=world.district, role=Membership.Role.COMPANY_RECRUITER, company=company
    )
    return company


def _act(client, model, action, objs, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **extra}
    return client.post(admin_url(model, "changelist"), data, **EN)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_verify_action_verifies_and_emails_the_recruiter(world, official, django_capture_on_commit_callbacks):
    company = _pending_company(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(official, Company, "verify_companies", [company])
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.verification == Company.Verification.VERIFIED
    assert company.verified_by == world.official
    assert [m.to for m in mail.outbox] == [["hr@new-battery.kr"]]
    assert "신생배터리" in mail.outbox[0].subject


def test_verify_action_reports_a_refused_transition(world, official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(official, Company, "verify_companies", [world.company_a])
    assert response.status_code == 302
    assert any("cannot be verified" in m for m in _messages(response))
    assert mail.outbox == []


def test_actions_cannot_reach_another_districts_company(world, official):
    outsider = f.CompanyFactory(
        district=other_district(), verification=Company.Verification.PENDING, verified_at=None
    )
    _act(official, Company, "verify_companies", [outsider])
    outsider.refresh_from_db()
    assert outsider.verification == Company.Verification.PENDING


def test_reject_action_asks_for_a_reason_first(world, official, django_capture_on_commit_callbacks):
    company = _pending_company(world)

    response = _act(official, Company, "reject_companies", [company])
    assert response.status_code == 200
    assert "admin/reject_with_reason.html" in [t.name for t in response.templates]
    assert company.name in response.content.decode()

    response = _act(official, Company, "reject_companies", [company], apply="yes", reason="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    company.refresh_from_db()
    assert company.verification == Company.Verification.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            official, Company, "reject_companies", [company], apply="yes", reason="사업자등록증 확인 불가"
        )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.verification == Company.Verification.REJECTED
    assert company.rejection_reason == "사업자등록증 확인 불가"
    assert len(mail.outbox) == 1
    assert "사업자등록증 확인 불가" in mail.outbox[0].body


def _submitted_opening(world, **kwargs):
    return f.OpeningFactory(
        company=world.company_a, status=Opening.Status.SUBMITTED, published_at=None, **kwargs
    )


def test_approve_action_publishes_and_emails_the_recruiter(
    world, official, django_capture_on_commit_callbacks
):
    opening = _submitted_opening(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(official, Opening, "approve_openings", [opening])
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.PUBLISHED
    assert opening.reviewed_by == world.official
    assert opening.published_at is not None
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]


def test_approve_action_reports_each_refusal_and_does_the_rest(
    world, official, django_capture_on_commit_callbacks
):
    draft = f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, title="아직 초안")
    opening = _submitted_opening(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(official, Opening, "approve_openings", [draft, opening])
    messages = _messages(response)
    assert any("아직 초안" in m and "cannot be published" in m for m in messages)
    assert any("Published 1" in m for m in messages)
    draft.refresh_from_db()
    opening.refresh_from_db()
    assert (draft.status, opening.status) == (Opening.Status.DRAFT, Opening.Status.PUBLISHED)


def test_reject_opening_action_requires_a_reason(world, official, django_capture_on_commit_callbacks):
    opening = _submitted_opening(world)
    response = _act(official, Opening, "reject_openings", [opening], apply="yes", reason="")
    assert response.status_code == 200
    opening.refresh_from_db()
    assert opening.status == Opening.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(official, Opening, "reject_openings", [opening], apply="yes", reason="급여 정보 누락")
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.REJECTED
    assert opening.rejection_reason == "급여 정보 누락"
    assert opening.reviewed_at is not None
    assert "급여 정보 누락" in mail.outbox[0].body


def test_pending_companies_come_first_with_a_banner(world, official):
    company = _pending_company(world)
    response = official.get(admin_url(Company, "changelist"), **EN)
    assert response.context["cl"].result_list[0] == company
    assert "1 company is awaiting verification." in response.content.decode()


def test_match_run_is_view_only(world, official):
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district), stats={"matched": 3})
    response = official.get(admin_url(MatchRun, "change", run.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "matched: 3" in official.get(admin_url(MatchRun, "changelist")).content.decode()


# --- Changes to published openings -----------------------------------------------------


def _revision(world, opening=None, **changes):
    opening = opening or f.OpeningFactory(company=world.company_a, title="양극재 공정", seats=2)
    return OpeningRevision.objects.create(
        opening=opening,
        changes=changes or {"title": "무료 상품권 http://x.example"},
        submitted_by=world.recruiter_a,
    )


def test_the_review_page_shows_approved_and_proposed_values_side_by_side(world, official):
    revision = _revision(world, title="양극재 공정 (주간)", seats=4)
    response = official.get(admin_url(OpeningRevision, "change", revision.pk), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    title_row = "<th scope='row'>title</th><td>양극재 공정</td><td>양극재 공정 (주간)</td>"
    assert f"<tr data-field='title'>{title_row}</tr>" in html
    assert "<tr data-field='seats'><th scope='row'>seats</th><td>2</td><td>4</td></tr>" in html
    assert 'id="approve-revision"' in html and 'id="reject-revision"' in html


def test_pending_changes_come_first_with_a_banner(world, official):
    decided = _revision(world)
    OpeningRevision.objects.filter(pk=decided.pk).update(status="withdrawn")
    pending = _revision(world)
    response = official.get(admin_url(OpeningRevision, "changelist"), **EN)
    assert list(response.context["cl"].result_list) == [pending, decided]
    assert "1 set of changes to an opening is awaiting review." in response.content.decode()


def test_approving_from_the_review_page_publishes_the_changes(
    world, official, django_capture_on_commit_callbacks
):
    revision = _revision(world, title="양극재 공정 (주간)")
    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(
            admin_url(OpeningRevision, "changelist"),
            {"action": "approve_revisions", "_selected_action": [revision.pk], "index": "0"},
            **EN,
        )
    assert response.status_code == 302
    revision.refresh_from_db()
    assert (revision.status, revision.reviewed_by) == ("approved", world.official)
    assert Opening.objects.get(pk=revision.opening_id).title == "양극재 공정 (주간)"
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]
    assert any("Approved 1" in m for m in _messages(response))


def test_rejecting_changes_asks_for_the_reason_the_recruiter_reads(
    world, official, django_capture_on_commit_callbacks
):
    revision = _revision(world)
    response = _act(official, OpeningRevision, "reject_revisions", [revision])
    assert "admin/reject_with_reason.html" in [t.name for t in response.templates]
    response = _act(official, OpeningRevision, "reject_revisions", [revision], apply="yes", reason=" ")
    assert response.status_code == 200
    revision.refresh_from_db()
    assert revision.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            official, OpeningRevision, "reject_revisions", [revision], apply="yes", reason="외부 링크 금지"
        )
    assert response.status_code == 302
    revision.refresh_from_db()
    assert (revision.status, revision.reason) == ("rejected", "외부 링크 금지")
    assert Opening.objects.get(pk=revision.opening_id).title == "양극재 공정"
    assert "외부 링크 금지" in mail.outbox[0].body


def test_another_districts_changes_are_out_of_reach(world, official):
    outsider = f.OpeningFactory(company=f.CompanyFactory(district=other_district()), title="구미 공고")
    revision = _revision(world, opening=outsider)
    assert official.get(admin_url(OpeningRevision, "change", revision.pk)).status_code == 302  # "not found"
    _act(official, OpeningRevision, "approve_revisions", [revision], index="0")
    revision.refresh_from_db()
    assert revision.status == "pending"
    assert Opening.objects.get(pk=outsider.pk).title == "구미 공고"


def test_a_field_practices_status_cannot_be_set_in_the_admin(world, official):
    """Only the school's practice pages move it, after their checks (start date, consent, safety)."""
    practice = f.FieldPracticeFactory(student=world.student, company=world.company_a)
    url = reverse("admin:schools_fieldpractice_change", args=[practice.pk])
    response = official.get(url)
    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields
    assert 'name="status"' not in response.content.decode()
