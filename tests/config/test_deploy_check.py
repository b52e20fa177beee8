"""`manage.py check --deploy --fail-level WARNING` passes with production settings, and can fail.

Each case runs the check in a new process, because settings are read once per process,
with a production-like environment and the project's `.env` ignored, so that a developer's
local file cannot change the outcome.
"""

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.builders import run_setup

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import environ
environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)  # ignore the project's .env
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
"""


def production_env(**overrides) -> dict:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.kr",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.kr",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        "REDIS_URL": "redis://127.0.0.1:6379/12",  # required when DEBUG is off; the check never connects
        **overrides,
    }


def run_check(variables: dict) -> subprocess.CompletedProcess:
    """The check in a new process (tests.builders.run_setup: the parent's settings variables dropped)."""
    return run_setup(CHECK, timeout=120, **variables)


def test_production_settings_pass_the_deploy_check():
    result = run_check(production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_example_environment_passes_once_given_a_real_secret_key():
    """.env.example is what operators copy (behind a TLS proxy): apart from the key, it is deploy-clean."""
    variables = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = value
    variables["SECRET_KEY"] = secrets.token_urlsafe(64)
    result = run_check(variables)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("weakened", "code"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
    ],
)
def test_a_weakened_setting_fails_the_deploy_check(weakened, code):
    """The check is not silenced wholesale: weakening one setting makes it fail, naming the problem."""
    result = run_check(production_env(**weakened))
    assert result.returncode != 0, result.stdout
    assert code in result.stderr


# --- The redirect itself, in this process ---------------------------------------------------


@pytest.fixture
def https_only(settings):
    """What DEBUG=false gives by default (the test process itself runs with DEBUG on)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    return settings


def test_plain_http_is_redirected_to_https(db, https_only, client):
    response = client.get("/openings/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/openings/"
    secure = client.get("/openings/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_health_probes_answer_over_plain_http(db, https_only, client):
    """Container health checks call http://127.0.0.1:8000/readyz without TLS."""
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_behind_a_tls_proxy_its_header_marks_the_request_secure(db, https_only, client):
    https_only.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/openings/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/openings/", HTTP_X_FORWARDED_PROTO="http").status_code == 301
