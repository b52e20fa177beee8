"""The public list pages render a fixed number of templates, whatever their filters offer (issue 17).

Before issue 17 every `<option>` of a filter form was a template include of its own (137 of the
141 on /openings/). The filter forms are now written in Python (district.form_rendering), so a
page renders its own templates only: a return to one include per option fails here.
`response.templates` lists every template the test client saw rendered, includes too.
"""

import re

import pytest

from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db

# What every public page renders around its content: the header's navigation and language
# switch, once each (base.html shows each in the wide and the narrow header).
FRAME = ["includes/nav.html", "includes/language_switch.html"]


@pytest.fixture
def listed(world):
    """Openings with certifications, companies, a pathway and a programme: every list has rows,
    and every dropdown has choices."""
    certifications = [f.CertificationFactory(name=f"자격 {n}") for n in range(12)]
    for n in range(25):
        opening = opening_of(world.company_a if n % 2 else world.company_b, title=f"공고 {n}")
        opening.required_certifications.set(certifications[n % 3 : n % 3 + 2])
    f.PathwayFactory(district=world.district, department=world.department_a, segment=world.company_a.segment)
    f.CreditProgramFactory(university=world.university)
    return world


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def test_openings_render_their_own_templates_and_no_widget_template(anonymous, listed):
    response = anonymous.get("/openings/")
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 62  # 62 choices, no include for any of them
    assert _templates(response) == [
        "public/opening_list.html",
        "base.html",
        *FRAME,
        "public/includes/filters.html",
        "public/includes/pagination.html",
    ]


@pytest.mark.parametrize("url", ["/pathways/", "/companies/", "/programs/"], ids=lambda u: u.strip("/"))
def test_other_list_pages_render_no_widget_template(anonymous, listed, url):
    response = anonymous.get(url)
    assert response.status_code == 200
    assert [name for name in _templates(response) if name.startswith("django/forms/")] == []
    assert "public/includes/filters.html" in _templates(response)


def test_a_filtered_page_renders_no_widget_template_either(anonymous, listed):
    response = anonymous.get("/openings/", {"segment": listed.company_a.segment.code, "min_salary": "x"})
    assert response.status_code == 400  # min_salary refused, shown on the field
    assert 'aria-invalid="true"' in response.content.decode()
    assert [name for name in _templates(response) if name.startswith("django/")] == []


def _header_copies(html: str) -> tuple[list[str], list[str]]:
    """The phone menu's and the wide row's navigation and language switch (templates/base.html)."""
    navs = re.findall(r'<nav aria-label="[^"]*" class="main-nav[^"]*">(.*?)</nav>', html, re.S)
    switches = re.findall(r'(<div class="language-switch">.*?</div>)', html, re.S)
    return navs, switches


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "student"])
def test_the_header_renders_its_links_once_and_shows_them_twice(client, listed, signed_in):
    """render_once: both headers carry the same navigation and language switch, for anyone."""
    if signed_in:
        client.force_login(listed.student_user)
    response = client.get("/openings/")
    navs, switches = _header_copies(response.content.decode())
    assert len(navs) == 2 and navs[0] == navs[1]
    assert len(switches) == 2 and switches[0] == switches[1]
    assert ("Log out" in navs[0] or "로그아웃" in navs[0]) is signed_in
    assert '<a href="/openings/">' in navs[0]
    assert _templates(response).count("includes/nav.html") == 1
