"""The admin of the students' own rows: notifications, saved searches and suggested openings.

Officials see their district's rows only, read-only; superusers may add, change and delete;
every changelist page and every record opened writes the personal-data access log.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from district.models import DistrictHost, Membership
from placements.models import Notification, SavedSearch, Suggestion
from privacy.models import PersonalDataAccess
from tests import factories as f

MODELS = [Notification, SavedSearch, Suggestion]


def admin_url(model, view, *args):
    return reverse(f"admin:placements_{model._meta.model_name}_{view}", args=args)


def _rows_of(student, user, opening, token):
    return {
        Notification: Notification.objects.create(
            user=user, kind=Notification.Kind.OFFER, text=f"{student.name} 제안"
        ),
        SavedSearch: SavedSearch.objects.create(user=user, name="전기 공고", unsubscribe_token=token),
        Suggestion: Suggestion.objects.create(
            student=student, opening=opening, rank=1, score=40.0, computed_at=timezone.now()
        ),
    }


@pytest.fixture
def rows(world):
    """Each model's row for the world's student, and one for a student of another district."""
    ours = _rows_of(world.student, world.student_user, f.OpeningFactory(company=world.company_a), "a" * 64)
    gumi = f.DistrictFactory(slug="gumi", name="구미", region="경상북도 구미시")
    school = f.SchoolFactory(district=gumi, name="구미전자공고")
    user = f.UserFactory(username="gumi_student")
    f.MembershipFactory(user=user, district=gumi, role=Membership.Role.STUDENT, school=school)
    student = f.StudentFactory(department=f.DepartmentFactory(school=school), user=user, name="이구미")
    opening = f.OpeningFactory(company=f.CompanyFactory(district=gumi, name="구미배터리"))
    theirs = _rows_of(student, user, opening, "b" * 64)
    return ours, theirs


def client_for(user, host: str = "testserver"):
    """A signed-in client on `host`: roles count only on their own district's site."""
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_official_sees_only_their_districts_rows_and_logs_the_page(world, rows, model):
    ours, _theirs = rows
    response = client_for(world.official).get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ours[model]]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.student, access.kind, access.what, access.purpose) == (
        world.official,
        world.student,
        PersonalDataAccess.Kind.VIEW,
        f"admin:{model._meta.model_name}_changelist",
        "",
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_official_of_another_district_sees_none(world, rows, model):
    _ours, theirs = rows
    gumi = theirs[Suggestion].student.school.district
    DistrictHost.objects.create(district=gumi, host="gumi.localhost")
    gumi_official = f.UserFactory(username="gumi_official", is_staff=True)
    f.MembershipFactory(user=gumi_official, district=gumi, role=Membership.Role.OFFICIAL)
    ours = rows[0][model]
    client = client_for(world.official)
    assert client.get(admin_url(model, "change", theirs[model].pk)).status_code == 302  # as missing
    response = client_for(gumi_official, "gumi.localhost").get(admin_url(model, "changelist"))
    assert list(response.context["cl"].result_list) == [theirs[model]]
    assert (
        client_for(gumi_official, "gumi.localhost").get(admin_url(model, "change", ours.pk)).status_code
        == 302
    )
    assert not PersonalDataAccess.objects.filter(student=world.student).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_official_opens_a_row_read_only_and_the_access_is_logged(world, rows, model):
    row = rows[0][model]
    client = client_for(world.official)
    response = client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert [(a.user, a.student, a.what) for a in PersonalDataAccess.objects.all()] == [
        (world.official, world.student, f"admin:{model._meta.model_name}_change")
    ]
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", row.pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_superuser_sees_every_district_and_may_delete(world, rows, model):
    ours, theirs = rows
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(root)
    response = client.get(admin_url(model, "changelist"))
    assert set(response.context["cl"].result_list) == {ours[model], theirs[model]}
    assert client.get(admin_url(model, "add")).status_code == 200
    assert client.post(admin_url(model, "delete", theirs[model].pk), {"post": "yes"}).status_code == 302
    assert not model.objects.filter(pk=theirs[model].pk).exists()
    assert sorted(PersonalDataAccess.objects.values_list("student__name", "what")) == [
        ("김하늘", f"admin:{model._meta.model_name}_changelist"),
        ("이구미", f"admin:{model._meta.model_name}_changelist"),
    ]
