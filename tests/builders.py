"""Builders and helpers shared by more than one test module (import them from here, not from a test module).

- `build_world`: the Pohang world behind the personas (the `world` fixture of tests/conftest.py);
- the Pohang world's extras for public and student pages: `opening_of`, `expired_opening_of`,
  `open_round`, `closed_round`, `other_district`, `other_student`;
- the small matching market of the run tests: `build_market` (see tests/placements/test_runs.py for
  what each student stands for) and `executed_run`;
- `random_market`: a random market of the pure matching engine (placements.matching);
- `build_cohort`: a cohort of graduates in bulk, for the dashboard tests;
- the saved-search helpers `save`, `published` and `back_date`;
- `NASTY`: cell values a spreadsheet would run as formulas, for the export tests;
- `run_setup` and `assert_refused`: `django.setup()` in a fresh process with a chosen environment;
- `built_once`: rows built once for a class's (or module's) tests, rolled back after the last.
"""

from __future__ import annotations

import atexit
import datetime
import itertools
import json
import os
import random
import re
import select
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from companies.models import Opening
from district.models import CommuteTime, Membership
from placements.matching.scoring import OpeningProfile, ScoringContext, StudentProfile
from placements.models import Application, MatchRound, MatchRun, Placement, SavedSearch
from placements.services import saved_searches as saved_search_services
from placements.services.run_execution import match_run_execute
from placements.services.runs import match_run_start
from schools.models import CourseUnit, Student, StudentCertification
from tests import factories as f
from universities.models import CreditRecord, ProgramEnrollment

D = datetime.date

# --- The personas' world ----------------------------------------------------------------------------


@dataclass
class World:
    district: object
    school_a: object
    school_b: object
    department_a: object
    department_b: object
    company_a: object
    company_b: object
    university: object
    official: object
    school_a_staff: object
    school_b_staff: object
    recruiter_a: object
    recruiter_b: object
    coordinator: object
    student: object
    student_user: object


def _member(username, role, district, *, is_staff=False, **org):
    user = f.UserFactory(username=username, is_staff=is_staff)
    f.MembershipFactory(user=user, district=district, role=role, **org)
    return user


def build_world(district=None, prefix: str = "") -> World:
    """The Pohang world of the personas (tests/conftest.py's `world` fixture).

    With `district` and a username `prefix`, the same world in another district (issue 16: the
    access matrix's second district, whose personas are named "ansan_official" and so on).
    """
    district = district or f.DistrictFactory()
    school_a = f.SchoolFactory(district=district, name="포항흥해공업고")
    school_b = f.SchoolFactory(district=district, name="포항제철공고", kind="meister")
    department_a = f.DepartmentFactory(school=school_a, name="이차전지 시스템제어과")
    department_b = f.DepartmentFactory(school=school_b, name="제철자동화설비과")
    segment = f.SegmentFactory(district=district)  # the district's own vocabulary (issue 16)
    company_a = f.CompanyFactory(district=district, name="에코프로비엠", segment=segment)
    company_b = f.CompanyFactory(district=district, name="포스코퓨처엠", segment=segment)
    university = f.UniversityFactory(district=district, name="포항대학교")
    R = Membership.Role
    student_user = _member(f"{prefix}student", R.STUDENT, district, school=school_a)
    student = f.StudentFactory(department=department_a, user=student_user, name="김하늘")
    return World(
        district=district,
        school_a=school_a,
        school_b=school_b,
        department_a=department_a,
        department_b=department_b,
        company_a=company_a,
        company_b=company_b,
        university=university,
        official=_member(f"{prefix}official", R.OFFICIAL, district, is_staff=True),
        school_a_staff=_member(f"{prefix}staff_a", R.SCHOOL_STAFF, district, school=school_a),
        school_b_staff=_member(f"{prefix}staff_b", R.SCHOOL_STAFF, district, school=school_b),
        recruiter_a=_member(f"{prefix}recruiter_a", R.COMPANY_RECRUITER, district, company=company_a),
        recruiter_b=_member(f"{prefix}recruiter_b", R.COMPANY_RECRUITER, district, company=company_b),
        coordinator=_member(
            f"{prefix}coordinator", R.UNIVERSITY_COORDINATOR, district, university=university
        ),
        student=student,
        student_user=student_user,
    )


# --- Public and student pages -----------------------------------------------------------------------


def opening_of(company, **fields):
    """A public opening (published, deadline ahead) of `company`."""
    return f.OpeningFactory(company=company, **fields)


def expired_opening_of(company, **fields):
    today = timezone.localdate()
    return f.OpeningFactory(
        company=company,
        apply_by=today - datetime.timedelta(days=1),
        starts_on=today + datetime.timedelta(days=30),
        **fields,
    )


