"""Public pages of credit programmes for employed graduates: /programs/ (no login)."""

from __future__ import annotations

from django.shortcuts import render

from district.filters import filter_status
from district.selectors import district_default
from district.web import CARDS_PER_PAGE, paginate
from universities.filters import PublicCreditProgramFilterSet
from universities.selectors_public import (
    credit_program_list_public,
    degree_credits,
    get_credit_program_public,
)


def program_list(request):
    district = district_default()
    filterset = PublicCreditProgramFilterSet(
        request.GET or None, queryset=credit_program_list_public(district=district), district=district
    )
    page = paginate(request, filterset.qs, per_page=CARDS_PER_PAGE)
    return render(
        request,
        "public/program_list.html",
        {"district": district, "filterset": filterset, "page": page},
        status=filter_status(filterset.form),
    )


def program_detail(request, pk):
    program = get_credit_program_public(pk)
    context = {
        "program": program,
        "degree_credits": degree_credits(program),
        "pathways": program.pathways.filter(is_published=True).order_by("title"),
    }
    return render(request, "public/program_detail.html", context)
