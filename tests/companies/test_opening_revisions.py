"""Changes to a published opening wait for an official: the approved version stays public meanwhile.

- the recruiter's edit of a published opening becomes a pending revision; the opening row,
  and so the public pages, the API and students' pages, keep the approved values;
- the official approves it (the values become the opening) or rejects it with a reason the
  recruiter reads on the opening's page and by email;
- the recruiter edits the pending revision again or withdraws it; closing the opening
  withdraws it too.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from companies.models import REVIEWED_FIELDS, Opening, OpeningRevision
from companies.services import openings, revisions
from tests import factories as f
from tests.companies.conftest import apply, days, edit_data

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHISHING = "무료 상품권 지급! http://ecopro-bonus.example/login 에서 본인 확인"
LINK = "상세 내용은 http://ecopro-bonus.example 참조"
REASON = "외부 링크는 게시할 수 없습니다."


def approve_in_admin(client, opening):
    """The official's "Approve" button on the review page: the list's action on one revision."""
    revision = OpeningRevision.objects.get(opening=opening, status="pending")
    url = reverse("admin:companies_openingrevision_changelist")
    response = client.post(
        url, {"action": "approve_revisions", "_selected_action": [revision.pk], "index": "0"}
    )
    assert response.status_code == 302
    return revision


def edit_url(opening):
    return f"/company/openings/{opening.pk}/edit/"


def detail_url(opening):
    return f"/company/openings/{opening.pk}/"


@pytest.fixture
def other_role(db):
    return f.JobRoleFactory(name="전극 공정 운영원")


# Each field others see: the POST value that changes it, and what the revision stores (JSON).
# Tokens in angle brackets name rows the test makes.
CHANGES = {
    "title": (PHISHING, PHISHING),
    "description": (
        "상세 내용은 http://ecopro-bonus.example 참조",
        "상세 내용은 http://ecopro-bonus.example 참조",
    ),
    "own_question": (
        "우리 회사에서 가장 해 보고 싶은 공정은 무엇입니까?",
        "우리 회사에서 가장 해 보고 싶은 공정은 무엇입니까?",
    ),
    "job_role": ("<other_role>", "<other_role>"),
    "seats": ("5", 5),
    "required_certifications": (["<certification>"], ["<certification>"]),
    "preferred_departments": (["<department>"], ["<department>"]),
    "work_area": ("<area>", "<area>"),
    "shift_pattern": (Opening.Shift.DAY, "day"),
    "monthly_salary_krw": ("3100000", 3_100_000),
    "employment_type": (Opening.EmploymentType.FIXED_TERM, "fixed_term"),
    "starts_on": (days(100).isoformat(), days(100).isoformat()),
    "apply_by": (days(40).isoformat(), days(40).isoformat()),
}


def test_every_field_of_the_form_is_reviewed():
    assert set(CHANGES) == set(REVIEWED_FIELDS)


def _resolve(value, rows):
    if isinstance(value, list):
        return [_resolve(v, rows) for v in value]
    if isinstance(value, str) and value.startswith("<"):
        return rows[value.strip("<>")].pk
    return value


@pytest.fixture
def rows(world, other_role, certification, area):
    return {
        "other_role": other_role,
        "certification": certification,
        "department": world.department_a,
        "area": area,
    }


def _approved_values(opening):
    return {name: edit_data(opening)[name] for name in REVIEWED_FIELDS}


@pytest.mark.parametrize("field", list(CHANGES))
def test_an_edit_waits_for_review_and_approval_publishes_it(
    recruiter_a, official, world, opening_a, rows, field, django_capture_on_commit_callbacks
):
    """The regression: a change to a published opening was public at once (the title always)."""
    posted, stored = (_resolve(v, rows) for v in CHANGES[field])
    before = _approved_values(opening_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_a.post(edit_url(opening_a), edit_data(opening_a, **{field: posted}))
    assert response.status_code == 302
    assert response["Location"] == detail_url(opening_a)

    opening_a.refresh_from_db()
    assert _approved_values(opening_a) == before
    assert opening_a.status == Opening.Status.PUBLISHED
    revision = OpeningRevision.objects.get(opening=opening_a)
    assert (revision.status, revision.changes, revision.submitted_by) == (
        OpeningRevision.Status.PENDING,
        {field: stored},
        world.recruiter_a,
    )
    assert [m.to for m in mail.outbox] == [[world.official.email]]

    with django_capture_on_commit_callbacks(execute=True):
        approve_in_admin(official, opening_a)
    opening_a.refresh_from_db()
    assert edit_data(opening_a)[field] == edit_data(opening_a, **{field: posted})[field]
    assert opening_a.status == Opening.Status.PUBLISHED
    revision.refresh_from_db()
    assert (revision.status, revision.reviewed_by) == (OpeningRevision.Status.APPROVED, world.official)
    assert [m.to for m in mail.outbox[1:]] == [[world.recruiter_a.email]]


def test_students_and_visitors_see_the_approved_title_until_an_official_approves(
    recruiter_a, official, anonymous, student_user, world, opening_a
):
    apply(world.student, opening_a)
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title=PHISHING))
    approved = "에코프로비엠 양극재 공정"
    public_page = anonymous.get(reverse("companies_public:opening_detail", args=[opening_a.pk])).content
    public_list = anonymous.get(reverse("companies_public:opening_list")).content.decode()
    api = anonymous.get(reverse("api:opening-detail", args=[opening_a.pk])).json()
    mine = student_user.get(reverse("me:applications")).content.decode()
    assert approved in public_page.decode() and PHISHING not in public_page.decode()
    assert approved in public_list and PHISHING not in public_list
    assert api["title"] == approved
    assert approved in mine and PHISHING not in mine

    approve_in_admin(official, opening_a)
    assert anonymous.get(reverse("api:opening-detail", args=[opening_a.pk])).json()["title"] == PHISHING
    assert PHISHING in student_user.get(reverse("me:applications")).content.decode()


def test_the_recruiter_sees_the_changes_under_review_side_by_side(recruiter_a, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="양극재 공정 운영 (주간)", seats="4"))
    with translation.override("en"):
        page = recruiter_a.get(detail_url(opening_a), **EN)
    rows = page.context["revision_rows"]
    assert [(r["field"], r["approved"], r["proposed"]) for r in rows] == [
        ("title", "에코프로비엠 양극재 공정", "양극재 공정 운영 (주간)"),
        ("seats", "2", "4"),
    ]
    html = page.content.decode()
    assert 'id="pending-revision"' in html and "Changes under review" in html
    assert reverse("companies:opening_withdraw_changes", args=[opening_a.pk]) in html
    # The page's own heading and facts are the approved version.
    assert page.context["opening"].title == "에코프로비엠 양극재 공정"


def test_the_edit_form_starts_from_the_changes_under_review_and_replaces_them(
    recruiter_a, world, opening_a, django_capture_on_commit_callbacks
):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="첫 번째 제안"))
    first = OpeningRevision.objects.get(opening=opening_a)
    form = recruiter_a.get(edit_url(opening_a)).context["form"]
    assert form["title"].value() == "첫 번째 제안"
    assert form["seats"].value() == 2  # not changed: the approved value

    with django_capture_on_commit_callbacks(execute=True):
        recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="두 번째 제안"))
    first.refresh_from_db()
    assert first.status == OpeningRevision.Status.SUPERSEDED
    pending = OpeningRevision.objects.get(opening=opening_a, status=OpeningRevision.Status.PENDING)
    assert pending.changes == {"title": "두 번째 제안"}
    # An official who opened the first changes cannot approve them any more.
    with pytest.raises(ValidationError) as refused:
        revisions.opening_revision_approve(revision=first, by=world.official)
    assert refused.value.code == "invalid_transition"
    opening_a.refresh_from_db()
    assert opening_a.title == "에코프로비엠 양극재 공정"


def test_saving_the_approved_values_again_withdraws_the_changes(recruiter_a, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    response = recruiter_a.post(edit_url(opening_a), edit_data(opening_a))
    assert response.status_code == 302
    assert list(OpeningRevision.objects.values_list("status", flat=True)) == ["withdrawn"]
    # With nothing pending, an unchanged form makes no revision at all.
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a))
    assert OpeningRevision.objects.count() == 1


def test_a_browsers_line_breaks_are_not_a_change(recruiter_a, opening_a):
    """Browsers send a textarea's line breaks as CRLF; the stored description has LF."""
    Opening.objects.filter(pk=opening_a.pk).update(description="첫째 줄\n둘째 줄")
    opening_a.refresh_from_db()
    response = recruiter_a.post(edit_url(opening_a), edit_data(opening_a, description="첫째 줄\r\n둘째 줄"))
    assert response.status_code == 302
    assert OpeningRevision.objects.count() == 0


