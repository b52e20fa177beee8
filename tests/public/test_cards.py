"""public.cards: /openings/ and /pathways/ write their cards as the template tags wrote them.

The cards' texts are made in Python now (links, counted phrases, formatted values). Each page
test renders the card list as the templates wrote it before (tags and filters on the rows: the
markup below is the templates' at 8028443) for the rows the page listed, in Korean and in English,
with a title and names that need escaping, and finds it byte for byte in the page.
"""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from companies.selectors.public import opening_list_public
from placements.selectors.pathways import pathway_list_public
from public.cards import opening_cards, pathway_cards
from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db

OPENING_CARDS_BEFORE = Template(
    """{% load i18n district_format %}
<ul class="card-list" data-testid="opening-list">
  {% for opening in page %}
  <li data-opening="{{ opening.pk }}">
    <h2><a href="{% url 'companies_public:opening_detail' opening.pk %}">{{ opening.title }}</a></h2>
    <ul class="meta">
      <li>{{ opening.company.name }}</li>
      <li>{{ opening.job_role.name }}</li>
      <li>{{ opening.monthly_salary_krw|krw }}</li>
      <li>{{ opening.get_shift_pattern_display }}</li>
      <li>{% blocktranslate count counter=opening.seats %}{{ counter }} seat{% plural %}{{ counter }} seats{% endblocktranslate %}</li>
      <li>{% blocktranslate with date=opening.apply_by|date %}Apply by {{ date }}{% endblocktranslate %}</li>
    </ul>
    {% with certifications=opening.required_certifications.all %}{% if certifications %}<ul class="chips" aria-label="{% translate 'Required certifications' %}">{% for certification in certifications %}<li>{{ certification.name }}</li>{% endfor %}</ul>{% endif %}{% endwith %}
  </li>
  {% endfor %}
</ul>"""  # noqa: E501
)
PATHWAY_CARDS_BEFORE = Template(
    """{% load i18n %}
<ul class="card-list two-columns" data-testid="pathway-list">
  {% for pathway in page %}
  <li>
    <h2><a href="{% url 'pathways:detail' pathway.slug %}">{{ pathway.title }}</a></h2>
    <ul class="meta">
      <li>{{ pathway.department.school.name }} · {{ pathway.department.name }}</li>
      <li>{{ pathway.segment.name }}</li>
    </ul>
    {% if pathway.summary %}<p>{{ pathway.summary|truncatechars:160 }}</p>{% endif %}
    {% with roles=pathway.job_roles.all %}{% if roles %}<ul class="chips" aria-label="{% translate 'Job roles' %}">{% for role in roles %}<li>{{ role.name }}</li>{% endfor %}</ul>{% endif %}{% endwith %}
    <p class="small">{% blocktranslate count counter=pathway.live_openings %}{{ counter }} open opening on this pathway{% plural %}{{ counter }} open openings on this pathway{% endblocktranslate %}</p>
  </li>
  {% endfor %}
</ul>"""  # noqa: E501
)


def cards_before(template: Template, rows, language: str) -> str:
    with translation.override(language):
        return template.render(Context({"page": rows})).removeprefix("\n")


@pytest.fixture
def openings(world):
    today = timezone.localdate()
    role = f.JobRoleFactory(name="설비 <보전> & 점검")
    one_seat = opening_of(
        world.company_a,
        title='양극재 "소성" <공정> & 품질',
        job_role=role,
        seats=1,
        monthly_salary_krw=3_150_000,
        apply_by=today + datetime.timedelta(days=3),
    )
    one_seat.required_certifications.set(
        [f.CertificationFactory(name="전기기능사"), f.CertificationFactory(name="위험물<산업>기사")]
    )
    many_seats = opening_of(world.company_b, seats=12, apply_by=today + datetime.timedelta(days=40))
    return [one_seat, many_seats]


@pytest.fixture
def pathways(world):
    role = f.JobRoleFactory(name="품질 <검사원>")
    with_roles = f.PathwayFactory(
        district=world.district,
        department=world.department_a,
        title="가 <경로>",
        slug="ga",
        summary="양극재 & 전구체 공정을 현장실습으로 익힙니다. " * 8,
    )
    with_roles.job_roles.set([role, f.JobRoleFactory(name="설비 보전원")])
    opening_of(world.company_a, job_role=role)
    f.PathwayFactory(district=world.district, department=world.department_b, title="나 경로", slug="na")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_openings_page_writes_its_cards_as_the_template_tags_did(anonymous, openings, language):
    response = anonymous.get("/openings/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    rows = list(response.context["page"])
    assert [row.pk for row in rows] == [opening.pk for opening in openings]
    assert cards_before(OPENING_CARDS_BEFORE, rows, language) in html
    assert "양극재 &quot;소성&quot; &lt;공정&gt; &amp; 품질" in html  # escaped once, not twice
    if language == "ko":
        assert ("<li>모집 인원 1명</li>" in html, "<li>모집 인원 12명</li>" in html) == (True, True)
    else:
        assert ("<li>1 seat</li>" in html, "<li>12 seats</li>" in html) == (True, True)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_pathways_page_writes_its_cards_as_the_template_tags_did(anonymous, pathways, language):
    response = anonymous.get("/pathways/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    rows = list(response.context["page"])
    assert [(row.slug, row.live_openings) for row in rows] == [("ga", 1), ("na", 0)]
    assert cards_before(PATHWAY_CARDS_BEFORE, rows, language) in html
    cards = response.context["cards"]
    assert (len(cards[0].summary), cards[1].summary) == (160, "")
    if language == "en":
        assert ("1 open opening on this pathway" in html, "0 open openings on this pathway" in html) == (
            True,
            True,
        )


def test_the_cards_read_only_what_their_selectors_did_not(world, openings, pathways):
    """The list selectors' `cards=True` load every column a card reads; the pathways' roles are one query."""
    opening_rows = list(opening_list_public(district=world.district, cards=True))
    pathway_rows = list(pathway_list_public(district=world.district, cards=True))
    with CaptureQueriesContext(connection) as queries:
        opening_cards(opening_rows)
    assert queries.captured_queries == []
    with CaptureQueriesContext(connection) as queries:
        cards = pathway_cards(pathway_rows)
    assert len(queries.captured_queries) == 1
    assert [card.job_roles for card in cards] == [["설비 보전원", "품질 <검사원>"], []]
