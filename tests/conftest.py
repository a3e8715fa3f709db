"""Shared fixtures. Tests that need a real service are marked; without the service they are
skipped with a reason that says what to start, except under CI, where a skip is a failure."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but {what}", pytrace=False)
    pytest.skip(what)


def _redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing(
                "it needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/alianza"
            )
    wants_redis = item.get_closest_marker("redis") or item.get_closest_marker("celery_worker")
    if wants_redis and not _redis_available():
        _missing("it needs Redis: start redis-server and set REDIS_URL=redis://127.0.0.1:6379/0")
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        _missing("it needs Debian's chromium package (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Every test starts in the default language: a request as a Spanish-speaking user leaves
    Spanish active in the thread (the middleware activates it per request)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (and used authenticator codes) live in the cache, in memory: each test
    starts with none, whatever the tests before it tried."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Fixtures lay down the world as data, in whatever phase it is: a signed partnership with
    its members and indicators. They write through ``amending()``, the one way past the lock on
    signed content; the tests themselves do not, so every rule they exercise holds."""
    from partnerships.models.agreed import amending

    with amending():
        return (yield)


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings):
    """Each test has its own folder of audit checkpoints: they describe one database's trail,
    and each test has its own database state."""
    import shutil
    import uuid

    from reports.models import Document

    folder = f"audit-checkpoints/test-{uuid.uuid4().hex}"
    settings.ALIANZA_AUDIT_CHECKPOINT_DIR = folder
    yield
    storage = Document._meta.get_field("file").storage
    if hasattr(storage, "path"):
        shutil.rmtree(storage.path(folder), ignore_errors=True)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker process on Redis, sharing the test database."""
    from django.db import connection

    from config.celery import app

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ALIANZA_CELERY_EAGER": "0",
    }
    log = open(ROOT / "var" / f"celery-worker-{os.getpid()}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            "1",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if "ready" in (ROOT / "var" / f"celery-worker-{os.getpid()}.log").read_text():
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the Celery worker did not start within 30 s")
    yield proc
    app.conf.task_always_eager = True
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium"):
        _missing("it needs Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


class Mailbox:
    """What a real SMTP server (aiosmtpd, on a free local port) received: parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str):
        return [m for m in self.messages if address in m.envelope_to]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no email #{count} to {address} within {timeout} s")

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def link(self, message, contains: str = "") -> str:
        import re

        links = re.findall(r"https?://[^\s<>\"]+", self.text(message))
        links = [u for u in links if contains in u]
        assert links, f"no link{' with ' + contains if contains else ''} in: {self.text(message)}"
        return links[0]


@pytest.fixture
def smtp(settings):
    """Django sends through a real SMTP server started here; read what arrived in ``.messages``."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (aiosmtpd checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()
