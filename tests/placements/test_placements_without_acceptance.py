"""`manage.py placements_without_acceptance`: the placements that a forced hire made, for officials."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from placements.models import Application, ApplicationEvent, Placement
from tests import factories as f

S = Application.Status


def _placement(world, student, opening, events, **placement):
    application = f.ApplicationFactory(student=student, opening=opening, status=S.HIRED)
    at = timezone.make_aware(datetime.datetime(2026, 1, 5, 10, 30))
    for from_status, to_status, by in events:
        event = ApplicationEvent.objects.create(
            application=application, from_status=from_status, to_status=to_status, by=by
        )
        ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
    return f.PlacementFactory(
        student=student, company=opening.company, opening=opening, application=application, **placement
    )


def _run(*args) -> list[str]:
    out = StringIO()
    call_command("placements_without_acceptance", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def placements(world):
    opening = f.OpeningFactory(company=world.company_a, title="배터리 공정")
    forced = _placement(
        world,
        world.student,
        opening,
        [("", S.SUBMITTED, None), (S.SUBMITTED, S.HIRED, world.recruiter_a)],
    )
    accepted_student = f.StudentFactory(department=world.department_a, student_number="202600077")
    _placement(
        world,
        accepted_student,
        opening,
        [(S.OFFERED, S.ACCEPTED, None), (S.ACCEPTED, S.HIRED, world.recruiter_a)],
    )
    ended_student = f.StudentFactory(department=world.department_a)
    _placement(
        world,
        ended_student,
        opening,
        [(S.SUBMITTED, S.HIRED, world.recruiter_a)],
        status=Placement.Status.ENDED,
        ends_on=datetime.date(2026, 4, 1),
    )
    unlinked_student = f.StudentFactory(department=world.department_b, student_number="202600099")
    unlinked = f.PlacementFactory(student=unlinked_student, company=world.company_b)
    return forced, unlinked


def test_lists_the_active_placements_hired_without_acceptance(world, placements):
    forced, _unlinked = placements
    school = world.school_a.name
    slug = world.district.slug
    number = world.student.student_number
    company = world.company_a.name
    rows = [
        ("placement", "district", "school", "student no.", "company", "opening", "starts", "hired", "by"),
        (
            str(forced.pk),
            slug,
            school,
            number,
            company,
            "배터리 공정",
            "2026-03-02",
            "2026-01-05 10:30",
            "recruiter_a",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(9)]
    table = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    assert _run() == [
        "Placements without the student's acceptance: 1",
        *table,
        "Review each with the student's school; end those the student did not agree to in the "
        "administration (Placements: status Ended, end date and reason).",
    ]
    assert _run("--district", slug)[0] == "Placements without the student's acceptance: 1"


def test_include_unlinked_adds_placements_with_no_application(world, placements):
    forced, unlinked = placements
    lines = _run("--include-unlinked")
    assert lines[0] == "Placements without the student's acceptance: 2"
    ids = [line.split()[0] for line in lines[2:4]]
    assert sorted(ids) == sorted([str(forced.pk), str(unlinked.pk)])
    unlinked_line = next(line for line in lines if line.startswith(str(unlinked.pk)))
    assert "202600099" in unlinked_line and "no application" in unlinked_line


def test_another_district_lists_none(world, placements):
    other = f.DistrictFactory(name="경주", slug="gyeongju")
    assert _run("--district", other.slug) == ["Placements without the student's acceptance: 0"]
    with pytest.raises(CommandError):
        _run("--district", "nowhere")
