"""The access matrix's world and routes, shared by tests/district/test_access_matrix.py and
tests/district/test_filter_ranges.py: every URL pattern of the portal, the objects each route
names, and the personas that ask. A helper module, not a test module.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.district import access_table as table

# --- The routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the full route string of an unnamed pattern
    route: str  # the full route string, as Django prints the patterns
    namespace: str
    admin_model: type | None = None  # the model of a per-model admin route
    converters: tuple[str, ...] = field(default=())

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def methods(self) -> tuple[str, ...]:
        return table.API_METHODS if self.is_api else table.PAGE_METHODS


def _admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}


def _kwarg_names(pattern) -> tuple[str, ...]:
    return tuple(pattern.pattern.regex.groupindex)


def walk(resolver=None, prefix: str = "", namespace: str = "", model=None) -> list[Route]:
    """Every pattern under `resolver`, with its full route string and namespaced name."""
    resolver = resolver or get_resolver()
    models = _admin_models()
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            inner_model = models.get(str(pattern.pattern)) if inner == "admin" else model
            routes += walk(pattern, prefix + str(pattern.pattern), inner, inner_model)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            converters = tuple(
                dict.fromkeys(_kwarg_names(pattern) + tuple(re.findall(r"\(\?P<(\w+)>", prefix)))
            )
            routes.append(Route(name or route, route, namespace, model, converters))
    return routes


def reachable(routes: list[Route]) -> list[Route]:
    """Drop a pattern that an earlier one with the same route string shadows: no request reaches it.

    (accounts/login/ is mounted twice: the portal's own login view first, then the one of
    django.contrib.auth.urls, which therefore never answers.)
    """
    seen, kept = set(), []
    for route in routes:
        if route.route not in seen:
            kept.append(route)
        seen.add(route.route)
    return kept


ROUTES = reachable(walk())


# --- The world -----------------------------------------------------------------------------------


def build_world():
    """The personas' world of tests/conftest.py plus one object of each kind a URL names.

    issue 16 (ISOLATION): a second district, Ansan, with the same objects and personas of its
    own (`objects.ansan`, built by `build_district_objects`), and each district's host name
    (pohang.localhost, ansan.localhost) for the cross-district pass of the matrix.
    """
    from district.models import DistrictHost, Membership
    from tests import conftest
    from tests import factories as f
    from tests.builders import build_world as build_persona_world

    # The `world` fixture's own body, so that this module sees exactly the shared personas.
    world = conftest.world._get_wrapped_function()(db=None)
    objects = build_district_objects(world)
    # Every admin model's last Pohang row: rows above it are Ansan's (the admin part of the cross pass).
    objects.pohang_last_pk = {model: _last_pk(model) for model in apps.get_models()}
    ansan = f.DistrictFactory(name="안산", slug="ansan", region="경기도 안산시", industry_focus="로봇")
    objects.ansan = build_district_objects(build_persona_world(district=ansan, prefix="ansan_"), tag="ansan")
    objects.ansan_last_pk = {model: _last_pk(model) for model in apps.get_models()}
    DistrictHost.objects.create(district=world.district, host=POHANG_HOST)
    DistrictHost.objects.create(district=ansan, host=ANSAN_HOST)
    # Each district's official is an official of the other district too: on a site only that
    # site's district counts, so the cross-district pass shows the site's scope, not a missing role.
    Membership.objects.create(user=world.official, district=ansan, role=Membership.Role.OFFICIAL)
    Membership.objects.create(
        user=objects.ansan.world.official, district=world.district, role=Membership.Role.OFFICIAL
    )
    objects.officials_of_both = {world.official.pk, objects.ansan.world.official.pk}
    # The Ministry's official belongs to no district: the same person on every district's site.
    national = f.UserFactory(username="national_official")
    Membership.objects.create(user=national, district=None, role=Membership.Role.NATIONAL_OFFICIAL)
    world.national_official = objects.ansan.world.national_official = national
    return objects


POHANG_HOST, ANSAN_HOST = "pohang.localhost", "ansan.localhost"


def _last_pk(model) -> int:
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def build_district_objects(world, tag: str = ""):
    """One object of each kind a URL names, in `world`'s district; `tag` keeps global names apart."""
    from companies.models import Opening, OpeningRevision
    from dashboard.tables import TABLES
    from district.api.tokens import dashboard_token_create
    from district.models import Membership, TaskOutbox
    from placements.models import ApplicationEvent, Notification, SavedSearch
    from schools.models import (
        CourseUnit,
        PracticeDiaryEntry,
        PracticeIncident,
        RosterImport,
        StudentCertification,
        StudentInvitation,
        TeacherTraining,
    )
    from schools.selectors.invitations import token_hash
    from tests import factories as f
    from universities.models import CreditRecord

    segment = f.SegmentFactory(district=world.district)
    opening = f.OpeningFactory(
        company=world.company_a, title="에코프로비엠 양극재 공정", job_role=f.JobRoleFactory(segment=segment)
    )
    application = f.ApplicationFactory(student=world.student, opening=opening)
    ApplicationEvent.objects.create(application=application, to_status=application.status)
    practice = f.FieldPracticeFactory(
        student=world.student,
        company=world.company_a,
        status="on_hold",
        safety_checked_on=datetime.date(2026, 6, 1),
        safety_checked_by=world.school_a_staff,
    )
    program = f.CreditProgramFactory(university=world.university)
    enrollment = f.ProgramEnrollmentFactory(program=program, student=world.student)
    run = f.MatchRunFactory(round=f.MatchRoundFactory(district=world.district))
    join_request = f.MembershipFactory(
        user=f.UserFactory(username=f"{tag}asks_to_join_a"),
        district=world.district,
        role=Membership.Role.COMPANY_RECRUITER,
        company=world.company_a,
        is_active=False,
    )
    invited = f.StudentFactory(
        department=world.department_a, name="초대받은학생", email=f"new{tag}@example.kr"
    )
    StudentInvitation.objects.create(
        student=invited,
        email=invited.email,
        token_hash=token_hash(f"matrix-invitation-token{tag}"),
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    token, key = dashboard_token_create(
        district=world.district,
        name="시 BI 서버",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        by=world.official,
    )
    # Used just now: the token's "last used" stamp is fresh, so that the requests below leave it be
    # (a refused request must change nothing, and this stamp is written only when stale).
    type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    objects = SimpleNamespace(
        world=world,
        opening=opening,
        application=application,
        practice=practice,
        entry=PracticeDiaryEntry.objects.create(
            practice=practice, week_starting=datetime.date(2026, 6, 29), text="x"
        ),
        incident=PracticeIncident.objects.create(practice=practice, reporter_role="school", description="x"),
        # Started long ago, so that the 6-month retention check is due.
        placement=f.PlacementFactory(
            student=world.student, company=world.company_a, starts_on=datetime.date(2024, 3, 4)
        ),
        unit=CourseUnit.objects.create(
            department=world.department_a, ncs_unit=f.NcsUnitFactory(), title="전지 셀 조립", hours=34
        ),
        training=TeacherTraining.objects.create(
            district=world.district,
            title="이차전지 공정 연수",
            provider="포항테크노파크",
            hours=30,
            starts_on=datetime.date(2026, 1, 5),
            ends_on=datetime.date(2026, 1, 9),
        ),
        roster_import=RosterImport.objects.create(
            school=world.school_a,
            original_name="a.xlsx",
            file_format="xlsx",
            status="succeeded",
            total=1,
            processed=1,
        ),
        program=program,
        enrollment=enrollment,
        credit_record=CreditRecord.objects.create(enrollment=enrollment, year=2026, term="1", credits=3),
        run=run,
        pathway=f.PathwayFactory(district=world.district, department=world.department_a, segment=segment),
        certification=f.CertificationFactory(),
        # issue 15 (school): a certification of the student's, for the school to check.
        held=StudentCertification.objects.create(
            student=world.student,
            certification=f.CertificationFactory(),
            acquired_on=datetime.date(2025, 7, 1),
        ),
        # A row for a few more admins, so that officials open real change pages there.
        admin_rows=[
            f.AreaFactory(district=world.district),
            f.BudgetLineFactory(district=world.district),
            f.KpiTargetFactory(district=world.district),
            f.AgreementFactory(company=world.company_a),
            f.PreferenceFactory(student=world.student, opening=opening),
            # Changes awaiting review, so that the recruiter's withdraw button has something to do.
            OpeningRevision.objects.create(opening=opening, changes={"title": "새 제목"}),
            # A kept task, so that the officials' 403 on its pages is tried on a real row.
            TaskOutbox.objects.create(task_name="placements.tasks.renamed_long_ago", args=[1]),
        ],
        join_request=join_request,
        saved_search=SavedSearch.objects.create(
            user=world.student_user,
            name="양극재",
            querystring="q=양극재",
            unsubscribe_token=f"matrix-unsubscribe{tag}",
        ),
        notification=Notification.objects.create(user=world.student_user, text="새 공고"),
        invitation_token=f"matrix-invitation-token{tag}",
        export_slug=next(iter(TABLES)),
        token=token,
        token_key=key,
    )
    # issue 15 (student): an award and a project with a stored file on the student's profile.
    objects.activity, objects.project = _profile_rows(world.student, tag)
    assert opening.status == Opening.Status.PUBLISHED
    # issue 15 (company): the application's profile snapshot, with a project file on disk.
    objects.profile_file = _profile_snapshot_with_a_file(world, application, tag)
    return objects


def _profile_rows(student, tag: str = ""):
    """An activity, and a project whose file is on disk, so that its owner's download answers 200.

    The file is written at one fixed path under MEDIA_ROOT (git-ignored var/uploads by default),
    overwritten by every build, so that worlds rolled back leave nothing more behind.
    """
    from schools.models import Activity, ProfileFile, Project

    data = b"%PDF-1.4\n% access world\n%%EOF\n"
    relative = f"profiles/access-world{tag}/portfolio.pdf"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    file = ProfileFile.objects.create(
        student=student,
        path=relative,
        original_name="포트폴리오.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    activity = Activity.objects.create(
        student=student, kind="award", title="전기설비 경진대회 금상", date=datetime.date(2026, 5, 20)
    )
    project = Project.objects.create(
        student=student, title="스마트팜 제어반", date=datetime.date(2026, 10, 15), file=file
    )
    return activity, project


def _profile_snapshot_with_a_file(world, application, tag: str = ""):
    """A project with a stored PDF, and the application's snapshot that refers to it (issue 15)."""
    from pathlib import Path

    from django.conf import settings

    from schools.models import ProfileFile, Project
    from schools.services.snapshots import profile_snapshot_take

    relative = Path("profiles") / f"matrix{tag}" / "portfolio.pdf"
    (Path(settings.MEDIA_ROOT) / relative).parent.mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / relative).write_bytes(b"%PDF-1.4\n%%EOF\n")
    file = ProfileFile.objects.create(
        student=world.student,
        path=str(relative),
        original_name="portfolio.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
    )
    Project.objects.create(student=world.student, title="셀 조립", date=datetime.date(2026, 6, 1), file=file)
    application.profile_snapshot = profile_snapshot_take(student=world.student, company=world.company_a)
    application.save(update_fields=["profile_snapshot"])
    return file


