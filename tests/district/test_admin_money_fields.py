"""Every amount of money in the admin shows in full: 2600000 is not cut to "260000".

The cause was Django's admin width for integer inputs (`.vIntegerField { width: 5em }`), too
narrow for seven digits. Every `*_krw` field now gets `district.admin_base.MoneyInput`
(class `vMoneyField`, sized in static/css/admin.css); the browser test measures it.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from district.admin_base import MoneyInput, is_money_field
from district.models import BudgetLine
from tests import factories as f
from tests.browser import log_in

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def money_fields():
    """(admin, field name) of every money field that an admin form or inline can edit."""
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [(inline.model, inline) for inline in model_admin.inlines]
        for owner, owner_admin in admins:
            for field in owner._meta.get_fields():
                if getattr(field, "concrete", False) and is_money_field(field):
                    yield owner_admin, owner, field


def test_every_money_field_of_the_admin_gets_the_money_input(world):
    request = RequestFactory().get("/admin/")
    request.user = world.official
    found = []
    for owner_admin, owner, field in money_fields():
        if isinstance(owner_admin, type):  # an inline class
            owner_admin = owner_admin(owner, admin.site)
        formfield = owner_admin.formfield_for_dbfield(field, request)
        assert isinstance(formfield.widget, MoneyInput), f"{owner.__name__}.{field.name}"
        found.append(f"{owner.__name__}.{field.name}")
    assert sorted(set(found)) == [
        "BudgetLine.planned_krw",
        "District.annual_budget_krw",
        "Expenditure.amount_krw",
        "JobRole.typical_monthly_salary_krw",
        "Opening.monthly_salary_krw",
    ]


def test_the_opening_form_renders_the_salary_as_a_money_input(world, official):
    opening = f.OpeningFactory(company=world.company_a, monthly_salary_krw=2_600_000)
    html = official.get(f"/admin/companies/opening/{opening.pk}/change/", **EN).content.decode()
    assert (
        '<input type="number" name="monthly_salary_krw" value="2600000" class="vMoneyField" '
        'inputmode="numeric" step="1" required id="id_monthly_salary_krw">'
    ) in html


@pytest.mark.browser
def test_the_whole_salary_is_visible_in_the_browser(page, live_server, transactional_db, world):
    opening = f.OpeningFactory(company=world.company_a, monthly_salary_krw=2_600_000)
    budget = BudgetLine.objects.create(
        district=world.district, year=2026, category="other", description="운영", planned_krw=350_000_000
    )
    log_in(page, live_server.url, "official")
    for url, field in (
        (f"/admin/companies/opening/{opening.pk}/change/", "#id_monthly_salary_krw"),
        (f"/admin/district/budgetline/{budget.pk}/change/", "#id_planned_krw"),
    ):
        page.goto(live_server.url + url)
        box = page.locator(field)
        # The input is at least as wide as what it holds: nothing scrolls out of sight.
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), url
        assert box.input_value() in ("2600000", "350000000")
