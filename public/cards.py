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

from district.templatetags.district_format import krw

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


def opening_cards(openings) -> list[OpeningCard]:
    """The cards of a page of openings (`opening_list_public(cards=True)`: no query of its own)."""
    return [
        OpeningCard(
            pk=opening.pk,
            url=reverse("companies_public:opening_detail", args=[opening.pk]),
            title=opening.title,
            company=opening.company.name,
            job_role=opening.job_role.name,
            salary=krw(opening.monthly_salary_krw),
            shift=opening.get_shift_pattern_display(),
            seats=_counted(ngettext("%(counter)s seat", "%(counter)s seats", opening.seats), opening.seats),
            apply_by=mark_safe(
                gettext("Apply by %(date)s") % {"date": conditional_escape(date_filter(opening.apply_by))}
            ),
            certifications=[certification.name for certification in opening.required_certifications.all()],
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
    """The cards of a page of pathways (`pathway_list_public(cards=True)`: no query of its own)."""
    return [
        PathwayCard(
            url=reverse("pathways:detail", args=[pathway.slug]),
            title=pathway.title,
            school=pathway.department.school.name,
            department=pathway.department.name,
            segment=pathway.segment.name,
            summary=truncatechars(pathway.summary, SUMMARY_CHARACTERS) if pathway.summary else "",
            job_roles=[role.name for role in pathway.job_roles.all()],
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
