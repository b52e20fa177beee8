"""The public front page: Korean by default, English one click away, honest numbers."""

import datetime

import pytest
from django.utils import timezone

from dashboard import kpis
from district.cohorts import Cohort
from tests import factories as f


@pytest.mark.django_db
def test_home_is_korean_by_default_and_shows_the_key_numbers(client):
    district = f.DistrictFactory()
    company = f.CompanyFactory(district=district)
    f.OpeningFactory(company=company, seats=3)
    f.OpeningFactory(company=company, seats=4)
    f.OpeningFactory(company=company, seats=50, status="draft")
    f.OpeningFactory(
        company=company,
        seats=20,
        apply_by=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ko"
    overview = response.context["overview"]
    # Only published openings still taking applications count.
    assert (overview.open_openings, overview.open_seats) == (2, 7)
    assert overview.partner_companies == 1
    assert overview.local_employment_rate is None
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.django_db
def test_the_employment_figures_are_the_dashboards_for_the_latest_surveyed_cohort(client):
    """The home page reads the dashboard's KPIs (one function), for the cohort whose survey
    date passed last: its employed on 1 April after graduation, not any placement ever made."""
    district = f.DistrictFactory()
    department = f.DepartmentFactory(school=f.SchoolFactory(district=district))
    cohort = Cohort.latest_surveyed(timezone.localdate())
    survey = cohort.survey_on
    local, away = f.CompanyFactory(district=district), f.CompanyFactory(district=district, is_local=False)

    def graduate(company, *, school_year=cohort.school_year, **placement):
        student = f.StudentFactory(department=department, cohort=school_year)
        if company:
            f.PlacementFactory(student=student, company=company, is_local=company.is_local, **placement)

    for _ in range(3):
        graduate(local, starts_on=survey - datetime.timedelta(days=30))
    graduate(away, starts_on=survey - datetime.timedelta(days=30))
    graduate(local, starts_on=survey + datetime.timedelta(days=1))  # hired, but after the survey date
    graduate(None)
    graduate(away, school_year=cohort.school_year - 1, starts_on=survey - datetime.timedelta(days=400))
    overview = client.get("/").context["overview"]
    assert overview.cohort == cohort
    assert overview.survey_on == survey
    assert overview.employment_rate == 66.7  # 4 employed on the survey date of 6 graduates
    assert overview.local_employment_rate == 75.0  # 3 of those 4
    summary = kpis.dashboard_summary(scope=kpis.district_scope(district), cohort=cohort.school_year)
    assert (overview.employment_rate, overview.local_employment_rate) == (
        summary["employment_rate"],
        summary["local_employment_rate"],
    )
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"{cohort.school_year}학년도 ({cohort.graduation_year}년 2월 졸업)" in html


@pytest.mark.django_db
def test_home_without_a_district_shows_an_empty_state(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["overview"] is None


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client):
    f.DistrictFactory()
    response = client.get("/i18n/language/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_home_links_each_audience_to_its_entry_points(client):
    f.DistrictFactory()
    html = client.get("/").content.decode()
    for url in ("/pathways/", "/openings/", "/companies/", "/programs/", "/me/", "/company/", "/admin/"):
        assert f'href="{url}"' in html, url


@pytest.mark.parametrize("persona", ["student_user", "recruiter_a", "school_a_staff", "official"])
def test_signed_in_the_home_leads_to_ones_own_work_not_to_other_roles_pages(request, persona):
    """The role pages answer 403 to the other roles, so a signed-in person gets one link to their work."""
    html = request.getfixturevalue(persona).get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    start = html.index('id="start-heading"')
    entry_points = html[start : html.index("</section>", start)]
    assert '<a class="button" href="/accounts/start/">내 업무로 가기</a>' in entry_points
    for url in ("/me/", "/company/", "/admin/", "/dashboard/"):
        assert f'href="{url}"' not in entry_points, url


@pytest.mark.django_db
def test_home_numbers_link_to_the_lists_they_count(client):
    f.DistrictFactory()
    html = client.get("/").content.decode()
    assert '<a href="/openings/">' in html and '<a href="/pathways/">' in html


@pytest.mark.django_db
def test_an_unverified_companys_opening_is_neither_listed_nor_counted(client):
    """The home page counts exactly what /openings/ lists: the one public-opening rule."""
    district = f.DistrictFactory()
    verified = f.CompanyFactory(district=district)
    pending = f.CompanyFactory(district=district, verification="pending", verified_at=None)
    shown = f.OpeningFactory(company=verified, seats=2)
    hidden = f.OpeningFactory(company=pending, seats=9)

    overview = client.get("/").context["overview"]
    assert (overview.partner_companies, overview.open_openings, overview.open_seats) == (1, 1, 2)
    assert [opening.pk for opening in client.get("/openings/").context["page"]] == [shown.pk]
    assert client.get(f"/openings/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(db, client, path):
    from django.contrib.staticfiles import finders

    page = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("img/favicon.svg") is not None
