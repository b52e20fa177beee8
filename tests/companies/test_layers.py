"""Companies is a lower layer (issue 13): it imports only `district` and `privacy`, and reaches
the models of the apps above it (schools, placements) through relations, never by import."""

import ast
import pathlib

from django.conf import settings
from django.contrib import admin

import companies
from companies.admin import CompanyMembershipAdmin
from companies.services import openings
from district.admin import MembershipAdmin
from district.models import Membership
from placements.services.applications import seats_taken

ROOT = pathlib.Path(companies.__file__).parent
ABOVE = {"schools", "universities", "placements", "dashboard", "public", "demo", "config"}


def imported_apps(path: pathlib.Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_companies_imports_no_app_above_it():
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & ABOVE)
        for path in ROOT.rglob("*.py")
        if imported_apps(path) & ABOVE
    }
    assert offending == {}


def test_district_admin_imports_no_app():
    path = pathlib.Path(settings.BASE_DIR) / "district" / "admin.py"
    assert imported_apps(path) & (ABOVE | {"companies", "privacy"}) == set()


def test_the_join_request_actions_are_on_the_membership_admin():
    registered = admin.site._registry[Membership]
    assert type(registered) is CompanyMembershipAdmin
    assert issubclass(CompanyMembershipAdmin, MembershipAdmin)
    assert list(registered.get_actions(_official_request())) == [
        "delete_selected",
        "approve_join_requests",
        "decline_join_requests",
    ]


def _official_request():
    from django.test import RequestFactory

    from district.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_active=True, is_staff=True)
    return request


def test_placements_counts_the_seats_companies_asks_about():
    assert openings._seat_counters == [seats_taken]
