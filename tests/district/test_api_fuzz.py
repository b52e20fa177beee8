"""Property-based fuzzing of /api/v1/ against its own OpenAPI schema, on a live server.

Schemathesis reads the schema that drf-spectacular serves at /api/schema/ and sends
generated requests (valid and invalid query strings, path ids, bodies) to every
operation over real HTTP. Every response must pass every check: no 5xx, a status code
the schema documents, the documented content type and headers, and a body that
matches the documented schema.

It runs three times, as three callers, because the API answers each differently:

- `anonymous`: no credentials (401/403 on everything but the public allow-list);
- `official`: a session cookie of a district official, with a CSRF token so that the
  two POST operations (start and publish a matching run) reach their logic (two test
  items, `official-records` and `official-rest`, each half of the operations);
- `token`: a read-only dashboard token in `Authorization: Token <key>`.

Reproducible and bounded: `derandomize=True` fixes Hypothesis' choices and each operation
gets at most `MAX_EXAMPLES` generated examples, for every caller. Schemathesis' coverage
phase (each parameter's boundary and invalid values, undocumented methods: about 55
requests an operation, four fifths of the module's time) runs for the official only: the
official reaches every operation's parameter handling, which is the same code whoever
calls, while the anonymous caller and the token are refused before it on all but a few
operations. Run only this file with
`pytest -m fuzz`, or leave it out with `-m "not fuzz"`.
"""

from __future__ import annotations

import datetime
import secrets

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from district.api.tokens import dashboard_token_create
from placements.models import Application, MatchRun, Placement
from tests import factories as f
from tests.companies.conftest import apply

pytestmark = [pytest.mark.fuzz]

MAX_EXAMPLES = 15
S = Application.Status


@pytest.fixture(autouse=True)
def _pytest9_node_id(request):
    """Schemathesis 4.32's lazy schema renames the test item through `item._nodeid`, which pytest 9.2
    no longer has (it keeps a structured `_id`). Give the item the attribute so the per-operation
    subtests run; it only changes how they are labelled, and a later Schemathesis ignores it."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Throttles would turn most generated requests into 429s and hide everything behind them.

    The rates are raised for this module only; district.api.throttling reads them per request.
    """
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {}
    if rates:
        raised = dict.fromkeys(rates, "1000000/min")
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": raised}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fuzz_world(world):
    """A small but complete district, so that lists, details and aggregates have rows to show."""
    today = timezone.localdate()
    certification = f.CertificationFactory(name="위험물기능사", qnet_code="7780")
    area = f.AreaFactory(district=world.district, name="영일만 산업단지")
    opening_a = f.OpeningFactory(company=world.company_a, work_area=area, title="양극재 소성 공정")
    opening_a.required_certifications.add(certification)
    opening_a.preferred_departments.add(world.department_a)
    opening_b = f.OpeningFactory(company=world.company_b, title="음극재 공정")
    f.StudentCertificationFactory(student=world.student, certification=certification)
    students = [f.StudentFactory(department=world.department_a) for _ in range(3)]
    students += [f.StudentFactory(department=world.department_b) for _ in range(2)]
    for student, status in zip(
        [world.student, *students],
        [S.SUBMITTED, S.INTERVIEW, S.OFFERED, S.ACCEPTED, S.HIRED, S.DECLINED],
        strict=True,
    ):
        apply(student, opening_a, status=status)
    apply(students[0], opening_b, status=S.REVIEWING)
    for student in students[3:]:
        f.PlacementFactory(
            student=student,
            company=world.company_a,
            opening=opening_a,
            starts_on=datetime.date(2026, 3, 2),
            status=Placement.Status.ACTIVE,
        )
    program = f.CreditProgramFactory(university=world.university)
    program.partner_companies.add(world.company_a)
    f.ProgramEnrollmentFactory(program=program, student=students[3])
    pathway = f.PathwayFactory(district=world.district, department=world.department_a)
    pathway.job_roles.add(opening_a.job_role)
    pathway.certifications.add(certification)
    pathway.practice_companies.add(world.company_a)
    pathway.credit_programs.add(program)
    f.FieldPracticeFactory(student=students[1], company=world.company_a)
    f.BudgetLineFactory(district=world.district, year=today.year)
    f.KpiTargetFactory(district=world.district, year=today.year)
    round_ = f.MatchRoundFactory(district=world.district)
    f.MatchRunFactory(round=round_, status=MatchRun.Status.SUCCEEDED, stats={"matched": 3})
    return world


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# The official's run is the longest by far (the coverage phase, every request answered with data).
# It is split in two test items over two halves of the operations, which pytest-xdist runs side by
# side: "official-records" takes the paths matching RECORDS, "official-rest" every other path, so
# that together they are every operation.
RECORDS = r"^/api/v1/(applications|students|placements|companies|credit-programs|schools|openings)/"