def open_round(district, *, cohort: int = 2026, days: int = 14):
    """The cohort's matching round, taking rankings for `days` more days."""
    return f.MatchRoundFactory(
        district=district,
        cohort=cohort,
        preferences_close_at=timezone.now() + datetime.timedelta(days=days),
    )


def closed_round(district, *, cohort: int = 2026):
    return f.MatchRoundFactory(
        district=district, cohort=cohort, preferences_close_at=timezone.now() - datetime.timedelta(hours=1)
    )


def other_district():
    return f.DistrictFactory(name="경주", slug="gyeongju")


def other_student(world, **fields):
    """A second student with an account, at school B of the same district."""

    user = f.UserFactory(username=fields.pop("username", "other_student"))
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_b
    )
    return f.StudentFactory(department=world.department_b, user=user, **fields)


# --- The run tests' market -------------------------------------------------------------------


@dataclass
class Market:
    round: MatchRound
    cathode: Opening
    recycling: Opening
    closed: Opening
    haneul: object
    minjun: object
    seoyeon: object
    jiwoo: object
    doyun: object


def build_market(world, *, close_at=None) -> Market:
    district = world.district
    match_round = f.MatchRoundFactory(
        district=district,
        cohort=2026,
        preferences_close_at=close_at or timezone.now() - datetime.timedelta(hours=1),
        offer_response_days=5,
    )
    home = f.AreaFactory(district=district, code="heunghae", name="흥해읍")
    complex_ = f.AreaFactory(district=district, code="blue-valley", name="블루밸리 국가산단")
    CommuteTime.objects.create(origin=home, destination=complex_, minutes=15)
    electric = f.CertificationFactory(name="전기기능사")
    cathode = f.OpeningFactory(company=world.company_a, title="양극재 공정", seats=1, work_area=complex_)
    cathode.required_certifications.add(electric)
    cathode.preferred_departments.add(world.department_a)
    recycling = f.OpeningFactory(company=world.company_b, title="재활용 설비", seats=2)
    closed = f.OpeningFactory(company=world.company_b, title="마감된 공고", status=Opening.Status.CLOSED)

    haneul = world.student
    haneul.commute_area = home
    haneul.save()
    minjun = f.StudentFactory(department=world.department_a, name="이민준")
    seoyeon = f.StudentFactory(department=world.department_b, name="박서연")
    jiwoo = f.StudentFactory(department=world.department_b, name="최지우")
    doyun = f.StudentFactory(department=world.department_b, name="정도윤")
    for student in (haneul, minjun):
        f.StudentCertificationFactory(student=student, certification=electric)
    # The school has checked 김하늘's certificate, not 이민준's yet.
    StudentCertification.objects.filter(student=haneul, certification=electric).update(
        number="24-1-000123", verified_at=timezone.now()
    )
    # 양극재 공정's job role has two NCS units that department A teaches in grades 1 and 2, which
    # the 2026 cohort has finished (welding, also taught, is not the role's).
    electrode = f.NcsUnitFactory(name="이차전지 전극 공정 관리")
    coating = f.NcsUnitFactory(name="전극 코팅")
    welding = f.NcsUnitFactory(name="피복 아크 용접")
    cathode.job_role.ncs_units.add(electrode, coating)
    for unit, grade in ((electrode, 1), (coating, 2), (welding, 2)):
        CourseUnit.objects.create(
            department=world.department_a, ncs_unit=unit, title=unit.name, hours=34, grade_year=grade
        )
    rankings = {
        haneul: [cathode, recycling],
        minjun: [cathode, recycling],
        seoyeon: [cathode, closed],
        doyun: [recycling],
    }
    for student, openings in rankings.items():
        for rank, opening in enumerate(openings, 1):
            f.PreferenceFactory(student=student, opening=opening, rank=rank)
    # Not part of the 2026 round: another cohort, and a student who left school.
    f.PreferenceFactory(student=f.StudentFactory(department=world.department_a, cohort=2027), opening=cathode)
    f.PreferenceFactory(
        student=f.StudentFactory(department=world.department_a, status="left"), opening=cathode
    )
    return Market(match_round, cathode, recycling, closed, haneul, minjun, seoyeon, jiwoo, doyun)


def executed_run(world, **kwargs) -> MatchRun:
    run = match_run_start(district=world.district, cohort=2026, by=world.official, enqueue=False, **kwargs)
    return match_run_execute(run_id=run.pk)


# --- The matching engine ----------------------------------------------------------------------------