# URL kwargs of each route that takes any, from the world's A-side objects. Admin routes are
# filled in generically by `admin_kwargs`.
KWARGS = {
    "password_reset_confirm": lambda o: {"uidb64": "MQ", "token": "set-password"},
    "schools:student_detail": lambda o: {"pk": o.world.student.pk},
    "schools:student_edit": lambda o: {"pk": o.world.student.pk},
    "schools:student_invite": lambda o: {"pk": o.world.student.pk},
    "schools:application_withdraw": lambda o: {"pk": o.application.pk},
    "schools:offer_accept": lambda o: {"pk": o.application.pk},
    "schools:offer_decline": lambda o: {"pk": o.application.pk},
    "schools:outside_hire": lambda o: {"pk": o.application.pk},
    "schools:application_consent": lambda o: {"pk": o.application.pk},
    "me:application_confirm": lambda o: {"pk": o.opening.pk},
    "schools:roster_import_detail": lambda o: {"pk": o.roster_import.pk},
    # issue 15 (school)
    "schools:certification_check": lambda o: {"pk": o.world.student.pk, "held_pk": o.held.pk},
    "schools:certification_uncheck": lambda o: {"pk": o.world.student.pk, "held_pk": o.held.pk},
    "schools:attendance": lambda o: {"pk": o.world.student.pk},
    "schools:student_profile": lambda o: {"pk": o.world.student.pk},
    "schools:student_profile_print": lambda o: {"pk": o.world.student.pk},
    "practice:evaluate": lambda o: {"pk": o.practice.pk},
    # end issue 15 (school)
    "schools:department_edit": lambda o: {"pk": o.world.department_a.pk},
    "schools:course_unit_edit": lambda o: {"pk": o.unit.pk},
    "schools:completion_create": lambda o: {"pk": o.training.pk},
    "schools:practice_detail": lambda o: {"pk": o.practice.pk},
    "schools:practice_edit": lambda o: {"pk": o.practice.pk},
    "schools:practice_consent": lambda o: {"pk": o.practice.pk},
    "schools:practice_safety": lambda o: {"pk": o.practice.pk},
    "schools:practice_start": lambda o: {"pk": o.practice.pk},
    "schools:practice_complete": lambda o: {"pk": o.practice.pk},
    "schools:practice_cancel": lambda o: {"pk": o.practice.pk},
    "schools:practice_report_incident": lambda o: {"pk": o.practice.pk},
    "schools:incident_review": lambda o: {"pk": o.incident.pk},
    "schools:retention_review": lambda o: {"pk": o.placement.pk, "milestone": 6},
    "companies:signup_confirm": lambda o: {"uidb64": "MQ", "token": "confirm-address"},
    "companies:team_approve": lambda o: {"pk": o.join_request.pk},
    "companies:team_decline": lambda o: {"pk": o.join_request.pk},
    "companies:opening_detail": lambda o: {"pk": o.opening.pk},
    "companies:opening_edit": lambda o: {"pk": o.opening.pk},
    "companies:opening_submit": lambda o: {"pk": o.opening.pk},
    "companies:opening_close": lambda o: {"pk": o.opening.pk},
    "companies:opening_clone": lambda o: {"pk": o.opening.pk},
    "companies:opening_withdraw_changes": lambda o: {"pk": o.opening.pk},
    "companies:applicant_list": lambda o: {"pk": o.opening.pk},
    "companies:application_detail": lambda o: {"pk": o.application.pk},
    "companies:application_move": lambda o: {"pk": o.application.pk},
    # issue 15 (company)
    "companies:application_file": lambda o: {"pk": o.application.pk, "file_id": o.profile_file.pk},
    "me:application_profile": lambda o: {"pk": o.application.pk},
    "practice:diary": lambda o: {"pk": o.practice.pk},
    "practice:acknowledge": lambda o: {"pk": o.practice.pk, "entry_pk": o.entry.pk},
    "practice:report_incident": lambda o: {"pk": o.practice.pk},
    "me_practice:diary_save": lambda o: {"pk": o.practice.pk},
    "me_practice:report_incident": lambda o: {"pk": o.practice.pk},
    "invitations:accept": lambda o: {"token": o.invitation_token},
    "universities:program_detail": lambda o: {"pk": o.program.pk},
    "universities:program_edit": lambda o: {"pk": o.program.pk},
    "universities:program_delete": lambda o: {"pk": o.program.pk},
    "universities:enrollment_create": lambda o: {"pk": o.program.pk},
    "universities:enrollment_detail": lambda o: {"pk": o.enrollment.pk},
    "universities:credit_record_create": lambda o: {"pk": o.enrollment.pk},
    "universities:credit_record_delete": lambda o: {"pk": o.enrollment.pk, "record_pk": o.credit_record.pk},
    "universities:enrollment_status": lambda o: {"pk": o.enrollment.pk},
    "api:opening-detail": lambda o: {"pk": o.opening.pk},
    "api:pathway-detail": lambda o: {"pk": o.pathway.pk},
    "api:company-detail": lambda o: {"pk": o.world.company_a.pk},
    "api:school-detail": lambda o: {"pk": o.world.school_a.pk},
    "api:department-detail": lambda o: {"pk": o.world.department_a.pk},
    "api:credit-program-detail": lambda o: {"pk": o.program.pk},
    "api:certification-detail": lambda o: {"pk": o.certification.pk},
    "api:job-role-detail": lambda o: {"pk": o.opening.job_role_id},
    "api:application-detail": lambda o: {"pk": o.application.pk},
    "api:student-detail": lambda o: {"pk": o.world.student.pk},
    "api:placement-detail": lambda o: {"pk": o.placement.pk},
    "api:match-run-detail": lambda o: {"pk": o.run.pk},
    "api:match-run-publish": lambda o: {"pk": o.run.pk},
    "dashboard-export": lambda o: {"slug": o.export_slug, "fmt": "csv"},
    "pathways:detail": lambda o: {"slug": o.pathway.slug},
    "me:application_withdraw": lambda o: {"pk": o.application.pk},
    "me:offer_accept": lambda o: {"pk": o.application.pk},
    "me:offer_decline": lambda o: {"pk": o.application.pk},
    "me:saved_search_delete": lambda o: {"pk": o.saved_search.pk},
    "me:saved_search_email": lambda o: {"pk": o.saved_search.pk},
    # issue 15 (student)
    "me:profile_activity_edit": lambda o: {"pk": o.activity.pk},
    "me:profile_activity_delete": lambda o: {"pk": o.activity.pk},
    "me:profile_project_edit": lambda o: {"pk": o.project.pk},
    "me:profile_project_delete": lambda o: {"pk": o.project.pk},
    "me:profile_file": lambda o: {"pk": o.project.file_id},
    "searches:unsubscribe": lambda o: {"token": o.saved_search.unsubscribe_token},
    "programs:detail": lambda o: {"pk": o.program.pk},
    "companies_public:opening_detail": lambda o: {"pk": o.opening.pk},
    "companies_public:company_detail": lambda o: {"pk": o.world.company_a.pk},
}


