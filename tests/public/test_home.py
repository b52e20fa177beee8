"""The public front page: Korean by default, English one click away, honest numbers."""

import datetime

import pytest
from django.utils import timezone

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
def test_local_employment_rate_counts_last_years_graduates(client):
    district = f.DistrictFactory()
    last_year = timezone.localdate().year - 1
    local, away = f.CompanyFactory(district=district), f.CompanyFactory(district=district, is_local=False)
    for _ in range(3):
        f.PlacementFactory(student=f.StudentFactory(cohort=last_year), company=local)
    f.PlacementFactory(student=f.StudentFactory(cohort=last_year), company=away, is_local=False)
    f.PlacementFactory(student=f.StudentFactory(cohort=last_year - 1), company=away, is_local=False)
    overview = client.get("/").context["overview"]
    assert overview.local_employment_rate == pytest.approx(75.0)


@pytest.mark.django_db
def test_home_without_a_district_shows_an_empty_state(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["overview"] is None


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client):
    f.DistrictFactory()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_home_links_each_audience_to_its_entry_points(client):
    f.DistrictFactory()
    html = client.get("/").content.decode()
    for url in ("/pathways/", "/openings/", "/companies/", "/programs/", "/me/", "/company/", "/admin/"):
        assert f'href="{url}"' in html, url


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
