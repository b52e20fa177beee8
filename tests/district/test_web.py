"""The shared page helpers of district/web.py (one copy for every app's pages) and the cohort dates."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from district.cohorts import Cohort, first_survey_on_or_after, retention_dates
from district.web import CARDS_PER_PAGE, PAGE_SIZE, paginate, posted_next, role_required
from tests import factories as f


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.parametrize(
    ("page", "number", "first_row"),
    [("1", 1, 0), ("2", 2, 25), ("99", 3, 50), ("", 1, 0), ("abc", 1, 0), ("-1", 3, 50)],
)
def test_paginate_gives_a_page_for_any_page_parameter(rf, page, number, first_row):
    rows = list(range(60))
    result = paginate(rf.get("/", {"page": page}), rows)
    assert (result.number, result.object_list[0], result.paginator.num_pages) == (number, first_row, 3)


def _shown(page) -> tuple:
    return (
        page.number,
        [row.pk for row in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_previous(),
        page.has_next(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "page", "queries"),
    [
        (0, "", 1),  # nothing: the empty first page, no COUNT
        (3, "", 1),  # one page: its rows give the total
        (5, "1", 1),  # exactly full: the one row more it asked for is not there
        (7, "1", 2),  # more pages after it: counted
        (7, "2", 1),  # the last page: the rows before it and its own
        (10, "2", 1),
        (7, "3", 3),  # past the end: no row, then counted, then the last page's rows
        (7, "0", 2),  # below 1: the last page, as Django answers
        (7, "abc", 2),
    ],
)
def test_paginate_counts_only_when_the_page_does_not_give_the_total(
    rf, django_assert_num_queries, rows, page, queries
):
    """The page, its number and the totals are Django's paginator's, with one query fewer on a last page."""
    from django.core.paginator import Paginator

    from district.models import Certification

    f.CertificationFactory.create_batch(rows)
    queryset = Certification.objects.order_by("pk")
    with django_assert_num_queries(queries):
        result = _shown(paginate(rf.get("/", {"page": page}), queryset, per_page=5))
    assert result == _shown(Paginator(queryset, 5).get_page(page))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "page", "distinct", "queries"),
    [
        (0, "", False, 1),
        (5, "1", False, 1),
        (7, "1", False, 1),  # more pages after it: the rows carry the total
        (12, "2", False, 1),
        (7, "2", False, 1),
        (7, "3", False, 3),  # past the end: no row to carry it, so counted, then the last page
        (7, "0", False, 2),  # below 1: Django's paginator, as without short_list
        (7, "1", True, 2),  # DISTINCT: the window would count before it, so counted apart
    ],
)
def test_paginate_a_short_list_reads_the_total_with_the_rows(
    rf, django_assert_num_queries, rows, page, distinct, queries
):
    """`short_list=True`: the same page and totals as Django's paginator, without the COUNT query."""
    from django.core.paginator import Paginator

    from district.models import Certification

    f.CertificationFactory.create_batch(rows)
    queryset = Certification.objects.order_by("pk")
    if distinct:
        queryset = queryset.distinct()
    with django_assert_num_queries(queries):
        result = _shown(paginate(rf.get("/", {"page": page}), queryset, per_page=5, short_list=True))
    assert result == _shown(Paginator(queryset, 5).get_page(page))


def test_staff_tables_show_25_rows_and_public_lists_20_cards(rf):
    assert (PAGE_SIZE, CARDS_PER_PAGE) == (25, 20)
    page = paginate(rf.get("/"), list(range(60)), per_page=CARDS_PER_PAGE)
    assert (len(page.object_list), page.paginator.num_pages) == (20, 3)


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ("/me/preferences/", "/me/preferences/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/x", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_posted_next_stays_on_this_site(rf, posted, expected):
    request = rf.post("/", {"next": posted})
    assert posted_next(request, "/fallback/") == expected


def test_role_required_refuses_without_the_role_and_attaches_what_it_found(rf, db):
    user = f.UserFactory()
    protected = role_required(lambda u: "the company" if u == user else None, attach="company")(
        lambda request: request.company
    )
    request = rf.get("/")
    request.user = user
    assert protected(request) == "the company"

    other = rf.get("/")
    other.user = f.UserFactory()
    with pytest.raises(PermissionDenied):
        protected(other)

    visitor = rf.get("/somewhere/")
    visitor.user = AnonymousUser()
    assert protected(visitor).status_code == 302  # to the login page


def test_the_survey_dates_are_one_april_and_the_checks_follow_it():
    assert Cohort(2025).survey_on == datetime.date(2026, 4, 1)  # 2025학년도, graduated February 2026
    assert first_survey_on_or_after(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 1)
    assert first_survey_on_or_after(datetime.date(2026, 4, 2)) == datetime.date(2027, 4, 1)
    dates = retention_dates(datetime.date(2026, 3, 2))
    assert (dates.survey, dates.six_months, dates.twelve_months) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2027, 4, 1),
    )
    assert (dates.for_milestone(6), dates.for_milestone(12)) == (dates.six_months, dates.twelve_months)


def test_add_service_errors_puts_each_message_on_its_field():
    from django import forms

    from district.web import add_service_errors

    class Form(forms.Form):
        name = forms.CharField()

    form = Form(data={"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": ["Taken."], "other": ["Refused."]}))
    assert form.errors == {"name": ["Taken."], "__all__": ["Refused."]}
