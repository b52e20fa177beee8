"""`bench_dashboard --national` at a tiny size: it seeds, measures and prints (full size: by hand)."""

import re
from io import StringIO

from django.core.management import call_command

from district.models import District, Membership
from schools.models import Student


def test_the_national_benchmark_seeds_once_and_measures_both_endpoints(db, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    args = ["bench_dashboard", "--national", "--districts", "2", "--students-per-district", "30"]
    args += ["--runs", "3", "--max-ms", "60000"]
    out = StringIO()
    call_command(*args, stdout=out)
    text = out.getvalue()
    assert list(District.objects.filter(slug__startswith="bench-").values_list("slug", "name")) == [
        ("bench-01", "벤치 지구 01"),
        ("bench-02", "벤치 지구 02"),
    ]
    assert Student.objects.filter(school__district__slug="bench-02").count() == 30
    assert Membership.objects.get(user__username="bench_dashboard_national").role == "national_official"
    assert "bench-01: seeded (30 students)" in text
    # Under pytest the statements are not captured (the bare-SQL column reads 0), so only the rows and
    # the time target are checked here; the figures are the full-size run's (see the command's docstring).
    assert re.search(r"^districts \(comparison\) +\d+ +[\d.]+ .* ok", text, re.M)
    assert re.search(r"^summary \(bench-01\) +\d+ +[\d.]+ .* ok", text, re.M)
    assert "The national view met its targets." in text
    # A second run keeps the complete districts (resumable, idempotent).
    again = StringIO()
    call_command(*args, stdout=again)
    assert "bench-01: kept (30 students)" in again.getvalue()
    assert District.objects.filter(slug__startswith="bench-").count() == 2
