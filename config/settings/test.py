"""Settings for the test suite; DATABASE_URL and REDIS_URL choose the real services."""

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# Tests run tasks in-process unless a real worker is started (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = env_bool("ALIANZA_CELERY_EAGER", True)
