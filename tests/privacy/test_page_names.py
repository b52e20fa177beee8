"""The personal-data access log names its pages in words (privacy.pages.PAGE_NAMES).

The route names stay in the rows (`what`); the admin shows each page's name. This test finds
every `what=` the code can write to the log and fails when one has no name:

- string constants passed to `record_access`, `log_access` or `log_lookup` anywhere in the apps;
- names built from a pattern (the admin's `admin:<access_what>_changelist|_change`, the API's
  `api:<access_log_name>-list|-detail`), expanded from every admin and viewset that uses them.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.conf import settings
from django.contrib import admin

from placements.admin.base import StudentDataAccessLogMixin
from privacy.api.views import AccessLoggedViewSet
from privacy.models import PersonalDataAccess
from privacy.pages import PAGE_NAMES, page_name

APPS = [
    "config",
    "dashboard",
    "public",
    "demo",
    "placements",
    "universities",
    "schools",
    "companies",
    "privacy",
    "district",
]
LOGGERS = {"record_access", "log_access", "log_lookup"}
# The two places that build `what` from a pattern; the test expands them below.
PATTERN_MODULES = {"placements/admin/base.py", "privacy/api/views.py"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def logged_constants() -> tuple[set[str], set[str]]:
    """Every constant `what=` of a logging call, and the modules that build one from a pattern."""
    base = Path(settings.BASE_DIR)
    constants, patterns = set(), set()
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and _called_name(node) in LOGGERS):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "what":
                        continue
                    if isinstance(keyword.value, ast.Constant):
                        constants.add(keyword.value.value)
                    elif isinstance(keyword.value, ast.Name) and keyword.value.id == "what":
                        continue  # one logging function passing its own argument on
                    else:
                        patterns.add(str(path.relative_to(base)))
    return constants, patterns


def pattern_names() -> set[str]:
    importlib.import_module(settings.ROOT_URLCONF)  # imports every viewset
    names = set()
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, StudentDataAccessLogMixin):
            names |= {
                f"admin:{model_admin.access_what}_changelist",
                f"admin:{model_admin.access_what}_change",
            }

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for viewset in subclasses(AccessLoggedViewSet):
        if viewset.access_log_name:
            names |= {f"api:{viewset.access_log_name}-list", f"api:{viewset.access_log_name}-detail"}
    return names


def test_every_page_that_can_be_logged_has_a_name():
    constants, patterns = logged_constants()
    assert patterns == PATTERN_MODULES  # a new pattern needs expanding here
    logged = constants | pattern_names()
    assert sorted(logged - PAGE_NAMES.keys()) == []


def test_no_name_is_left_over_for_a_page_that_no_longer_logs():
    constants, _patterns = logged_constants()
    assert sorted(PAGE_NAMES.keys() - constants - pattern_names()) == []


def test_names_are_words_in_english_and_korean():
    from django.utils import translation

    with translation.override("en"):
        assert page_name("universities:program_detail") == "University: a programme's enrolments"
        assert page_name("admin:student_change") == "Administration: a student's record"
        assert page_name("api:students-list") == "API: student list"
    # An old row whose page has no name any more is shown as it was written.
    assert page_name("schools:gone_page") == "schools:gone_page"


def test_the_access_log_admin_shows_the_page_name(world, official):
    student = world.student
    PersonalDataAccess.objects.create(
        user=world.coordinator, student=student, what="universities:program_detail"
    )
    response = official.get("/admin/privacy/personaldataaccess/", **EN)
    html = response.content.decode()
    assert '<td class="field-page">University: a programme&#x27;s enrolments</td>' in html
    assert "universities:program_detail</td>" not in html
    # The filter lists pages by name; its value is still the route name.
    assert "?what=universities%3Aprogram_detail" in html
    filtered = official.get("/admin/privacy/personaldataaccess/?what=universities:program_detail")
    assert filtered.context["cl"].result_count == 1


def test_the_access_log_page_of_a_row_names_the_page(world, official):
    row = PersonalDataAccess.objects.create(
        user=world.coordinator, student=world.student, what="schools:student_detail"
    )
    html = official.get(f"/admin/privacy/personaldataaccess/{row.pk}/change/", **EN).content.decode()
    assert "School: a student&#x27;s record" in html


def test_a_recruiter_cannot_read_the_access_log(world, recruiter_a):
    response = recruiter_a.get("/admin/privacy/personaldataaccess/")
    assert response.status_code == 302
