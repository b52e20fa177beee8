"""The public site (no login): the home page, pathways, openings, companies and credit programmes,
and /districts/, every district of the deployment.

Each page shows the district of the request's host (`request.district`, district.sites): its
lists hold that district's rows only, and a detail page of another district's row answers 404
here, as a missing one does.

What is public is decided by the owning app's public selectors (`companies.selectors.public`,
`placements.selectors.pathways`, `universities.selectors`), which the public API calls
too; everything else answers 404. A signed-in student also sees, on an opening, which
requirements they meet and can apply, rank it or save the search they made.

The views marked `public_page` are served to visitors without a session from the shared cache
(district.public_cache); what they show must come from the request's district, language and
URL alone, or from the user when one is signed in.
"""

from __future__ import annotations

from django.shortcuts import render

from companies.filters import PublicOpeningFilterSet
from companies.selectors.public import (
    company_list_public,
    company_profile_public,
    get_company_public,
    get_opening_public,
    opening_list_public,
)
from district.filters import filter_status
from district.public_cache import public_page
from district.web import CARDS_PER_PAGE, paginate
from placements.selectors.pathways import get_pathway_public, pathway_list_public, pathway_route
from placements.selectors.saved_searches import normalised_querystring, saved_search_list
from placements.selectors.students import opening_fit
from public.cards import opening_cards, pathway_cards
from public.filters import PublicCompanyFilterSet, PublicCreditProgramFilterSet, PublicPathwayFilterSet
from public.selectors import district_directory, district_overview
from schools.selectors.students import student_for_user
from universities.selectors import credit_program_list_public, degree_credits, get_credit_program_public

# --- Home ------------------------------------------------------------------------------------


@public_page
def home(request):
    """The public front page: the district in one screen."""
    district = request.district
    overview = district_overview(district=district) if district else None
    return render(request, "public/home.html", {"district": district, "overview": overview})


# --- Every district of the portal ----------------------------------------------------------


def district_list(request):
    """/districts/: every district of the deployment, its numbers and a link to its own site."""
    return render(request, "public/district_list.html", {"entries": district_directory(request=request)})


# --- Pathways --------------------------------------------------------------------------------


@public_page
def pathway_list(request):
    district = request.district
    filterset = PublicPathwayFilterSet(
        request.GET or None, queryset=pathway_list_public(district=district, cards=True), district=district
    )
    page = paginate(request, filterset.qs, short_list=True)
    context = {"district": district, "filterset": filterset, "page": page, "cards": pathway_cards(page)}
    return render(request, "public/pathway_list.html", context, status=filter_status(filterset.form))


@public_page
def pathway_detail(request, slug):
    pathway = get_pathway_public(slug, district=request.district)
    return render(request, "public/pathway_detail.html", {"route": pathway_route(pathway=pathway)})


# --- Openings --------------------------------------------------------------------------------


@public_page
def opening_list(request):
    district = request.district
    filterset = PublicOpeningFilterSet(
        request.GET or None, queryset=opening_list_public(district=district, cards=True), district=district
    )
    page = paginate(request, filterset.qs, per_page=CARDS_PER_PAGE, short_list=True)
    context = {"district": district, "filterset": filterset, "page": page, "cards": opening_cards(page)}
    student = student_for_user(request.user)
    if student is not None:
        querystring = normalised_querystring(request.GET, district=district)
        context["save_querystring"] = querystring
        context["already_saved"] = (
            saved_search_list(user=request.user).filter(querystring=querystring).exists()
        )
    context["is_student"] = student is not None
    return render(request, "public/opening_list.html", context, status=filter_status(filterset.form))


@public_page
def opening_detail(request, pk):
    opening = get_opening_public(pk, district=request.district)
    student = student_for_user(request.user)
    fit = opening_fit(opening=opening, student=student) if student else None
    return render(request, "public/opening_detail.html", {"opening": opening, "student": student, "fit": fit})


# --- Companies -------------------------------------------------------------------------------


@public_page
def company_list(request):
    district = request.district
    filterset = PublicCompanyFilterSet(
        request.GET or None, queryset=company_list_public(district=district), district=district
    )
    return render(
        request,
        "public/company_list.html",
        {
            "district": district,
            "filterset": filterset,
            "page": paginate(request, filterset.qs, per_page=CARDS_PER_PAGE, short_list=True),
        },
        status=filter_status(filterset.form),
    )


@public_page
def company_detail(request, pk):
    company = get_company_public(pk, district=request.district)
    return render(
        request, "public/company_detail.html", {"company": company, **company_profile_public(company=company)}
    )


# --- Credit programmes -----------------------------------------------------------------------


@public_page
def program_list(request):
    district = request.district
    filterset = PublicCreditProgramFilterSet(
        request.GET or None, queryset=credit_program_list_public(district=district), district=district
    )
    page = paginate(request, filterset.qs, per_page=CARDS_PER_PAGE, short_list=True)
    return render(
        request,
        "public/program_list.html",
        {"district": district, "filterset": filterset, "page": page},
        status=filter_status(filterset.form),
    )


@public_page
def program_detail(request, pk):
    program = get_credit_program_public(pk, district=request.district)
    context = {
        "program": program,
        "degree_credits": degree_credits(program),
        "pathways": program.pathways.filter(is_published=True).order_by("title"),
    }
    return render(request, "public/program_detail.html", context)
