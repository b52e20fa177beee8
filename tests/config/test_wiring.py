"""The wiring lives in config/: the Celery app is found there, and district imports nothing above it."""

import ast
from pathlib import Path

import pytest
from celery import current_app

import config
from config.celery import app
from tests.redis_server import celery_publishing_to

ROOT = Path(__file__).resolve().parents[2]


def test_celery_finds_the_app_in_config_and_it_is_the_current_one():
    assert config.celery_app is app
    assert app.main == "config"
    # district reaches the app only as celery.current_app (the readiness probe does): the same object.
    assert current_app._get_current_object() is app


def _imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
    return names


def test_district_imports_neither_the_wiring_nor_the_demo():
    upward = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "district").rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in {"config", "demo"}
    ]
    assert upward == []
    assert _imported_modules(ROOT / "district" / "__init__.py") == []


@pytest.mark.django_db
def test_readyz_reaches_the_broker_through_the_projects_celery_app(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("the broker check needs Redis: set REDIS_URL")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_publishing_to(settings.REDIS_URL):
        reachable = client.get("/readyz").json()["checks"]["broker"]
    with celery_publishing_to("redis://127.0.0.1:1/0"):
        unreachable = client.get("/readyz")
    assert reachable == "ok"
    assert unreachable.status_code == 200  # only the database decides readiness
    assert unreachable.json()["checks"]["broker"] == "error: OperationalError"
