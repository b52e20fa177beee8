"""The cards of the /openings/ and /pathways/ pages, with their texts made once in Python.

A card's link, its phrases ("모집 인원 3명", "2026년 12월 31일까지 지원") and its formatted values cost
the template language a `{% url %}`, a `{% blocktranslate %}` and a filter each, for every card of
every page: a third of a page's rendering (issue 17). Here each is made with the same functions
the tags call (`reverse`, `ngettext` and `gettext` on the same msgids, the `date` and `krw`
filters) and escaped as the tags escape what they write, so the page's HTML is the same byte for
byte (tests/public/test_cards.py renders both ways and compares). The template keeps the markup.

The view passes `cards` beside `page`: `page` keeps the rows (its paginator, its numbers, what
tests and the pagination read), `cards` is what the list shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from companies.models import Opening
from district.templatetags.district_format import krw
from placements.selectors.pathways import job_role_names

# How much of a pathway's summary its card shows.
SUMMARY_CHARACTERS = 160


def _counted(translated: str, count: int) -> SafeString:
    """What `{% blocktranslate count counter=count %}` writes, given `ngettext(…, count)` of its msgids.

    The callers call `ngettext` on the literal msgids themselves, so that makemessages finds them.
    """
    return mark_safe(translated % {"counter": conditional_escape(localize(count))})


@dataclass(frozen=True)
class OpeningCard:
    """One opening as its card on /openings/ shows it."""

    pk: int
    url: str
    title: str
    company: str
    job_role: str
    salary: str
    shift: str
    seats: SafeString
    apply_by: SafeString
    certifications: list[str]


def _url_of_each_pk(name: str):
    """`reverse(name, args=[pk])` as a function of an integer pk, reversing the pattern only once.

    Twenty cards a page would otherwise walk the URL resolver twenty times for one pattern.
    """
    marker = 9_876_543_210
    before, after = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{int(pk)}{after}"


def opening_cards(openings) -> list[OpeningCard]:
    """The cards of a page of openings (`opening_list_public(cards=True)`: no query of its own)."""
    url = _url_of_each_pk("companies_public:opening_detail")
    # get_shift_pattern_display() builds the choices' dict for every call: once a page is enough.
    shifts = {value: str(label) for value, label in Opening.Shift.choices}
    return [
        OpeningCard(
            pk=opening.pk,
            url=url(opening.pk),
            title=opening.title,
            company=opening.company.name,
            job_role=opening.job_role.name,
            salary=krw(opening.monthly_salary_krw),
            shift=shifts.get(opening.shift_pattern, opening.shift_pattern),
            seats=_counted(ngettext("%(counter)s seat", "%(counter)s seats", opening.seats), opening.seats),
            apply_by=mark_safe(
                gettext("Apply by %(date)s") % {"date": conditional_escape(date_filter(opening.apply_by))}
            ),
            certifications=[certification.name for certification in opening.card_certifications],
        )
        for opening in openings
    ]


@dataclass(frozen=True)
class PathwayCard:
    """One pathway as its card on /pathways/ shows it."""

    url: str
    title: str
    school: str
    department: str
    segment: str
    summary: str
    job_roles: list[str]
    live_openings: SafeString


def pathway_cards(pathways) -> list[PathwayCard]:
    """The cards of a page of pathways (`pathway_list_public(cards=True)`), and one query: the job roles."""
    pathways = list(pathways)
    roles = job_role_names(pathway_ids=[pathway.pk for pathway in pathways])
    return [
        PathwayCard(
            url=reverse("pathways:detail", args=[pathway.slug]),
            title=pathway.title,
            school=pathway.department.school.name,
            department=pathway.department.name,
            segment=pathway.segment.name,
            summary=truncatechars(pathway.summary, SUMMARY_CHARACTERS) if pathway.summary else "",
            job_roles=roles[pathway.pk],
            live_openings=_counted(
                ngettext(
                    "%(counter)s open opening on this pathway",
                    "%(counter)s open openings on this pathway",
                    pathway.live_openings,
                ),
                pathway.live_openings,
            ),
        )
        for pathway in pathways
    ]