def test_rejection_keeps_the_approved_version_and_the_recruiter_reads_the_reason(
    recruiter_a, world, opening_a, django_capture_on_commit_callbacks
):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title=PHISHING))
    revision = OpeningRevision.objects.get(opening=opening_a)
    with django_capture_on_commit_callbacks(execute=True):
        revisions.opening_revision_reject(revision=revision, by=world.official, reason=REASON)
    opening_a.refresh_from_db()
    assert opening_a.title == "에코프로비엠 양극재 공정"
    assert [m.to for m in mail.outbox] == [[world.recruiter_a.email]]
    assert REASON in mail.outbox[0].body
    page = recruiter_a.get(detail_url(opening_a))
    html = page.content.decode()
    assert 'id="revision-rejection"' in html and REASON in html
    assert 'id="revision-rejection"' in recruiter_a.get(edit_url(opening_a)).content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(recruiter_a, world, opening_a, reason):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    revision = OpeningRevision.objects.get(opening=opening_a)
    with pytest.raises(ValidationError) as refused:
        revisions.opening_revision_reject(revision=revision, by=world.official, reason=reason)
    assert refused.value.code == "reason_required"
    revision.refresh_from_db()
    assert revision.status == OpeningRevision.Status.PENDING


def test_the_recruiter_withdraws_the_changes(recruiter_a, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    url = reverse("companies:opening_withdraw_changes", args=[opening_a.pk])
    response = recruiter_a.post(url)
    assert response.status_code == 302
    assert OpeningRevision.objects.get(opening=opening_a).status == OpeningRevision.Status.WITHDRAWN
    assert recruiter_a.get(detail_url(opening_a)).context["revision"] is None
    # Nothing left to withdraw: a message, and nothing changes.
    with translation.override("en"):
        response = recruiter_a.post(url, follow=True, **EN)
        assert "This opening has no changes awaiting review." in response.content.decode()


def test_another_company_cannot_withdraw_or_propose(recruiter_b, recruiter_a, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    assert (
        recruiter_b.post(reverse("companies:opening_withdraw_changes", args=[opening_a.pk])).status_code
        == 404
    )
    assert recruiter_b.post(edit_url(opening_a), edit_data(opening_a, title="가로챈 제목")).status_code == 404
    assert list(OpeningRevision.objects.values_list("status", "changes")) == [("pending", {"title": "제안"})]


def test_closing_the_opening_withdraws_its_changes(recruiter_a, world, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    recruiter_a.post(f"/company/openings/{opening_a.pk}/close/")
    revision = OpeningRevision.objects.get(opening=opening_a)
    assert revision.status == OpeningRevision.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        revisions.opening_revision_approve(revision=revision, by=world.official)


def test_approval_refuses_fewer_seats_than_are_filled(recruiter_a, world, opening_a):
    for _ in range(2):
        f.PlacementFactory(
            student=f.StudentFactory(department=world.department_a),
            company=world.company_a,
            opening=opening_a,
        )
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, seats="1"))
    revision = OpeningRevision.objects.get(opening=opening_a)
    with pytest.raises(ValidationError) as refused:
        revisions.opening_revision_approve(revision=revision, by=world.official)
    assert refused.value.code == "seats_taken"
    opening_a.refresh_from_db()
    revision.refresh_from_db()
    assert (opening_a.seats, revision.status) == (2, OpeningRevision.Status.PENDING)


def test_approval_refuses_a_new_deadline_that_has_passed_meanwhile(recruiter_a, world, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, apply_by=days(10).isoformat()))
    revision = OpeningRevision.objects.get(opening=opening_a)
    revision.changes = {"apply_by": days(-1).isoformat()}  # as if the official came back late
    revision.save()
    with pytest.raises(ValidationError) as refused:
        revisions.opening_revision_approve(revision=revision, by=world.official)
    assert refused.value.code == "invalid_terms"
    opening_a.refresh_from_db()
    assert opening_a.apply_by == days(30)


