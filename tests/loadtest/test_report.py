"""loadtest.report: Locust's CSV as a table, the thresholds, and the results day's offer views."""

import csv

from loadtest.report import load, main, offer_views, route_verdict, verdict

COLUMNS = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%"]


def write_stats(path, rows):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


ROWS = [
    ["GET", "/me/", "600", "0", "3.1", "45", "180", "320"],
    ["POST", "/accounts/login/ [POST]", "600", "0", "3.1", "400", "1200", "1900"],
    ["GET", "/openings/", "300", "0", "1.5", "60", "520", "700"],
    ["", "Aggregated", "1500", "0", "7.7", "70", "900", "1500"],
]


def test_routes_above_the_p95_are_named_except_the_exempt_ones(tmp_path):
    routes, _total = load(write_stats(tmp_path / "run_stats.csv", ROWS))
    assert route_verdict(routes, max_p95_ms=500, exempt=("POST /accounts/login/ [POST]",)) == [
        "GET /openings/ p95 520 ms is above 500 ms"
    ]
    assert route_verdict(routes, max_p95_ms=500) == [
        "GET /openings/ p95 520 ms is above 500 ms",
        "POST /accounts/login/ [POST] p95 1200 ms is above 500 ms",
    ]


def test_one_failure_breaks_a_zero_failure_target(tmp_path):
    rows = [*ROWS[:3], ["", "Aggregated", "1500", "1", "7.7", "70", "900", "1500"]]
    _routes, total = load(write_stats(tmp_path / "run_stats.csv", rows))
    assert verdict(total, max_fail_percent=0, max_p95_ms=float("inf")) == ["failure rate 0.07% is above 0%"]


def test_offer_views_count_from_the_publication():
    published = {"published_at": 1000.0, "offers": 600}
    views = {"students": 600, "signed_in": 600, "saw_offer": 600, "first_view": 1004.25, "last_view": 1191.5}
    assert offer_views(published, views) == (
        "600 of 600 offered students saw their offer; after the publication the first looked at 4.2 s, "
        "the last at 191.5 s (600 of 600 students signed in)",
        [],
    )


def test_an_offered_student_who_never_looked_is_a_miss():
    published = {"published_at": 1000.0, "offers": 600}
    views = {"students": 600, "signed_in": 598, "saw_offer": 598, "first_view": 1004.0, "last_view": 1190.0}
    assert offer_views(published, views)[1] == ["2 offered students never saw their offer"]
    nobody = {"students": 600, "signed_in": 0, "saw_offer": 0, "first_view": None, "last_view": None}
    assert offer_views(published, nobody) == (
        "0 of 600 offered students saw their offer",
        ["no student saw an offer (600 made)"],
    )


def test_the_command_prints_one_failing_line_and_exits_1(tmp_path, capsys):
    stats = write_stats(tmp_path / "run_stats.csv", ROWS)
    code = main(
        [str(stats), "--max-fail-percent", "0", "--per-route", "--exempt", "POST /accounts/login/ [POST]"]
    )
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[-1] == "FAIL: GET /openings/ p95 520 ms is above 500 ms"


def test_the_command_passes_a_run_within_its_targets(tmp_path, capsys):
    rows = [ROWS[0], ROWS[1], ["", "Aggregated", "1200", "0", "6.2", "70", "900", "1500"]]
    stats = write_stats(tmp_path / "run_stats.csv", rows)
    code = main(
        [str(stats), "--max-fail-percent", "0", "--per-route", "--exempt", "POST /accounts/login/ [POST]"]
    )
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "PASS: failures at most 0%, every route's p95 (except POST /accounts/login/ [POST]) at most 500 ms"
    )