# POST bodies where an empty one would stop an allowed persona short of the access check's
# answer (the opening is looked up before anything else: without it, 404 like a refusal).
BODIES = {
    "me:preferences_add": lambda o: {"opening": o.opening.pk},
    "me:application_create": lambda o: {"opening": o.opening.pk},
}
# Query strings a view needs to answer an allowed persona at all.
QUERIES = {
    "admin:autocomplete": "?app_label=companies&model_name=opening&field_name=company",
}


def admin_kwargs(route: Route, objects, rows=None) -> dict:
    """Kwargs of an admin route: a real row of the route's model, or of the opening elsewhere.

    `rows(model)` narrows the model's rows to pick from (the cross-district pass: the other
    district's); by default the first row of all.
    """
    kwargs = {}
    for name in route.converters:
        if name in {"object_id", "pk", "id"}:
            model = route.admin_model or _admin_route_model(route)
            queryset = (rows(model) if rows else model._default_manager.all()) if model else None
            row = queryset.order_by("pk").first() if model else None
            # A model without any row in this world: the admin answers "does not exist" (302
            # to its index) to an official and the login page to anyone else, which still
            # tells a refusal from an allowed answer.
            kwargs[name] = row.pk if row else 0
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(objects.opening).pk
        elif name == "app_label":
            kwargs[name] = "companies"
        elif name == "url":
            kwargs[name] = "no-such-page/"
    if route.key == "admin:view_on_site":
        kwargs["object_id"] = objects.opening.pk
    return kwargs


