"""Benchmarks of the matching engine and of whole rounds; exits non-zero when a target is missed.

    manage.py bench_matching                       # all four
    manage.py bench_matching --only engine,peer    # a subset: engine, peer, round, pohang

1. engine: the engine alone on a synthetic 70,000 × 20,000 (77,000 seats) × 30 market with
   correlated popularity, against the unavoidable work measured in the same process (one
   dict from student to position per opening). The ratio is printed for information only:
   its former target (at most 3×) was retired in issue 17, and the engine stays as it is;
   what a district waits for is the whole round, which parts 3 and 4 gate.
2. peer: the PyPI package `matching` (HospitalResident) and the engine on the same
   10,000 × 2,000 × 30 market; both must agree. Target: at least 50× faster.
3. round: a whole run on PostgreSQL over the `synthetic` district made by
   `seed_demo --students 70000 --openings 20000 --preferences 30`, from queued to
   succeeded with its matches stored. Targets: 60 s wall, 2 GiB peak memory (the peak
   resident size of this process, so the round is measured first).
4. pohang: a Pohang-sized round (600 students, 60 openings, 30 choices each) built in a
   transaction that is rolled back afterwards. Target: 2 s.

`--scale` shrinks the synthetic markets of parts 1 and 2 (the targets are for 1, the default).
"""

from __future__ import annotations

import datetime
import gc
import random
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from companies.models import Company, Opening
from district.models import Area, CommuteTime, District
from placements.matching import bench
from placements.models import MatchRound, MatchRun, Preference
from placements.services.run_execution import match_run_execute
from placements.services.runs import match_run_start
from schools.models import Department, School, Student, StudentCertification

PARTS = ("round", "pohang", "engine", "peer")  # the round first: its memory peak is the process's
PEER_TARGET = 50.0
ROUND_SECONDS, ROUND_GIB = 60.0, 2.0
POHANG_SECONDS = 2.0
SYNTHETIC_SLUG = "synthetic"
SEED_COMMAND = "python manage.py seed_demo --students 70000 --openings 20000 --preferences 30"


class _Rollback(Exception):
    pass


def _peak_gib() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


