"""The deployment files agree with the code: there is no Docker engine here to run them.

These tests parse docker-compose.yml, the Dockerfile and .env.example, and check that
every service's command names something that exists in this project. The web command runs
gunicorn with config/gunicorn.conf.py, whose settings gunicorn itself prints (`--print-config`).
"""

import importlib
import inspect
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_six_services_with_health_checks(compose):
    services = compose["services"]
    for name in ("db", "redis", "web", "worker", "mailer", "beat"):
        assert name in services, name
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_beat_runs_exactly_once(compose):
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_offer_emails_have_a_worker_of_their_own(compose, settings):
    """The paced offer emails go to their own queue, which only `mailer` consumes: a rate-limited task
    holds its worker's prefetch slot while it waits, so sharing a worker would hold up other tasks."""
    assert settings.CELERY_TASK_ROUTES == {"placements.offer_email_send": {"queue": "offer-emails"}}
    worker, mailer = compose["services"]["worker"]["command"], compose["services"]["mailer"]["command"]
    assert _option(worker, "--queues") == settings.CELERY_TASK_DEFAULT_QUEUE == "celery"
    assert _option(mailer, "--queues") == settings.OFFER_EMAIL_QUEUE == "offer-emails"
    assert _option(mailer, "--concurrency") == "1"


def _check_command(argv: list[str]) -> None:
    program = argv[0]
    if program == "gunicorn":
        assert argv[1:3] == ["-c", "config/gunicorn.conf.py"], (
            f"gunicorn reads its settings file first: {argv}"
        )
        module, _, attr = argv[3].partition(":")
        assert hasattr(importlib.import_module(module), attr), argv
        assert shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin")) or importlib.import_module(
            "gunicorn"
        )
    elif program == "celery":
        assert argv[1] == "-A"
        app_module = importlib.import_module(argv[2])
        assert hasattr(app_module, "celery_app"), "celery -A needs config.celery_app"
        assert argv[3] in {"worker", "beat"}, argv
    elif program == "python":
        assert argv[1] == "manage.py"
        assert argv[2] in get_commands(), f"no management command {argv[2]!r}"
    else:
        pytest.fail(f"unexpected program {program!r} in {argv}")


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "mailer", "beat"])
def test_each_app_service_command_exists_in_the_project(compose, service):
    _check_command(compose["services"][service]["command"])


def _dockerfile_command() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert match, "the Dockerfile has no exec-form CMD"
    return yaml.safe_load(match.group(1))


def test_dockerfile_default_command_exists():
    _check_command(_dockerfile_command())


def _gunicorn_settings(argv: list[str]) -> dict[str, str]:
    """The settings gunicorn runs `argv` with (`--print-config`), without the GUNICORN_* overrides."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GUNICORN_")}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", *argv[1:]],
        cwd=ROOT,
        env={**env, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = (line.partition(" = ") for line in result.stdout.splitlines())
    return {name.strip(): value for name, separator, value in lines if separator}


@pytest.mark.parametrize("where", ["docker-compose.yml", "Dockerfile"])
def test_the_web_command_preloads_the_app_and_warms_the_workers(compose, where):
    argv = compose["services"]["web"]["command"] if where == "docker-compose.yml" else _dockerfile_command()
    settings = _gunicorn_settings(argv)
    assert (settings["bind"], settings["workers"], settings["preload_app"], settings["accesslog"]) == (
        "['0.0.0.0:8000']",
        "4",
        "True",
        "-",
    )
    # The hooks that warm the workers and close every connection before a fork (config/warmup.py).
    hooks = ("when_ready", "pre_fork", "post_fork", "post_worker_init")
    defined = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert sorted(name for name, value in defined.items() if inspect.isfunction(value)) == sorted(hooks)
    assert [settings[hook] for hook in hooks] == [f"<{hook}()>" for hook in hooks]


def test_env_example_names_only_settings_that_are_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = [
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    compose_text = (ROOT / "docker-compose.yml").read_text()
    for name in names:
        read_by_settings = f'"{name}"' in settings_source
        read_by_compose = f"${{{name}" in compose_text
        assert read_by_settings or read_by_compose, f"{name} in .env.example is read by nothing"


def test_compose_app_services_read_the_env_file(compose):
    for service in ("migrate", "web", "worker", "mailer", "beat"):
        assert compose["services"][service]["env_file"] == ".env"
