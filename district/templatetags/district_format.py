"""Template filters that write the district's shared values, for any page or email."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def krw(amount) -> str:
    """A whole amount of won, written the way the reader's language writes it (2,900,000원, KRW 2,900,000)."""
    if amount in (None, ""):
        return ""
    return _("KRW %(amount)s") % {"amount": intcomma(int(amount))}


@register.filter
def josa(word, pair: str) -> str:
    """`{{ name|josa:"이/가" }}`: the word and the particle it takes (see district.korean)."""
    from district.korean import josa as with_particle

    return with_particle(str(word), pair)


@register.filter(is_safe=True)
def fix_particles(text) -> str:
    """`{{ notification.text|fix_particles }}` or `{% filter fix_particles %}…{% endfilter %}`:
    "“%(title)s”을(를)" with the word in place becomes "“양극재 공정”을" (district.korean)."""
    from district.korean import fix_particles as fixed

    return fixed(str(text))


@register.filter
def cohort(school_year, length: str = "") -> str:
    """`{{ student.cohort|cohort }}`: "2026학년도 (2027년 2월 졸업)" (see district.cohorts);
    `{{ student.cohort|cohort:"short" }}`: "2026학년도", where space is short."""
    from district.cohorts import Cohort, cohort_label

    if school_year in (None, ""):
        return ""
    if length == "short":
        return Cohort(int(school_year)).short_label
    return cohort_label(int(school_year))


@register.filter
def isodate(value):
    """`{{ item.acquired_on|isodate|date }}`: an ISO date string from a stored document, as a date."""
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
