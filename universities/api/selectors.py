"""Public reads of credit programmes for the API and the public pages."""

from django.db.models import Prefetch, QuerySet

from companies.models import Company
from universities.models import CreditProgram


def credit_program_list_public() -> QuerySet[CreditProgram]:
    """Every credit programme with its university and verified partner companies (two queries a page)."""
    return (
        CreditProgram.objects.select_related("university")
        .prefetch_related(
            Prefetch(
                "partner_companies",
                queryset=Company.objects.filter(verification=Company.Verification.VERIFIED).order_by("name"),
            )
        )
        .order_by("university__name", "name", "pk")
    )
