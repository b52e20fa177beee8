"""Public reads of partner companies and their openings, for the pages anyone may see.

The public allow-list is here and only here: a company is public once an official has
verified it; an opening once it is published, its deadline has not passed and its
company is verified. The public pages and the API's public `companies` and `openings`
call these same selectors (DESIGN.md §4). The pages pass the district the site shows;
the API's base class (`district.api.base.PublicReadOnlyViewSet`) narrows to the site's
district itself. Detail pages answer 404 for anything outside the allow-list, the
same as for a missing row.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from companies.models import Company, Opening, public_opening_q
from district.models import Certification, District

# At most this many words of a search are used; the rest are ignored.
MAX_SEARCH_WORDS = 8


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Companies -----------------------------------------------------------------------


def company_list_public(*, district: District | None = None) -> QuerySet[Company]:
    """Verified partner companies, with how many live openings each has.

    Of `district`, or of every district when it is None (the API).
    """
    live = public_opening_q(today=timezone.localdate(), prefix="openings__")
    queryset = Company.objects.filter(verification=Company.Verification.VERIFIED)
    if district is not None:
        queryset = queryset.filter(district=district)
    return (
        queryset.select_related("segment", "area")
        .annotate(live_openings=Count("openings", filter=live, distinct=True))
        .order_by("name", "pk")
    )


def get_company_public(pk, *, district: District | None = None) -> Company:
    """A verified company (of `district` when given: the site's), or 404."""
    queryset = Company.objects.filter(verification=Company.Verification.VERIFIED)
    if district is not None:
        queryset = queryset.filter(district=district)
    return _get(queryset.select_related("segment", "area", "district"), pk)


# --- Openings ------------------------------------------------------------------------


def opening_queryset_public(*, today: datetime.date | None = None) -> QuerySet[Opening]:
    """Every public opening of every district, with what a list row shows (two queries a page)."""
    today = today or timezone.localdate()
    return (
        Opening.objects.filter(public_opening_q(today=today))
        .select_related("company__segment", "job_role", "work_area")
        .prefetch_related("required_certifications")
        .order_by("apply_by", "pk")
    )


def _preferred_departments() -> Prefetch:
    # Departments belong to schools, an app above companies: reached through the relation, not imported.
    department = Opening._meta.get_field("preferred_departments").related_model
    return Prefetch("preferred_departments", queryset=department.objects.select_related("school"))


# What a card of the /openings/ page shows (templates/public/opening_list.html), and nothing more.
OPENING_CARD_FIELDS = (
    *("title", "seats", "shift_pattern", "monthly_salary_krw", "apply_by"),
    *("company__name", "job_role__name"),
)


def opening_list_public(
    *,
    district: District | None = None,
    today: datetime.date | None = None,
    with_departments: bool = False,
    cards: bool = False,
) -> QuerySet[Opening]:
    """Public openings of `district` (of every district when it is None), soonest deadline first.

    `with_departments` also loads each opening's preferred departments with their
    schools (one more query a page), which the API shows on every row and the list page
    does not. `cards` reads only the columns a card of the list page shows
    (`OPENING_CARD_FIELDS`, and the names of the required certifications, as the list
    `card_certifications`): the same rows and order, without the descriptions and the
    joined rows' other columns, which the page never shows (issue 17).
    """
    queryset = opening_queryset_public(today=today)
    if district is not None:
        queryset = queryset.filter(company__district=district)
    if with_departments:
        queryset = queryset.prefetch_related(_preferred_departments())
    if cards:
        certifications = Prefetch(
            "required_certifications",
            queryset=Certification.objects.only("name"),
            to_attr="card_certifications",
        )
        queryset = (
            queryset.select_related(None)
            .select_related("company", "job_role")
            .only(*OPENING_CARD_FIELDS)
            .prefetch_related(None)
            .prefetch_related(certifications)
        )
    return queryset


def get_opening_public(pk, *, district: District | None = None) -> Opening:
    """A public opening with everything its page shows, or 404 (also once its deadline has passed).

    With `district`, an opening of another district answers 404 too (issue 16: a student applies
    to and ranks only the openings of their own district).
    """
    queryset = opening_queryset_public()
    if district is not None:
        queryset = queryset.filter(company__district=district)
    return _get(
        queryset.select_related("company__area", "company__district").prefetch_related(
            _preferred_departments()
        ),
        pk,
    )


def company_openings_public(*, company: Company) -> QuerySet[Opening]:
    return opening_queryset_public().filter(company=company)


def search_words(text: str) -> list[str]:
    """The words of a search, letters and digits only, so that no search syntax reaches the database."""
    return re.findall(r"[^\W_]+", text or "")[:MAX_SEARCH_WORDS]


def opening_search(queryset: QuerySet[Opening], text: str, *, rank: bool = False) -> QuerySet[Opening]:
    """Openings whose title, description or company name match every word of `text`.

    On PostgreSQL this is full-text search with each word as a prefix (`전지:*` finds
    `전지를`, which matters for Korean, where particles attach to the word), ranked so
    that title matches come first when `rank` is set. SQLite has no full-text search
    here, so it falls back to case-insensitive containment of each word.
    """
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor != "postgresql":
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(company__name__icontains=word)
            )
        return queryset
    vector = (
        SearchVector("title", weight="A", config="simple")
        + SearchVector("company__name", weight="B", config="simple")
        + SearchVector("description", weight="C", config="simple")
    )
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
    queryset = queryset.annotate(search_document=vector).filter(search_document=query)
    if rank:
        queryset = queryset.annotate(search_rank=SearchRank(vector, query)).order_by(
            "-search_rank", "apply_by", "pk"
        )
    return queryset


def company_profile_public(*, company: Company) -> dict:
    """What a company's public page shows besides the company (three queries).

    Its public openings, the published pathways it hosts field practice for, and the
    credit programmes it partners with.
    """
    return {
        "openings": list(company_openings_public(company=company).prefetch_related(None)),
        "pathways": list(company.pathways.filter(is_published=True).order_by("title")),
        "programs": list(
            company.credit_programs.select_related("university").order_by("university__name", "name")
        ),
    }