def _admin_route_model(route: Route):
    """The model of an admin route mounted by a ModelAdmin's own get_urls (e.g. otp's qrcode)."""
    match = re.match(r"admin/(\w+)/(\w+)/", route.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None


def url_for(route: Route, objects, rows=None) -> str:
    if route.namespace == "admin" or route.namespace.startswith("admin:"):
        kwargs = admin_kwargs(route, objects, rows)
    else:
        kwargs = KWARGS[route.key](objects) if route.key in KWARGS else {}
    if route.key != route.route:  # named
        return reverse(route.key, kwargs=kwargs)
    # Unnamed (the admin's "<object_id>/" redirect and its catch-all): fill the route string.
    url = "/" + route.route

    def fill(match):
        return str(kwargs[match["name"]])

    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, url)
    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, url)
    return url.replace("^", "").replace("$", "")


# --- Personas, requests and verdicts ----------------------------------------------------------------

PERSONA_USERS = {
    "student": "student_user",
    "recruiter_a": "recruiter_a",
    "recruiter_b": "recruiter_b",
    "school_a": "school_a_staff",
    "school_b": "school_b_staff",
    "coordinator": "coordinator",
    "official": "official",
    "national": "national_official",  # issue 16 (ISOLATION)
}
assert set(PERSONA_USERS) | {"anonymous", "token"} == set(table.PERSONAS)