def random_market(rng: random.Random, n_students=40, n_openings=12):
    certs, segments, areas, schools, depts, companies = (
        [1, 2, 3],
        [10, 11, 12],
        [100, 101, 102],
        [1, 2],
        [5, 6, 7],
        [70, 71, 72],
    )
    units = list(range(200, 210))  # NCS unit ids
    context = ScoringContext(
        commute_minutes={(a, b): rng.randint(0, 80) for a in areas for b in areas if rng.random() < 0.8},
        agreement_priority={
            (c, s): rng.randint(0, 10) for c in companies for s in [None, *schools] if rng.random() < 0.4
        },
    )
    openings = {
        o: OpeningProfile(
            id=o,
            company_id=rng.choice(companies),
            segment_id=rng.choice([None, *segments]),
            area_id=rng.choice([None, *areas]),
            required_certifications=frozenset(rng.sample(certs, rng.choice([0, 0, 1, 2]))),
            preferred_departments=frozenset(rng.sample(depts, rng.choice([0, 1, 2]))),
            role_ncs_units=frozenset(rng.sample(units, rng.choice([0, 2, 3, 6]))),
        )
        for o in range(n_openings)
    }
    students = {
        s: StudentProfile(
            id=s,
            school_id=rng.choice(schools),
            department_id=rng.choice(depts),
            department_segment_id=rng.choice([None, *segments]),
            interest_segment_id=rng.choice([None, *segments]),
            area_id=rng.choice([None, *areas]),
            certifications=frozenset(rng.sample(certs, rng.randint(0, 3))),
            practice_companies=frozenset(rng.sample(companies, rng.choice([0, 0, 1]))),
            ncs_units=frozenset(rng.sample(units, rng.randint(0, 8))),
        )
        for s in range(1000, 1000 + n_students)
    }
    # The school has checked some of the certifications each student holds.
    students = {
        s: replace(p, verified_certifications=frozenset(c for c in p.certifications if rng.random() < 0.6))
        for s, p in students.items()
    }
    ranked = {s: rng.sample(list(openings), rng.randint(0, 6)) for s in students}
    return students, openings, ranked, context


# --- The dashboard ----------------------------------------------------------------------------------


_numbers = itertools.count(1)


def build_cohort(world, n: int, cohort: int = 2025) -> None:
    """`n` graduates of `cohort` over schools A and B with jobs, applications, certificates and
    credits (bulk inserts), dated in the year of their graduation and survey (cohort + 1)."""
    year = cohort + 1
    number = next(_numbers)
    students = Student.objects.bulk_create(
        Student(
            school=(world.school_a if i % 2 else world.school_b),
            department=(world.department_a if i % 2 else world.department_b),
            student_number=f"B{number}-{i:05d}",
            name=f"학생{i}",
            cohort=cohort,
            status=Student.Status.GRADUATED,
        )
        for i in range(n)
    )
    cert = f.CertificationFactory()
    opening = f.OpeningFactory(
        company=world.company_a, seats=200, status="closed", apply_by=D(year, 1, 10), starts_on=D(year, 3, 2)
    )
    opening.required_certifications.add(cert)
    Placement.objects.bulk_create(
        Placement(
            student=s,
            company=world.company_a if i % 3 else world.company_b,
            opening=opening if i < 200 else None,
            starts_on=D(year, 3, 2),
            ends_on=D(year, 9, 1) if i % 4 == 0 else None,
            status="ended" if i % 4 == 0 else "active",
            is_local=bool(i % 5),
        )
        for i, s in enumerate(students)
        if i % 4 != 3
    )
    Application.objects.bulk_create(
        Application(student=s, opening=opening, status=["submitted", "hired", "rejected"][i % 3])
        for i, s in enumerate(students)
    )
    StudentCertification.objects.bulk_create(
        StudentCertification(student=s, certification=cert, acquired_on=D(year - 1, 7, 1))
        for s in students[::3]
    )
    program = f.CreditProgramFactory(university=world.university)
    enrolments = ProgramEnrollment.objects.bulk_create(
        ProgramEnrollment(program=program, student=s, enrolled_on=D(year, 3, 2)) for s in students[::10]
    )
    CreditRecord.objects.bulk_create(
        CreditRecord(enrollment=e, year=year, term="1", credits=15) for e in enrolments
    )
    line = f.BudgetLineFactory(
        district=world.district, year=year, category="equipment", planned_krw=10_000_000
    )
    line.expenditures.create(spent_on=D(year, 4, 1), amount_krw=1_000_000, description="장비")


# --- Settings in a fresh interpreter ----------------------------------------------------------------


PROJECT_ROOT = Path(__file__).resolve().parents[1]


# Every variable config/settings.py reads (found in its source, so a new one cannot be missed);
# the parent's values are dropped so each case states exactly what it sets.
SETTINGS_VARIABLES = set(
    re.findall(
        r'(?:_env_bool|_env_int|env\.[a-z_]+)\(\s*"([A-Z][A-Z0-9_]*)"',
        (PROJECT_ROOT / "config" / "settings.py").read_text(encoding="utf-8"),
    )
)


