"""`manage.py district_create` and the admin's add-district page: one service, all or nothing (issue 16)."""

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from district.models import BudgetLine, District, DistrictHost, IndustrySegment, JobRole, Membership, User
from tests import factories as f

pytestmark = pytest.mark.django_db

VOCABULARY = {
    "segments": [
        {"code": "robot-control", "name": "제어"},
        {"code": "precision-machining", "name": "정밀가공"},
    ],
    "job_roles": [
        {
            "name": "로봇 제어 프로그래머",
            "segment": "robot-control",
            "salary": 2_900_000,
            "ncs": ["1903020301_15v2"],
            "description": "로봇 티칭과 PLC 연동",
        },
        {"name": "CNC 가공원", "segment": "precision-machining", "salary": 2_800_000},
        {"name": "품질 검사원"},
    ],
    "budget": {"support_centre": 90_000_000, "equipment": 60_000_000},
}


@pytest.fixture
def vocabulary(tmp_path):
    f.NcsUnitFactory(code="1903020301_15v2", name="자동제어: PLC 제어 프로그래밍")
    path = tmp_path / "ansan.json"
    path.write_text(json.dumps(VOCABULARY, ensure_ascii=False), encoding="utf-8")
    return str(path)


def arguments(vocabulary: str, **changes) -> list[str]:
    options = {
        "--slug": "ansan",
        "--name": "안산",
        "--region": "경기도 안산시",
        "--industry-focus": "로봇",
        "--years": "2025-2027",
        "--annual-budget": "350000000",
        "--email-sender": "안산 직업교육 혁신지구 <noreply@ansan.example.kr>",
        "--vocabulary": vocabulary,
        "--official-username": "ansan-kim",
        "--official-email": "kim@ansan.go.kr",
        "--official-name": "김안산",
        **changes,
    }
    args = [item for pair in options.items() for item in pair]
    return [*args, "--host", "ansan.example.kr", "--host", "www.ansan.example.kr"]


def create(*args) -> str:
    out = StringIO()
    call_command("district_create", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rows() -> dict[str, int]:
    return {
        "districts": District.objects.count(),
        "hosts": DistrictHost.objects.count(),
        "segments": IndustrySegment.objects.count(),
        "job roles": JobRole.objects.count(),
        "budget lines": BudgetLine.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_creates_the_district_with_everything_and_invites_its_first_official(
    vocabulary, django_capture_on_commit_callbacks, client, settings
):
    settings.ALLOWED_HOSTS = [".example.kr", "testserver"]
    with django_capture_on_commit_callbacks(execute=True):
        output = create(*arguments(vocabulary))
    assert output.startswith(
        "District 'ansan' (안산) created for 2025–2027, on ansan.example.kr, www.ansan.example.kr.\n"
    )
    assert "2 industry segments, 3 job roles, 6 budget lines" in output

    ansan = District.objects.get(slug="ansan")
    assert (ansan.name, ansan.region, ansan.industry_focus, ansan.annual_budget_krw) == (
        "안산",
        "경기도 안산시",
        "로봇",
        350_000_000,
    )
    assert (ansan.program_start_year, ansan.program_end_year) == (2025, 2027)
    assert ansan.base_url == "https://ansan.example.kr"
    assert sorted(ansan.hosts.values_list("host", flat=True)) == ["ansan.example.kr", "www.ansan.example.kr"]
    assert list(ansan.segments.values_list("code", "name", "order")) == [
        ("robot-control", "제어", 1),
        ("precision-machining", "정밀가공", 2),
    ]
    programmer = JobRole.objects.get(district=ansan, name="로봇 제어 프로그래머")
    assert (programmer.segment.code, programmer.typical_monthly_salary_krw) == ("robot-control", 2_900_000)
    assert list(programmer.ncs_units.values_list("code", flat=True)) == ["1903020301_15v2"]
    assert JobRole.objects.get(district=ansan, name="품질 검사원").segment is None
    lines = BudgetLine.objects.filter(district=ansan)
    assert sorted(lines.values_list("year", "category", "planned_krw")) == [
        (2025, "equipment", 60_000_000),
        (2025, "support_centre", 90_000_000),
        (2026, "equipment", 60_000_000),
        (2026, "support_centre", 90_000_000),
        (2027, "equipment", 60_000_000),
        (2027, "support_centre", 90_000_000),
    ]

    official = User.objects.get(username="ansan-kim")
    assert (official.email, official.name, official.is_staff, official.has_usable_password()) == (
        "kim@ansan.go.kr",
        "김안산",
        True,
        False,
    )
    assert list(official.memberships.values_list("district__slug", "role", "is_active")) == [
        ("ansan", Membership.Role.OFFICIAL, True)
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.from_email) == (
        ["kim@ansan.go.kr"],
        "안산 직업교육 혁신지구 <noreply@ansan.example.kr>",
    )
    link = next(line for line in message.body.splitlines() if line.startswith("https://ansan.example.kr/"))
    path = link.removeprefix("https://ansan.example.kr")
    assert path.startswith("/accounts/reset/")
    # The link is the ordinary password-reset link: it opens the form to set a password.
    response = client.get(path, HTTP_HOST="ansan.example.kr")
    assert response.status_code == 302
    assert response["Location"].endswith("/set-password/")


def test_a_second_run_with_the_same_arguments_changes_nothing(vocabulary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(*arguments(vocabulary))
    before = rows()
    with django_capture_on_commit_callbacks(execute=True):
        output = create(*arguments(vocabulary))
    assert output == "District 'ansan' (안산) already exists as asked; nothing changed.\n"
    assert rows() == before
    assert len(mail.outbox) == 1


def test_a_slug_in_use_is_refused_in_one_line_and_nothing_is_written(vocabulary):
    f.DistrictFactory(slug="ansan", name="안산(기존)")
    before = rows()
    with pytest.raises(CommandError) as refused:
        create(*arguments(vocabulary))
    assert str(refused.value) == "슬러그 'ansan'인 지구가 이미 있습니다(안산(기존))."
    assert refused.value.returncode == 1
    assert rows() == before


def test_a_host_name_in_use_is_refused_in_one_line_and_nothing_is_written(vocabulary):
    pohang = f.DistrictFactory()
    DistrictHost.objects.create(district=pohang, host="www.ansan.example.kr")
    before = rows()
    with pytest.raises(CommandError) as refused:
        create(*arguments(vocabulary))
    assert str(refused.value) == "이미 포항 지구가 사용하는 호스트 이름입니다: www.ansan.example.kr."
    assert refused.value.returncode == 1
    assert rows() == before
    assert not District.objects.filter(slug="ansan").exists()


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("2027-2025", r"사업 기간\(2027–2025\)이 올바르지 않습니다"),
        ("1925-2027", r"사업 기간\(1925–2027\)이 올바르지 않습니다"),
        ("2025", "not programme years in the form 2025-2027: '2025'"),
    ],
)
def test_bad_years_are_refused_and_nothing_is_written(vocabulary, years, message):
    before = rows()
    with pytest.raises(CommandError, match=message):
        create(*arguments(vocabulary, **{"--years": years}))
    assert rows() == before


@pytest.mark.parametrize(
    ("vocabulary_change", "message"),
    [
        (
            {"job_roles": [{"name": "x", "ncs": ["1111111111_11v1"]}]},
            r"등록되지 않은 NCS 능력단위입니다\(먼저 국가 목록에 추가하십시오\): 1111111111_11v1",
        ),
        (
            {"job_roles": [{"name": "x", "segment": "nowhere"}]},
            "직무 'x'에 지정된 산업 분야가 없습니다: nowhere",
        ),
        ({"budget": {"snacks": 1}}, "알 수 없는 예산 항목입니다: snacks"),
    ],
)
def test_a_bad_vocabulary_is_refused_and_nothing_is_written(tmp_path, vocabulary_change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**VOCABULARY, **vocabulary_change}), encoding="utf-8")
    f.NcsUnitFactory(code="1903020301_15v2")
    before = rows()
    with pytest.raises(CommandError, match=message):
        create(*arguments(str(path)))
    assert rows() == before