class Command(BaseCommand):
    help = "Benchmark the matching engine and whole rounds; exit non-zero when a target is missed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", default=",".join(PARTS), help=f"comma-separated parts to run, of: {', '.join(PARTS)}"
        )
        parser.add_argument("--repeat", type=int, default=3, help="timed repetitions of the engine parts")
        parser.add_argument(
            "--keep", action="store_true", help="keep the synthetic round's run and its matches"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size of the engine's and the peer's synthetic markets, as a share of the full size "
            "(the targets are for 1)",
        )

    def handle(self, *args, **options):
        wanted = [p.strip() for p in options["only"].split(",") if p.strip()]
        unknown = sorted(set(wanted) - set(PARTS))
        if unknown or not wanted:
            raise CommandError(
                f"Unknown part(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(PARTS)}."
            )
        self.repeat = max(1, options["repeat"])
        self.keep = options["keep"]
        self.scale = options["scale"]
        if not 0 < self.scale <= 1:
            raise CommandError("--scale must be above 0 and at most 1.")
        self.missed: list[str] = []
        for part in PARTS:
            if part in wanted:
                getattr(self, f"_{part}")()
                gc.collect()
        if self.missed:
            raise CommandError("Missed: " + "; ".join(self.missed))
        self.stdout.write(self.style.SUCCESS("All targets met."))

    def _verdict(self, ok: bool, label: str) -> str:
        if not ok:
            self.missed.append(label)
        return self.style.SUCCESS("OK") if ok else self.style.ERROR("MISSED")

    # --- 1. The engine alone ------------------------------------------------------------------

    def _sized(self, *sizes: int) -> list[int]:
        return [max(1, round(size * self.scale)) for size in sizes]

    def _engine(self) -> None:
        students, openings, seats = self._sized(70_000, 20_000, 77_000)
        self.stdout.write(
            f"[engine] {students:,} students × {openings:,} openings ({seats:,} seats) × 30 preferences"
        )
        result = bench.run_benchmark(students, openings, seats, 30, seed=0, repeat=self.repeat)
        self.stdout.write(
            f"  instance generated in {result['generate_seconds']:.1f} s; "
            f"{result['matched']:,} students matched"
        )
        # No verdict: the ≤ 3× target was retired (issue 17); the whole round is what is gated.
        self.stdout.write(
            f"  engine {result['engine_seconds']:.3f} s, "
            f"baseline (rank dicts) {result['baseline_seconds']:.3f} s "
            f"→ {result['ratio']:.2f}× (for information; no target)"
        )

    # --- 2. The peer -----------------------------------------------------------------------------

    def _peer(self) -> None:
        students, openings = self._sized(10_000, 2_000)
        self.stdout.write(
            f"[peer] PyPI `matching` HospitalResident vs the engine, {students:,} × {openings:,} × 30"
        )
        try:
            result = bench.peer_compare(students, openings, 30, seed=0, repeat=self.repeat)
        except ImportError:
            self.stdout.write(
                "  the `matching` package is not installed: pip install -r requirements-dev.txt"
            )
            self.missed.append("peer (package missing)")
            return
        same = result["same_matching"]
        speedup = result["speedup"]
        self.stdout.write(
            f"  same matching: {'yes' if same else 'NO'} {self._verdict(same, 'peer disagrees')}; "
            f"{result['matched']:,} matched"
        )
        verdict = self._verdict(speedup >= PEER_TARGET, "peer speed-up")
        self.stdout.write(
            f"  peer {result['peer_seconds']:.2f} s (build {result['peer_build_seconds']:.2f} "
            f"+ solve {result['peer_solve_seconds']:.2f}), ours {result['ours_seconds']:.3f} s "
            f"→ {speedup:.0f}× faster (solve only {result['speedup_solve_only']:.0f}×; "
            f"target ≥ {PEER_TARGET:g}×) {verdict}"
        )

    # --- 3. A whole round on PostgreSQL -------------------------------------------------------------

    def _round(self) -> None:
        self.stdout.write("[round] the synthetic district's round on the database, queued → succeeded")
        if connection.vendor != "postgresql":
            self.stdout.write(f"  the target is for PostgreSQL; this database is {connection.vendor}")
        district = District.objects.filter(slug=SYNTHETIC_SLUG).first()
        match_round = (
            MatchRound.objects.filter(district=district).order_by("-cohort").first() if district else None
        )
        if match_round is None:
            self.stdout.write(
                f"  no synthetic district with a round here. Create it with:\n    {SEED_COMMAND}"
            )
            self.missed.append("round (no synthetic data)")
            return
        students = Student.objects.filter(school__district=district, cohort=match_round.cohort).count()
        preferences = Preference.objects.filter(student__school__district=district).count()
        self.stdout.write(f"  {students:,} students, {preferences:,} rankings, cohort {match_round.cohort}")
        started = time.perf_counter()
        try:
            run = match_run_start(district=district, cohort=match_round.cohort, by=None, enqueue=False)
        except Exception as error:  # a run already active or published: say so and stop
            self.stdout.write(f"  cannot start a run: {' '.join(getattr(error, 'messages', [str(error)]))}")
            self.missed.append("round (not started)")
            return
        run = match_run_execute(run_id=run.pk)
        wall = time.perf_counter() - started
        peak = _peak_gib()
        if run is None or run.status != MatchRun.Status.SUCCEEDED:
            self.stdout.write(f"  the run did not succeed: {run.error if run else 'not claimed'}")
            self.missed.append("round (failed)")
            return
        stats = run.stats
        self.stdout.write(
            f"  run #{run.pk}: {stats['matched']:,} matched ({stats['matched_share']:.1%}), "
            f"first choice {stats['first_choice_share']:.1%}, top three {stats['top3_share']:.1%}"
        )
        steps = ("load", "fingerprint", "score", "engine", "explain", "write")
        self.stdout.write("  steps: " + ", ".join(f"{k} {stats['timings'][k]:.2f} s" for k in steps))
        time_ok = self._verdict(wall <= ROUND_SECONDS, "round time")
        memory_ok = self._verdict(peak <= ROUND_GIB, "round memory")
        self.stdout.write(
            f"  wall {wall:.1f} s (target ≤ {ROUND_SECONDS:g} s) {time_ok}; "
            f"peak memory {peak:.2f} GiB (target ≤ {ROUND_GIB:g} GiB) {memory_ok}"
        )
        if not self.keep:
            run.delete()  # its matches go with it; the synthetic round stays ready for the next bench

    # --- 4. A Pohang-sized round -----------------------------------------------------------------------

    def _pohang(self) -> None:
        self.stdout.write(
            "[pohang] a Pohang-sized round: 600 students × 60 openings × 30 choices (rolled back)"
        )
        try:
            with transaction.atomic():
                district, cohort = _pohang_sized_district()
                started = time.perf_counter()
                run = match_run_start(district=district, cohort=cohort, by=None, enqueue=False)
                run = match_run_execute(run_id=run.pk)
                wall = time.perf_counter() - started
                ok = run is not None and run.status == MatchRun.Status.SUCCEEDED
                matched = run.stats.get("matched", 0) if ok else 0
                raise _Rollback
        except _Rollback:
            pass
        if not ok:
            self.stdout.write("  the run did not succeed")
            self.missed.append("pohang (failed)")
            return
        self.stdout.write(
            f"  {matched} matched; wall {wall:.2f} s (target ≤ {POHANG_SECONDS:g} s) "
            f"{self._verdict(wall <= POHANG_SECONDS, 'Pohang-sized round time')}"
        )