SETUP = """
import environ
environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)  # ignore the project's .env
import django
django.setup()
"""


# Set in the test process by the Playwright fixtures (tests/browser.py); a real deployment never has it.
HARNESS_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE"}

# The forking process behind `run_setup`. It imports Django and the libraries, but no module of the
# project and no settings (nothing that reads a variable of SETTINGS_VARIABLES), then for each case
# forks a child that takes the case's environment and runs its code as `python -c CODE` would: the
# output to the files named, a traceback and exit status 1 on an uncaught exception, `sys.exit`'s
# status otherwise. A child is a new process whose settings are read once, as in a fresh
# interpreter, without paying again for the imports that every case shares (about half its time).
ZYGOTE = r"""
import json, os, sys, traceback
import django, django.db.models, django.forms, django.template, django.core.management
import asgiref.sync, celery, celery.app.base, environ, kombu, psycopg, redis, rest_framework
for line in sys.stdin:
    case = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.environ.clear()
        os.environ.update(case["env"])
        for fd, path in ((1, case["stdout"]), (2, case["stderr"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        sys.argv = ["-c"]
        status = 0
        try:
            exec(compile(case["code"], "<string>", "exec"), {"__name__": "__main__"})
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                status = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
                status = 1
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    _, wait_status = os.waitpid(pid, 0)
    print(json.dumps(os.waitstatus_to_exitcode(wait_status)), flush=True)
"""


def _clean_environment() -> dict[str, str]:
    dropped = SETTINGS_VARIABLES | HARNESS_VARIABLES
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


_zygote: subprocess.Popen | None = None


def _zygote_process() -> subprocess.Popen:
    global _zygote
    if _zygote is None or _zygote.poll() is not None:
        _zygote = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            cwd=PROJECT_ROOT,
            env=_clean_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        atexit.register(_zygote.kill)
    return _zygote


def run_setup(code=SETUP, *, timeout: float = 60, **variables) -> subprocess.CompletedProcess:
    """Run `code` in a new process with the settings variables given (None leaves one unset).

    The process is forked from ZYGOTE (above): a fresh process for the settings, with the shared
    library imports already done. The parent's settings variables are dropped, so each case
    states exactly what it sets."""
    env = _clean_environment()
    env.update({name: value for name, value in variables.items() if value is not None})
    zygote = _zygote_process()
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        case = {"code": code, "env": env, "stdout": str(out), "stderr": str(err)}
        zygote.stdin.write(json.dumps(case) + "\n")
        zygote.stdin.flush()
        ready, _, _ = select.select([zygote.stdout], [], [], timeout)
        if not ready:
            zygote.kill()
            raise subprocess.TimeoutExpired([sys.executable, "-c", code], timeout)
        returncode = json.loads(zygote.stdout.readline())
        return subprocess.CompletedProcess(
            [sys.executable, "-c", code],
            returncode,
            out.read_text() if out.exists() else "",
            err.read_text() if err.exists() else "",
        )


def assert_refused(result, *words):
    """The process stopped at start-up with ImproperlyConfigured naming `words`."""
    assert result.returncode != 0, result.stdout
    marker = "django.core.exceptions.ImproperlyConfigured:"
    assert marker in result.stderr, result.stderr
    message = result.stderr[result.stderr.rindex(marker) :]
    for word in words:
        assert word in message, result.stderr


# Cell values a spreadsheet would run as formulas: every export must neutralise them.
NASTY = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tTAB=1+1",
    "\rCR",
    "\nLF",
]


# --- Saved searches ------------------------------------------------------------------------


def save(world, querystring="", name=""):
    return saved_search_services.saved_search_create(
        user=world.student_user, district=world.district, params=QueryDict(querystring), name=name
    )


def published(company, *, hours_ago=1, **fields):
    return opening_of(company, published_at=timezone.now() - datetime.timedelta(hours=hours_ago), **fields)


def back_date(search, *, days=1):
    SavedSearch.objects.filter(pk=search.pk).update(
        last_notified_at=timezone.now() - datetime.timedelta(days=days)
    )


# --- Rows shared by a class's tests -------------------------------------------------------------------


def built_once(django_db_blocker, build):
    """For a class- or module-scoped fixture: `yield from built_once(django_db_blocker, build)`.

    `build()` runs once, in a transaction that stays open for the scope's tests and is rolled back
    after the last; each test (with `db`) runs in a savepoint of it, rolled back after the test, so
    every test starts from exactly what `build()` left, whatever an earlier test wrote. The build
    runs as the tests do: MD5 password hashing and eager Celery (tests/conftest.py's autouse
    fixtures are function-scoped, so they are not on yet). Yields what `build()` returned.
    """
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                value = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
