"""Korean that reads right: the admin's titles, particles after names, one date format, one money format,
and the API docs' introduction (issue 14 §4)."""

import datetime
import re

import pytest
from django.utils import translation

from district.mail import render_body
from placements.models import Notification, SavedSearch
from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Django's own messages, translated again (district/django_messages.py) ------------------------


def test_admin_changelist_titles_read_as_korean(official, world):
    # Match runs are read-only in the admin: Django titles the list "Select %s to view".
    page = html(official.get("/admin/placements/matchrun/"))
    assert "<h1>조회할 매칭 실행 선택</h1>" in page
    assert "보기위한" not in page and "를(을)" not in page
    page = html(official.get("/admin/companies/opening/"))
    assert "<h1>변경할 채용공고 선택</h1>" in page


def test_admin_read_only_change_page_is_titled_view(official, world):
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    page = html(official.get(f"/admin/placements/matchrun/{run.pk}/change/"))
    assert "<h1>매칭 실행 보기</h1>" in page
    assert "뷰 매칭 실행" not in page


def test_djangos_messages_carry_no_double_particles():
    from django.utils.translation import gettext, ngettext

    from district.django_messages import ADMIN_MESSAGES, VALIDATION_MESSAGES

    double = re.compile(r"이/가|을/를|은/는|를\(을\)|이\(가\)|을\(를\)|은\(는\)|오브젝트|개체|뷰 ")
    with translation.override("ko"):
        texts = [gettext(m) for m in (*ADMIN_MESSAGES, *VALIDATION_MESSAGES) if isinstance(m, str)]
        texts.append(ngettext("%(count)s %(name)s was changed successfully.", "", 2))
    assert [t for t in texts if double.search(t) or not re.search("[가-힣]", t)] == []
    assert len(texts) == 42


def test_an_invalid_choice_reads_as_korean(anonymous, world):
    response = anonymous.get("/openings/", {"shift_pattern": "bogus"})
    assert response.status_code == 400
    errors = response.context["filterset"].form.errors["shift_pattern"]
    assert errors == ["올바른 항목을 선택하십시오. bogus 값은 선택할 수 있는 항목에 없습니다."]


# --- Particles chosen once the word is in (district.korean.fix_particles) ----------------------------


def test_page_messages_choose_the_particle(student_user, world):
    search = SavedSearch.objects.create(
        user=world.student_user, name="양극재", querystring="q=양극재", unsubscribe_token="t-1"
    )
    response = student_user.post(f"/me/searches/{search.pk}/delete/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["검색 “양극재”를 삭제했습니다."]


def test_notifications_choose_the_particle(student_user, world):
    text = "에코프로비엠이(가) “양극재 공정” 채용 제안을 철회했습니다."
    Notification.objects.create(user=world.student_user, text=text)
    page = html(student_user.get("/me/notifications/"))
    assert "에코프로비엠이 “양극재 공정” 채용 제안을 철회했습니다." in page
    assert "이(가)" not in page


def test_emails_choose_the_particle():
    body = render_body(
        "companies/email/opening_published.txt", {"company": "에코프로비엠", "opening": "양극재 공정 운영원"}
    )
    assert "에코프로비엠의 채용공고 “양극재 공정 운영원”을 승인했습니다." in body
    assert "을(를)" not in body


def test_service_errors_on_forms_choose_the_particle(school_a_staff, world):
    """A roster with a column the school did not mean: "알 수 없는 열 'x'가 있습니다"."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["이름", "학과", "비고란"])
    data = BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "roster.xlsx"
    response = school_a_staff.post("/school/students/import/", {"school": world.school_a.pk, "file": data})
    errors = response.context["form"].errors["file"]
    assert any("'비고란'이 있습니다" in e for e in errors), errors
    assert not any("이(가)" in e for e in errors)


# --- One date format, one money format -------------------------------------------------------


@pytest.fixture
def dated_opening(world):
    return opening_of(
        world.company_a,
        title="양극재 소성 공정",
        monthly_salary_krw=2_600_000,
        apply_by=datetime.date(2027, 1, 31),
        starts_on=datetime.date(2027, 3, 2),
    )


def test_public_and_company_pages_write_dates_one_way(anonymous, recruiter_a, dated_opening):
    for page in (
        html(anonymous.get(f"/openings/{dated_opening.pk}/")),
        html(recruiter_a.get(f"/company/openings/{dated_opening.pk}/")),
    ):
        assert "2027년 1월 31일" in page
        assert "2027년 3월 2일" in page
        assert "2027-01-31" not in page and "2027-1-31" not in page


def test_dates_in_english(anonymous, dated_opening):
    anonymous.cookies["django_language"] = "en"
    page = html(anonymous.get(f"/openings/{dated_opening.pk}/"))
    assert "31 Jan 2027" in page


def test_money_is_written_one_way(anonymous, recruiter_a, dated_opening):
    assert "2,600,000원" in html(anonymous.get(f"/openings/{dated_opening.pk}/"))
    company_page = html(recruiter_a.get(f"/company/openings/{dated_opening.pk}/"))
    assert "2,600,000원" in company_page
    assert "2,600,000 원" not in company_page


def test_python_messages_use_the_same_date_format():
    from django.utils.formats import date_format

    with translation.override("ko"):
        assert date_format(datetime.date(2027, 1, 31), "SHORT_DATE_FORMAT") == "2027년 1월 31일"
        five_pm = datetime.datetime(2027, 1, 31, 17, 5)
        assert date_format(five_pm, "SHORT_DATETIME_FORMAT") == "2027년 1월 31일 17:05"
    with translation.override("en"):
        assert date_format(datetime.date(2027, 1, 31)) == "31 Jan 2027"


# --- The API docs -------------------------------------------------------------------------------


def test_api_docs_lead_back_to_the_dashboard(official):
    page = html(official.get("/api/docs/"))
    assert '<html lang="ko">' in page
    assert '<a href="/dashboard/">대시보드로 돌아가기</a>' in page
    assert '<a href="/">포털 홈</a>' in page


def test_api_schema_introduction_is_korean(anonymous):
    schema = anonymous.get("/api/schema/", {"format": "json"}).json()
    assert schema["info"]["title"] == "혁신지구 포털 API"
    assert schema["info"]["description"].startswith("직업교육 혁신지구 포털의 조회용 API입니다.")
