"""Production: every secret and host must come from the environment; start-up fails otherwise."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY
from .env import env_bool, env_int, env_list, env_str

DEBUG = False

if not env_str("SECRET_KEY") or SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50 characters or more.")
if len(env_str("AUDIT_KEY")) < 32:
    raise ImproperlyConfigured(
        "AUDIT_KEY must be set to a random value of 32 characters or more (it keys the audit "
        "trail's hashes; keep it apart from the database and its backups)."
    )
if not env_str("ALLOWED_HOSTS") or any(h in {"*", "localhost", "127.0.0.1"} for h in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the real host names this installation serves (comma-separated)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Second factors for the people who move public commitments (see accounts/README.md).
ALIANZA_MFA_REQUIRED_ROLES = env_list(
    "ALIANZA_MFA_REQUIRED_ROLES", ["official", "signatory", "administrator"]
)
