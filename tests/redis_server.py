"""A private redis-server for tests that stop and restart Redis (marked `resilience`).

The shared Redis on 127.0.0.1:6379 serves the rest of the suite and other checkouts, so it is
never stopped: each test starts its own server on a free port, with no persistence, and
points the cache or the Celery app at it.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time

import kombu.pools
import pytest
import redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _refuses(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) != 0


class PrivateRedis:
    """A redis-server of the test's own; `stop()` really stops it, `start()` restarts it on the same port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed")
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if self.client().ping():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, then wait until the port refuses connections."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process = None
        deadline = time.monotonic() + 10
        while not _refuses(self.port):
            if time.monotonic() > deadline:
                raise AssertionError(f"port {self.port} still accepts connections")
            time.sleep(0.05)


def running_private_redis():
    """For a fixture: `yield from running_private_redis()` gives a started server, stopped afterwards."""
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def reset_celery_connections(app) -> None:
    """Drop the app's connection and producer pools so that the next publish uses the current broker_url.

    kombu keeps its pools in process-wide registries keyed by connection; closing one and
    leaving it registered would hand the closed pool back to the next test ("Acquire on
    closed pool"), so the registries are emptied too.
    """
    kombu.pools.reset()
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


@contextlib.contextmanager
def celery_publishing_to(broker_url: str):
    """The project's Celery app, not eager, publishing to `broker_url`; restored afterwards."""
    from config.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    reset_celery_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_celery_connections(app)
