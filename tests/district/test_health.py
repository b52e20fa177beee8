"""The health probes: /healthz is liveness only, /readyz reports the database, Redis and the broker."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "broker"}


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_redis_without_failing(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"].startswith("error:")


def test_readyz_is_503_when_the_database_is_down(client, monkeypatch):
    from district import views

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