def _pohang_sized_district(students: int = 600, openings: int = 60, choices: int = 30):
    """Build a Pohang-sized district in the current transaction; returns it and the cohort."""
    from demo.vocabulary import ensure_vocabulary

    rng = random.Random(2026)
    from district.cohorts import Cohort

    today = timezone.localdate()
    cohort = Cohort.in_final_year_on(today).school_year  # the school year in its final year
    district = District.objects.create(
        slug="bench-pohang-size",
        name="벤치마크 포항 규모 지구",
        region="벤치마크",
        industry_focus="이차전지",
        program_start_year=cohort,
        program_end_year=cohort,
    )
    vocab = ensure_vocabulary(district)
    segments = list(vocab.segments.values())
    certifications = list(vocab.certifications.values())
    roles = list(vocab.job_roles.values())
    areas = Area.objects.bulk_create(
        [Area(district=district, code=f"a{i}", name=f"지역 {i}") for i in range(6)]
    )
    CommuteTime.objects.bulk_create(
        [CommuteTime(origin=a, destination=b, minutes=rng.randint(5, 70)) for a in areas for b in areas]
    )
    schools = School.objects.bulk_create(
        [School(district=district, name=f"벤치 {i}공업고", kind=School.Kind.SPECIALISED) for i in range(7)]
    )
    departments = Department.objects.bulk_create(
        [
            Department(school=s, name=f"학과 {j}", segment=rng.choice(segments))
            for s in schools
            for j in range(3)
        ]
    )
    now = timezone.now()
    companies = Company.objects.bulk_create(
        [
            Company(
                district=district,
                name=f"벤치 기업 {i}",
                business_number=f"99{i:08d}",
                segment=rng.choice(segments),
                area=rng.choice(areas),
                verification=Company.Verification.VERIFIED,
                verified_at=now,
            )
            for i in range(20)
        ]
    )
    jobs = Opening.objects.bulk_create(
        [
            Opening(
                company=companies[i % len(companies)],
                job_role=rng.choice(roles),
                title=f"벤치 공고 {i}",
                seats=rng.randint(6, 16),
                work_area=rng.choice(areas),
                shift_pattern=Opening.Shift.DAY,
                monthly_salary_krw=2_800_000,
                employment_type=Opening.EmploymentType.PERMANENT,
                apply_by=today + datetime.timedelta(days=30),
                starts_on=today + datetime.timedelta(days=90),
                status=Opening.Status.PUBLISHED,
                published_at=now,
            )
            for i in range(openings)
        ]
    )
    Opening.required_certifications.through.objects.bulk_create(
        [
            Opening.required_certifications.through(
                opening_id=o.pk, certification_id=rng.choice(certifications).pk
            )
            for o in jobs
            if rng.random() < 0.3
        ]
    )
    Opening.preferred_departments.through.objects.bulk_create(
        [
            Opening.preferred_departments.through(opening_id=o.pk, department_id=rng.choice(departments).pk)
            for o in jobs
            if rng.random() < 0.4
        ]
    )
    people = []
    for i in range(students):
        dept = departments[i % len(departments)]
        people.append(
            Student(
                school_id=dept.school_id,
                department=dept,
                student_number=f"B{i:05d}",
                name=f"학생{i}",
                cohort=cohort,
                commute_area=rng.choice(areas),
                field_of_interest=rng.choice(segments),
            )
        )
    people = Student.objects.bulk_create(people)
    StudentCertification.objects.bulk_create(
        [
            StudentCertification(student=s, certification=c, acquired_on=today)
            for s in people
            for c in rng.sample(certifications, rng.choice((0, 1, 1, 2, 3)))
        ]
    )
    weights = [rng.lognormvariate(0, 1) for _ in jobs]
    rows = []
    for s in people:
        picked = sorted(range(len(jobs)), key=lambda j: rng.random() ** (1.0 / weights[j]), reverse=True)
        rows += [Preference(student=s, opening=jobs[j], rank=r) for r, j in enumerate(picked[:choices], 1)]
    Preference.objects.bulk_create(rows, batch_size=5_000)
    MatchRound.objects.create(
        district=district,
        cohort=cohort,
        title="벤치마크 라운드",
        preferences_close_at=now - datetime.timedelta(hours=1),
    )
    return district, cohort
