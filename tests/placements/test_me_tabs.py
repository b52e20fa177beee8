"""Every /me/ page a student reaches shows the student's tab bar, with the current tab marked (but the
profile's A4 print layout, a document for paper: tests/schools/test_profile_pages.py).

The field practice (schools) and credits (universities) pages extend templates/placements/me_base.html
like the rest; a page without a tab of its own marks the tab of its section.
"""

from __future__ import annotations

import re

import pytest

from tests import factories as f

TABS = ["/me/", "/me/profile/", "/me/preferences/", "/me/applications/", "/me/practice/", "/me/credits/"]


def tab_bar(html: str) -> tuple[list[str], list[str]]:
    """The tab bar's links, and the ones marked aria-current="page"."""
    nav = re.search(r'<nav class="subnav me-tabs"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no tab bar"
    links = re.findall(r'<a href="([^"]+)"([^>]*)>', nav.group(1))
    return [href for href, _ in links], [href for href, rest in links if 'aria-current="page"' in rest]


@pytest.mark.parametrize(
    ("page", "current"),
    [
        ("/me/", "/me/"),
        ("/me/profile/", "/me/profile/"),
        ("/me/profile/basics/", "/me/profile/"),
        ("/me/notifications/", "/me/"),
        ("/me/preferences/", "/me/preferences/"),
        ("/me/applications/", "/me/applications/"),
        ("/me/applications/{application}/withdraw/", "/me/applications/"),
        ("/me/practice/", "/me/practice/"),
        ("/me/credits/", "/me/credits/"),
    ],
)
def test_every_me_page_has_the_tab_bar_with_its_tab_marked(student_user, world, page, current):
    application = f.ApplicationFactory(
        student=world.student, opening=f.OpeningFactory(company=world.company_a)
    )
    f.FieldPracticeFactory(student=world.student, company=world.company_a)
    f.ProgramEnrollmentFactory(
        student=world.student, program=f.CreditProgramFactory(university=world.university)
    )

    response = student_user.get(page.format(application=application.pk))

    assert response.status_code == 200
    assert tab_bar(response.content.decode()) == (TABS, [current])