def test_only_officials_of_the_district_decide(world, recruiter_a, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, title="제안"))
    revision = OpeningRevision.objects.get(opening=opening_a)
    outsider = f.UserFactory(username="gumi_official")
    f.MembershipFactory(user=outsider, district=f.DistrictFactory(slug="gumi", name="구미"), role="official")
    for person in (outsider, world.recruiter_a):
        with pytest.raises(PermissionDenied):
            revisions.opening_revision_approve(revision=revision, by=person)
        with pytest.raises(PermissionDenied):
            revisions.opening_revision_reject(revision=revision, by=person, reason="x")
    revision.refresh_from_db()
    assert revision.status == OpeningRevision.Status.PENDING


def test_the_services_refuse_the_wrong_path(world, opening_a):
    """A published opening never changes directly; only a published one takes a revision."""
    with pytest.raises(ValidationError) as refused:
        openings.opening_update(opening=opening_a, by=world.recruiter_a, title="바로 바꾼 제목")
    assert refused.value.code == "published"
    draft = f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError) as refused:
        revisions.opening_revision_submit(opening=draft, data={"title": "제안"}, by=world.recruiter_a)
    assert refused.value.code == "not_published"
    opening_a.refresh_from_db()
    assert opening_a.title == "에코프로비엠 양극재 공정"


def test_an_invalid_change_is_refused_on_its_field_and_nothing_is_kept(recruiter_a, opening_a):
    response = recruiter_a.post(edit_url(opening_a), edit_data(opening_a, monthly_salary_krw="1000000"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"monthly_salary_krw"}
    assert not OpeningRevision.objects.exists()


def test_applications_go_on_while_changes_wait(recruiter_a, student_user, world, opening_a):
    recruiter_a.post(edit_url(opening_a), edit_data(opening_a, seats="3"))
    response = student_user.post(reverse("me:application_create"), {"opening": opening_a.pk})
    assert response["Location"] == reverse("me:applications")
    assert list(opening_a.applications.values_list("student", flat=True)) == [world.student.pk]
    opening_a.refresh_from_db()
    assert opening_a.status == Opening.Status.PUBLISHED
