"""Reads about a company's team: who recruits for it, who asked to join, and who is told what.

Who recruits for which company comes from `district.access`; the membership reads here are
facts about a company's team (who asked to join, who joined first), not access decisions.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from companies.models import Company
from district import access
from district.models import Membership, User


def recruiter_company(user) -> Company | None:
    """The company the user recruits for (the first one, should they recruit for several)."""
    ids = access.company_ids(user)
    if not ids:
        return None
    return (
        Company.objects.select_related("district", "segment", "area")
        .filter(pk__in=ids)
        .order_by("pk")
        .first()
    )


def pending_join_request(user) -> Membership | None:
    """The user's request to join a company, while it awaits approval."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, role=Membership.Role.COMPANY_RECRUITER, is_active=False)
        .select_related("company")
        .order_by("pk")
        .first()
    )


def company_first_recruiter(*, company: Company) -> Membership | None:
    """The company's longest-standing active recruiter, who approves colleagues who ask to join."""
    return (
        Membership.objects.filter(
            company=company, role=Membership.Role.COMPANY_RECRUITER, is_active=True, user__is_active=True
        )
        .order_by("created_at", "pk")
        .first()
    )


def can_approve_recruiters(user, company: Company) -> bool:
    """The company's first active recruiter, or an official of its district."""
    if getattr(user, "is_superuser", False) or company.district_id in access.official_district_ids(user):
        return True
    if company.pk not in access.company_ids(user):
        return False
    first = company_first_recruiter(company=company)
    return first is not None and first.user_id == user.pk


def recruiter_list(*, company: Company) -> QuerySet[Membership]:
    """The company's recruiters: requests awaiting approval first, then by when they joined."""
    return (
        Membership.objects.filter(company=company, role=Membership.Role.COMPANY_RECRUITER)
        .select_related("user")
        .order_by("is_active", "created_at", "pk")
    )


def get_join_request_for_user(user, pk) -> Membership:
    """A request to join a company that `user` may approve or decline, else 404."""
    membership = (
        Membership.objects.filter(pk=pk, role=Membership.Role.COMPANY_RECRUITER, is_active=False)
        .select_related("user", "company")
        .first()
    )
    if membership is None or not can_approve_recruiters(user, membership.company):
        raise Http404("No such request.")
    return membership


def recruiter_emails(company_id: int) -> list[str]:
    """Addresses of the company's active recruiters who can sign in."""
    return list(
        Membership.objects.filter(
            company_id=company_id,
            role=Membership.Role.COMPANY_RECRUITER,
            is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def official_emails(district_id: int) -> list[str]:
    """Addresses of the district's active officials who can sign in."""
    return list(
        Membership.objects.filter(
            district_id=district_id, role=Membership.Role.OFFICIAL, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def join_requests_pending(queryset: QuerySet[Membership] | None = None) -> QuerySet[Membership]:
    """Requests to join a company that await a decision (the person has confirmed their address)."""
    queryset = Membership.objects.all() if queryset is None else queryset
    return queryset.filter(
        role=Membership.Role.COMPANY_RECRUITER, is_active=False, company__isnull=False, user__is_active=True
    )


def _approving_recruiters():
    """The active recruiters with an address who could decide on a request (`join_approver`)."""
    return Membership.objects.filter(
        role=Membership.Role.COMPANY_RECRUITER, is_active=True, user__is_active=True
    ).exclude(user__email="")


def join_requests_for_officials(queryset: QuerySet[Membership] | None = None) -> QuerySet[Membership]:
    """Pending requests that the officials were asked to decide: the company has no recruiter
    who could (the same rule as `join_approver`). Officials may decide the others too."""
    recruiters = _approving_recruiters().filter(company=OuterRef("company"))
    return join_requests_pending(queryset).exclude(Exists(recruiters))


def join_approver(company: Company) -> User | None:
    """The recruiter who approves a colleague joining (the company's first active one with an
    address), or None when there is none and the district's officials decide."""
    first = (
        _approving_recruiters()
        .filter(company=company)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return first.user if first else None
