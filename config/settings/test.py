"""Settings for the test suite; DATABASE_URL and REDIS_URL choose the real services."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# Each test process counts in its own memory: parallel processes share one Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run tasks in-process unless a real worker is started (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = env_bool("ALIANZA_CELERY_EAGER", True)
# One queue per test process: real workers started by parallel test processes (pytest-xdist)
# share the Redis broker but each has its own test database, so they must not take each other's
# tasks. The run id is set once (by the first process, inherited by pytest-xdist's workers) and
# the xdist worker id tells the processes apart; worker and beat subprocesses inherit both.
os.environ.setdefault("ALIANZA_TEST_RUN", str(os.getpid()))
CELERY_TASK_DEFAULT_QUEUE = (
    f"alianza-test-{os.environ['ALIANZA_TEST_RUN']}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
# Each test process has its own checking slots for the verification page (reports/pdf_check.py).
ALIANZA_VERIFY_SLOTS_DIR = (
    VAR_DIR
    / f"verify-{os.environ['ALIANZA_TEST_RUN']}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
# Rate-limit counters in each test process's memory: parallel processes share one Redis, and
# their users' ids overlap. tests/accounts/test_ratelimits.py runs them on Redis once.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALIANZA_MFA_REQUIRED_ROLES = []
