"""Filter forms speak plainly: every dropdown starts with "전체", and each sort says which end comes first.

One rule for every filter form (district.filters: `DistrictFilterSet`, `FilterForm`,
`StableOrderingFilter(labels=...)`), checked on the pages people use and on every FilterSet.
"""

import datetime
import importlib
import re

import pytest
from django.utils import timezone, translation

from district.filters import DistrictFilterSet
from tests import factories as f
from tests.builders import opening_of

pytestmark = pytest.mark.django_db

# Every app's filters, imported so that the walk over DistrictFilterSet's subclasses finds them all.
FILTER_MODULES = [
    importlib.import_module(f"{app}.filters")
    for app in ("district", "companies", "placements", "schools", "universities", "public")
]


def options(html: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) pairs of the <select name=`name`> in `html`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name!r}>"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def selects(html: str) -> list[str]:
    return re.findall(r'<select name="(\w+)"', html)


def test_openings_sort_options_are_named_for_what_comes_first(anonymous, world):
    html = anonymous.get("/openings/").content.decode()
    assert options(html, "ordering") == [
        ("", "기본 순서"),
        ("-published", "최신 등록순"),
        ("deadline", "마감일 가까운 순"),
        ("-deadline", "마감일 먼 순"),
        ("-salary", "급여 높은 순"),
        ("salary", "급여 낮은 순"),
        ("start", "근무 시작일 빠른 순"),
        ("-start", "근무 시작일 늦은 순"),
        ("published", "오래된 등록순"),
    ]


@pytest.mark.parametrize(
    "url", ["/openings/", "/companies/", "/programs/", "/pathways/"], ids=lambda u: u.strip("/")
)
def test_public_dropdowns_start_with_all(anonymous, world, url):
    html = anonymous.get(url).content.decode()
    names = selects(html)
    assert names  # each of these pages has dropdowns
    for name in names:
        expected = {("", "기본 순서")} if name == "ordering" else {("", "전체"), ("unknown", "전체")}
        assert options(html, name)[0] in expected, name


def test_yes_no_filter_offers_all_yes_no(anonymous, world):
    html = anonymous.get("/programs/").content.decode()
    assert options(html, "is_active") == [("unknown", "전체"), ("true", "예"), ("false", "아니오")]


def test_school_student_list_dropdowns_start_with_all(school_a_staff, world):
    html = school_a_staff.get("/school/students/").content.decode()
    assert options(html, "department")[0] == ("", "전체")
    assert options(html, "status")[0] == ("", "전체")


def test_newest_first_lists_the_latest_published_opening_first(anonymous, world):
    now = timezone.now()
    old = opening_of(world.company_a, title="먼저 올린 공고", published_at=now - datetime.timedelta(days=9))
    new = opening_of(world.company_a, title="나중에 올린 공고", published_at=now - datetime.timedelta(days=1))
    newest = anonymous.get("/openings/", {"ordering": "-published"}).context["page"]
    assert [o.pk for o in newest] == [new.pk, old.pk]
    oldest = anonymous.get("/openings/", {"ordering": "published"}).context["page"]
    assert [o.pk for o in oldest] == [old.pk, new.pk]


def test_deadline_soonest_first(anonymous, world):
    today = timezone.localdate()
    later = opening_of(world.company_a, title="늦은 마감", apply_by=today + datetime.timedelta(days=20))
    sooner = opening_of(world.company_a, title="이른 마감", apply_by=today + datetime.timedelta(days=3))
    soonest = anonymous.get("/openings/", {"ordering": "deadline"}).context["page"]
    assert [o.pk for o in soonest] == [sooner.pk, later.pk]


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_filterset_starts_its_dropdowns_with_all_and_never_says_descending(world):
    """Every FilterSet of the project, in Korean: no "---------", no "(descending)"."""
    f.SegmentFactory(code="cathode")
    checked = []
    with translation.override("ko"):
        for filterset_class in set(_all_subclasses(DistrictFilterSet)):
            # The project's own FilterSets (DRF's backend and tests make subclasses of their own).
            if not filterset_class.__module__.endswith(".filters") or filterset_class._meta.model is None:
                continue
            kwargs = {"district": world.district} if "Public" in filterset_class.__name__ else {}
            form = filterset_class({}, queryset=filterset_class._meta.model.objects.none(), **kwargs).form
            for name, field in form.fields.items():
                choices = [str(label) for _value, label in getattr(field.widget, "choices", [])]
                if not choices or field.widget.allow_multiple_selected:
                    continue
                assert choices[0] != "---------", (filterset_class.__name__, name)
                said = (filterset_class.__name__, name)
                assert not any("descending" in c or "내림차순" in c for c in choices), said
                checked.append(said)
    assert len(checked) == 74, checked  # every single-choice dropdown of every FilterSet