def test_the_admin_adds_a_district_through_the_same_service(django_capture_on_commit_callbacks):
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    f.NcsUnitFactory(code="1903020301_15v2")
    client = Client()
    client.force_login(root)
    page = client.get(reverse("admin:district_district_add"))
    assert page.status_code == 200
    fieldsets = page.context["adminform"]
    shown = [field.field.name for fieldset in fieldsets for line in fieldset for field in line]
    assert shown == [
        "name",
        "slug",
        "region",
        "industry_focus",
        "program_start_year",
        "program_end_year",
        "annual_budget_krw",
        "description",
        "hosts",
        "base_url",
        "email_sender",
        "vocabulary",
        "official_username",
        "official_email",
        "official_name",
    ]
    assert page.context["inline_admin_formsets"] == []
    form = {
        "name": "안산",
        "slug": "ansan",
        "region": "경기도 안산시",
        "industry_focus": "로봇",
        "program_start_year": "2025",
        "program_end_year": "2027",
        "annual_budget_krw": "350000000",
        "description": "",
        "hosts": "ansan.example.kr, www.ansan.example.kr",
        "base_url": "https://ansan.example.kr",
        "email_sender": "",
        "vocabulary": json.dumps(VOCABULARY),
        "official_username": "ansan-kim",
        "official_email": "kim@ansan.go.kr",
        "official_name": "김안산",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:district_district_add"), form)
    assert response.status_code == 302
    ansan = District.objects.get(slug="ansan")
    assert response["Location"] == reverse("admin:district_district_changelist")
    assert sorted(ansan.hosts.values_list("host", flat=True)) == ["ansan.example.kr", "www.ansan.example.kr"]
    assert (ansan.segments.count(), ansan.job_roles.count(), ansan.budget_lines.count()) == (2, 3, 6)
    assert Membership.objects.get(user__username="ansan-kim").district == ansan
    assert [m.to for m in mail.outbox] == [["kim@ansan.go.kr"]]
    # The district's page shows its host names inline.
    page = client.get(reverse("admin:district_district_change", args=[ansan.pk]))
    assert page.status_code == 200
    assert [type(i.opts).__name__ for i in page.context["inline_admin_formsets"]] == ["DistrictHostInline"]

    # A host another district serves is refused on the form, and nothing is written.
    before = rows()
    clash = {
        **form,
        "slug": "siheung",
        "name": "시흥",
        "official_username": "siheung-lee",
        "hosts": "ansan.example.kr",
    }
    response = client.post(reverse("admin:district_district_add"), clash)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "이미 안산 지구가 사용하는 호스트 이름입니다: ansan.example.kr."
    ]
    assert rows() == before
