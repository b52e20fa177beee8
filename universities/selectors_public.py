"""Public reads of credit programmes (선취업 후진학), for the pages anyone may see.

Every programme of the district's universities is public, including those not taking
students this year (the page says so, and the API has `is_active` and `?is_active=`);
the eligibility rules are the point of the page. The /programs/ page and the API's public
`credit-programs` call the same `credit_program_list_public` (DESIGN.md §4); the API
passes no district and so lists every district of the deployment.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from companies.models import Company
from district.models import District
from universities.models import DEGREE_CREDITS, CreditProgram

# Credits for a degree from the Academic Credit Bank (학점은행제).


def _verified_partners():
    return Prefetch(
        "partner_companies",
        queryset=Company.objects.filter(verification=Company.Verification.VERIFIED).order_by("name"),
    )


def credit_program_list_public(*, district: District | None = None) -> QuerySet[CreditProgram]:
    """Credit programmes, open ones first (two queries a page).

    Of `district`, or of every district when it is None (the API).
    """
    queryset = CreditProgram.objects.all()
    if district is not None:
        queryset = queryset.filter(university__district=district)
    return (
        queryset.select_related("university")
        .prefetch_related(_verified_partners())
        .order_by("-is_active", "university__name", "name", "pk")
    )


def get_credit_program_public(pk) -> CreditProgram:
    """A credit programme with its university and verified partner companies, or 404."""
    try:
        return (
            CreditProgram.objects.select_related("university__area")
            .prefetch_related(_verified_partners())
            .get(pk=pk)
        )
    except (CreditProgram.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def degree_credits(program: CreditProgram) -> int:
    """Credits the programme's degree needs in total: 80 for an associate degree, 140 for a bachelor's."""
    return DEGREE_CREDITS.get(program.degree, program.credits_required)