# Tables a refused request may legitimately write: the session store (the persona's login),
# django-axes' and auditlog's own logs (who came, not what changed).
UNWATCHED_TABLES = {"django_session"}
UNWATCHED_APPS = {"axes", "sessions"}


def _watched_tables() -> list[str]:
    return sorted(
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.app_label not in UNWATCHED_APPS
        and m._meta.db_table not in UNWATCHED_TABLES
    )


def fingerprint() -> str:
    """A hash of every row of every watched table, in one query (PostgreSQL)."""
    parts = " UNION ALL ".join(
        f"SELECT '{t}' || md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) AS h FROM {q} r"
        for t, q in ((t, connection.ops.quote_name(t)) for t in _watched_tables())
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg(h, ';' ORDER BY h) FROM ({parts}) s")
        return cursor.fetchone()[0]


LOGIN_PATHS = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


def is_refusal(response) -> bool:
    if response.status_code in table.REFUSAL_CODES:
        return True
    if response.status_code in {301, 302, 303, 307, 308}:
        return urlsplit(response["Location"]).path in LOGIN_PATHS
    return False


def describe(response) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def client_for(persona: str, world) -> Client:
    """The persona's client, with its cookies reset to the persona's session.

    Clients are reused: each new `Client` builds a new handler, and WhiteNoise's middleware
    scans every static file when a handler loads it (about a second each time). Resetting
    the cookies undoes whatever the previous request did to them (a logout, a message).
    """
    client = world.clients[persona]
    client.cookies = SimpleCookie()
    if persona in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def send(client: Client, method: str, url: str, body: dict):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, body)
    return client.generic(method, url, b"{}", content_type="application/json")


def verify_second_factor(user, session_key: str) -> None:
    """Give the official a confirmed authenticator and mark the session verified, as the code
    page does (django_otp.login), so that the official passes OFFICIALS_REQUIRE_OTP when it is on."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    session = SessionStore(session_key)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
