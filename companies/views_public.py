"""Public pages of openings and partner companies: /openings/ and /companies/ (no login).

What is public is decided by `companies.selectors_public`; everything else answers 404.
A signed-in student also sees, on an opening, which requirements they meet and can
apply, rank it or save the search they made.
"""

from __future__ import annotations

from django.shortcuts import render

from companies.filters import PublicCompanyFilterSet, PublicOpeningFilterSet
from companies.selectors_public import (
    company_list_public,
    company_profile_public,
    get_company_public,
    get_opening_public,
    opening_list_public,
)
from district.filters import filter_status
from district.selectors import district_default
from district.web import CARDS_PER_PAGE, paginate
from placements.selectors.saved_searches import normalised_querystring, saved_search_list
from placements.selectors.students import opening_fit
from schools.selectors.students import student_for_user


def opening_list(request):
    district = district_default()
    filterset = PublicOpeningFilterSet(
        request.GET or None, queryset=opening_list_public(district=district), district=district
    )
    context = {
        "district": district,
        "filterset": filterset,
        "page": paginate(request, filterset.qs, per_page=CARDS_PER_PAGE),
    }
    student = student_for_user(request.user)
    if student is not None:
        querystring = normalised_querystring(request.GET, district=district)
        context["save_querystring"] = querystring
        context["already_saved"] = (
            saved_search_list(user=request.user).filter(querystring=querystring).exists()
        )
    context["is_student"] = student is not None
    return render(request, "public/opening_list.html", context, status=filter_status(filterset.form))


def opening_detail(request, pk):
    opening = get_opening_public(pk)
    student = student_for_user(request.user)
    fit = opening_fit(opening=opening, student=student) if student else None
    return render(request, "public/opening_detail.html", {"opening": opening, "student": student, "fit": fit})


def company_list(request):
    district = district_default()
    filterset = PublicCompanyFilterSet(
        request.GET or None, queryset=company_list_public(district=district), district=district
    )
    return render(
        request,
        "public/company_list.html",
        {
            "district": district,
            "filterset": filterset,
            "page": paginate(request, filterset.qs, per_page=CARDS_PER_PAGE),
        },
        status=filter_status(filterset.form),
    )


def company_detail(request, pk):
    company = get_company_public(pk)
    return render(
        request, "public/company_detail.html", {"company": company, **company_profile_public(company=company)}
    )
