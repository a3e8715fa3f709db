"""Helpers for the fault tests: real Celery worker processes and a private redis-server."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``celery -A config worker -c 1`` on ``broker``, sharing the test database."""

    def __init__(self, broker: str, name: str):
        self.log_path = ROOT / "var" / f"fault-worker-{os.getpid()}-{name}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ALIANZA_CELERY_EAGER": "0",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-P", "solo"]
            + ["-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
            + ["-l", "info"],
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while "ready" not in self.log_path.read_text():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"the Celery worker did not start: {self.log_path.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def workers(private_redis):
    """Start workers with ``workers(broker_url, name)``; they are stopped after the test.

    It asks for ``private_redis`` so that the workers stop before that broker does: a worker
    whose broker vanished first keeps trying to hand its unacknowledged message back, and may
    ignore SIGTERM until it is killed 15 s later."""
    started = []

    def start(broker: str, name: str) -> Worker:
        worker = Worker(broker, name)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a spare port, which the test may stop and start again
    (the shared Redis on 6379 is never touched)."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.skip("it needs redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the private redis-server did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker():
    """Point this process's Celery app at a broker URL (and back afterwards)."""
    from config.celery import app

    before = app.conf.broker_url

    def use(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.task_always_eager = False

    yield use
    use(before)
    app.conf.task_always_eager = True


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