@pytest.fixture(params=["anonymous", "official-records", "official-rest", "token"])
def caller(request, live_server, fuzz_world) -> tuple[requests.Session, dict, str]:
    """How one kind of caller speaks to the live server: a requests session, Schemathesis' auth, its name.

    The credentials go through Schemathesis' own auth configuration (one value for one of the
    schema's security schemes), so that its `ignored_auth` check knows they are real: it then
    repeats requests without them and with invalid ones, and expects 401 or 403.
    """
    session = requests.Session()
    auth = {}
    if request.param.startswith("official"):
        csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
        session.cookies.set("csrftoken", csrf)
        session.headers["X-CSRFToken"] = csrf
        auth = {"cookieAuth": {"api_key": _session_cookie(fuzz_world.official)}}
    elif request.param == "token":
        _, key = dashboard_token_create(
            district=fuzz_world.district,
            name="fuzz BI",
            expires_at=timezone.now() + datetime.timedelta(days=1),
            by=fuzz_world.official,
        )
        auth = {"dashboardToken": {"api_key": f"Token {key}"}}
    yield session, auth, request.param
    session.close()


@pytest.fixture
def api_schema(caller, live_server):
    _, auth, name = caller
    # The official's requests also go through Schemathesis' coverage phase (see the module's docstring).
    config = {"phases": {"coverage": {"enabled": name.startswith("official")}}}
    if auth:
        config["auth"] = {"openapi": auth}
    config = SchemathesisConfig.from_dict(config)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", config=config)
    if name == "official-records":
        return schema.include(path_regex=RECORDS)
    if name == "official-rest":
        return schema.exclude(path_regex=RECORDS)
    return schema


def _documented_names(operation) -> set[str]:
    """The parameter names and request-body properties an operation documents."""
    names = {parameter.name for parameter in operation.iter_parameters()}
    raw = operation.schema.raw_schema
    body = raw["paths"][operation.path][operation.method.lower()].get("requestBody", {})
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        if "$ref" in schema:
            schema = raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        names |= set(schema.get("properties", {}))
    return names


def refusals_name_what_was_wrong(ctx, response, case):
    """A 400 says what to fix: a JSON object keyed by documented parameters or fields, with messages.

    Schemathesis' `positive_data_acceptance` expects every schema-valid request to succeed, but
    a schema cannot say which ids exist: `?district=0` is a valid integer and yet refers to no
    district, and django-filter answers 400 with a field message by design (STYLE: bad input
    gets a clear error). This check replaces it: a 400 is accepted only if it explains itself.
    """
    if response.status_code != 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and body, f"a 400 without a message: {response.text!r}"
    known = _documented_names(case.operation) | {"non_field_errors"}
    for key, messages in body.items():
        if key in ("detail", "code"):
            assert isinstance(messages, str) and messages, f"{key!r} of a 400 is {messages!r}"
            continue
        assert key in known, f"a 400 blames {key!r}, which the schema does not document: {body}"
        assert isinstance(messages, list) and messages, f"no message for {key!r}: {body}"
        assert all(isinstance(message, str) and message for message in messages), body
    return True


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_honours_its_schema(case, caller, live_server):
    session, _, _ = caller
    case.call_and_validate(
        base_url=live_server.url,
        session=session,
        timeout=30,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[refusals_name_what_was_wrong],
    )
