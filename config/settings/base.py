"""Settings shared by every environment; values come from the environment with embedded defaults."""

import hashlib
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ALIANZA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_celery_beat",
    "actors",
    "partnerships",
    "risks",
    "reports",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "actors.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "partnerships.audit.context.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "actors.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alianza.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "actors.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Lima")
USE_I18N = True
USE_TZ = True
# Unambiguous English dates ("15 Nov 2026", ISO in tables); see config/formats/en/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
# Counts and other numbers templates print are grouped ("3,920" / "3.920"); amounts and
# measurements go through actors.numbers ({% load numbers %}). Ids and page numbers in
# addresses and attributes are printed with |unlocalize (tests/test_numbers.py checks them).
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: evidence and attachments are documents, not videos.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
ALIANZA_MAX_UPLOAD_BYTES = env_int("ALIANZA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alianza <alianza@localhost>")

# Celery: with no broker configured, tasks run in-process so `make run` needs nothing else.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# The address people open to reach this installation (scheme, host, port). Everything that
# leaves the browser links to it: PDF footers and QR codes, emails, calendar feeds. `make run`
# sets it from HOST; a deployment sets it to its public https address.
ALIANZA_PUBLIC_URL = env_url("ALIANZA_PUBLIC_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Reminders (app `reminders`): days before a due date on which a reminder goes out, then weekly
# while overdue; how long a sign-off may wait before the awaited approvers are reminded.
ALIANZA_REMINDER_LEAD_DAYS = [
    int(d) for d in env_list("ALIANZA_REMINDER_LEAD_DAYS", ["14", "3", "0"])
]
ALIANZA_GATE_REMINDER_AFTER_DAYS = env_int("ALIANZA_GATE_REMINDER_AFTER_DAYS", 3)
ALIANZA_REMINDER_MAX_ATTEMPTS = env_int("ALIANZA_REMINDER_MAX_ATTEMPTS", 8)
# Default periodic tasks. Not CELERY_BEAT_SCHEDULE: django_celery_beat rewrites those rows at
# every beat start, undoing administrators' changes. `manage.py setup_schedules` creates these
# rows once; administrators then adjust them in the admin (Periodic tasks).
ALIANZA_PERIODIC_TASKS = {
    "reminders: daily sweep": {
        "task": "reminders.tasks.sweep",
        "crontab": {"minute": "0", "hour": "7"},
    },
    "reminders: daily digest": {
        "task": "reminders.tasks.send_digests",
        "crontab": {"minute": "0", "hour": "18"},
    },
    # Hands document requests left behind (broker down, worker killed) to Celery again.
    "reports: requeue stale documents": {
        "task": "reports.tasks.requeue_stale_documents",
        "every": 60,
    },
    # The administrator's counts (partnerships by phase, risk heat map): see partnerships/models/tallies.py.
    "partnerships: fold tallies": {
        "task": "partnerships.tasks.fold_tallies",
        "every": 60,
    },
    # Checks the audit chain and its checkpoints, tells the administrators when it fails, and
    # writes a new checkpoint when it holds (reports.tasks.verify_audit_trail).
    "reports: verify the audit trail": {
        "task": "reports.tasks.verify_audit_trail",
        "crontab": {"minute": "15", "hour": "4"},
    },
    "partnerships: rebuild tallies": {
        "task": "partnerships.tasks.rebuild_tallies",
        "crontab": {"minute": "30", "hour": "3"},
    },
}

# ----- the audit trail (see partnerships/audit/ and README "Audit trail") ---------------------
# The secret that keys the chain's hashes (HMAC-SHA256): never in the database, so whoever can
# write the database cannot recompute the chain. Entries name the id of the key they were
# hashed with; to rotate, give the new key a new AUDIT_KEY_ID and keep the old ones, by id, in
# AUDIT_PREVIOUS_KEYS ("id:secret,id:secret") for as long as their entries are verified.
# Production requires AUDIT_KEY; locally it is derived from SECRET_KEY.
ALIANZA_AUDIT_KEY_ID = env_str("AUDIT_KEY_ID", "1")
ALIANZA_AUDIT_KEYS = {
    **dict(item.split(":", 1) for item in env_list("AUDIT_PREVIOUS_KEYS", []) if ":" in item),
    ALIANZA_AUDIT_KEY_ID: env_str("AUDIT_KEY", "")
    or hashlib.sha256(b"alianza-audit:" + SECRET_KEY.encode()).hexdigest(),
}
# Signed checkpoints of the chain's head (count and hash), written daily, after every signed
# document and after each successful check, as files in the document storage under this prefix.
ALIANZA_AUDIT_CHECKPOINT_DIR = env_str("ALIANZA_AUDIT_CHECKPOINT_DIR", "audit-checkpoints")

# ----- reports: signed PDFs (see reports/README.md) ------------------------------------------
# The installation's signing certificate and key (PEM). Empty: a self-signed pair is created on
# first use under var/signing/. ALIANZA_TSA_URL adds a trusted timestamp (PAdES B-T).
ALIANZA_SIGNING_CERT = env_str("ALIANZA_SIGNING_CERT", "")
ALIANZA_SIGNING_KEY = env_str("ALIANZA_SIGNING_KEY", "")
ALIANZA_SIGNING_KEY_PASSPHRASE = env_str("ALIANZA_SIGNING_KEY_PASSPHRASE", "")
ALIANZA_TSA_URL = env_str("ALIANZA_TSA_URL", "")
# The sweep re-sends queued requests older than this, and retries renderings stuck this long.
ALIANZA_DOCUMENT_REQUEUE_MINUTES = env_int("ALIANZA_DOCUMENT_REQUEUE_MINUTES", 5)
ALIANZA_DOCUMENT_STUCK_MINUTES = env_int("ALIANZA_DOCUMENT_STUCK_MINUTES", 15)
ALIANZA_DOCUMENT_MAX_ATTEMPTS = env_int("ALIANZA_DOCUMENT_MAX_ATTEMPTS", 3)
# How many progress reports one person may have waiting to be generated at a time (each costs
# seconds of a worker and is kept for good); 0 lifts the limit.
ALIANZA_DOCUMENT_QUEUE_PER_PERSON = env_int("ALIANZA_DOCUMENT_QUEUE_PER_PERSON", 3)
# The public verification page (reports/pdf_check.py): what checking one uploaded PDF may cost
# (objects, revisions and signature fields it declares; the checking process's memory and CPU
# seconds), and how many files one anonymous address may check per window.
ALIANZA_VERIFY_MAX_OBJECTS = env_int("ALIANZA_VERIFY_MAX_OBJECTS", 20_000)
ALIANZA_VERIFY_MAX_REVISIONS = env_int("ALIANZA_VERIFY_MAX_REVISIONS", 100)
ALIANZA_VERIFY_MAX_SIGNATURE_FIELDS = env_int("ALIANZA_VERIFY_MAX_SIGNATURE_FIELDS", 100)
ALIANZA_VERIFY_MEMORY_MB = env_int("ALIANZA_VERIFY_MEMORY_MB", 768)
ALIANZA_VERIFY_SECONDS = env_int("ALIANZA_VERIFY_SECONDS", 5)
# Checks at once on one machine; a further upload waits 1 s for a slot, then is told to retry.
ALIANZA_VERIFY_CONCURRENT_CHECKS = env_int("ALIANZA_VERIFY_CONCURRENT_CHECKS", 1)
ALIANZA_VERIFY_SLOTS_DIR = Path(env_str("ALIANZA_VERIFY_SLOTS_DIR", str(VAR_DIR / "verify")))
ALIANZA_VERIFY_ANONYMOUS_FILES = env_int("ALIANZA_VERIFY_ANONYMOUS_FILES", 20)
ALIANZA_VERIFY_WINDOW_SECONDS = env_int("ALIANZA_VERIFY_WINDOW_SECONDS", 600)
# Reverse proxies of this installation in front of the web processes (docker-compose: nginx,
# 1): the client's address is then read from X-Forwarded-For (audit trail, rate limits).
ALIANZA_PROXY_HOPS = env_int("ALIANZA_PROXY_HOPS", 0)
# Django's cache holds counters that every web process must share (the verification page's
# limit per address): Redis when one is configured (CACHE_URL, else REDIS_URL), else memory.
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "alianza",
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# ----- REST API (see config/api.py) ---------------------------------------------------------------
INSTALLED_APPS += [  # noqa: F405 - appended so the app list above stays as each branch left it
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
REST_FRAMEWORK = {
    # The API takes JSON only; the test client sends what a real client does.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Token first: an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api_base.lists.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "api_base.lists.FilterBackend",
        "api_base.lists.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # Request bodies are JSON, one content type per operation: clients generated from the schema
    # (openapi-python-client) break on an operation offering three. No endpoint takes a file.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "api_base.rest.AutoSchema",
    "EXCEPTION_HANDLER": "api_base.rest.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alianza API",
    "DESCRIPTION": "Partnerships for development through their whole life: actors, partnerships "
    "and their parts, lifecycle transitions, exports (CSV, XLSX, IATI 2.03). Get a token with "
    "`POST /api/token/` (your email address and password) and send it as "
    "`Authorization: Token <token>`; request bodies are JSON. An id you may not see answers as "
    "one that does not exist: 404 for a record, an empty list for a filter.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "partnerships.models.Phase",
        "MemberRoleEnum": "partnerships.models.MemberRole",
        "SectorEnum": "actors.models.Sector",
        "ClosureOutcomeEnum": "partnerships.models.ClosureOutcome",
    },
}

# ----- IATI 2.03 export (partnerships/exports/iati.py) ----------------------------------------------------
# The reporting organisation and the prefix of every iati-identifier: set them per installation.
ALIANZA_IATI_REPORTING_ORG_REF = env_str("ALIANZA_IATI_REPORTING_ORG_REF", "XI-IATI-ALIANZA")
ALIANZA_IATI_REPORTING_ORG_NAME = env_str("ALIANZA_IATI_REPORTING_ORG_NAME", "Alianza")
ALIANZA_IATI_REPORTING_ORG_TYPE = env_str("ALIANZA_IATI_REPORTING_ORG_TYPE", "21")
# The IATI 2.03 schema and code lists: vendored in partnerships/iati_data/ (see its README); the
# export's checker and the sector codes the forms offer read them. A newer copy may be named here.
ALIANZA_IATI_DIR = Path(env_str("ALIANZA_IATI_DIR", str(BASE_DIR / "partnerships" / "iati_data")))

# ----- Actor import (actors/importing.py) ----------------------------------------------------------
ALIANZA_IMPORT_MAX_BYTES = env_int("ALIANZA_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
ALIANZA_IMPORT_MAX_ROWS = env_int("ALIANZA_IMPORT_MAX_ROWS", 2000)

# ----- Accounts: django-allauth (login, reset, email, second factors, sessions); accounts/README.md
INSTALLED_APPS += [  # noqa: F405
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = True
# Nobody signs up: people are invited (accounts.invitations) or created by an administrator.
# Addresses are verified when an invitation is accepted or an address is added or changed.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alianza] "
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ALIANZA_REAUTH_SECONDS", 300)
# One table of limits, "amount/period/per" (per ip, user or key: the address or account), for
# allauth's own actions and Alianza's (accounts/ratelimits.py). Counters in the cache.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("ALIANZA_RL_LOGIN", "30/m/ip"),
    # Failed logins: per address (ip) and per account (key: the email typed).
    "login_failed": env_str("ALIANZA_RL_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("ALIANZA_RL_RESET_PASSWORD", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": env_str("ALIANZA_RL_REAUTHENTICATE", "10/m/user"),
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
    "signup": "20/m/ip",
    # Alianza's: wrong credentials when signing off (page and API alike), per person.
    "signoff_failed": env_str("ALIANZA_RL_SIGNOFF_FAILED", "5/5m/user"),
    # API: getting a token (every attempt per address; failures per account) and decisions.
    "api_token": env_str("ALIANZA_RL_API_TOKEN", "20/m/ip"),
    "api_token_failed": env_str("ALIANZA_RL_API_TOKEN_FAILED", "5/5m/key"),
    "api_signoff": env_str("ALIANZA_RL_API_SIGNOFF", "10/m/user"),
    "invitation_accept": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = env_str("ALIANZA_TOTP_ISSUER", "Alianza")
# Accounts exist only by invitation (the link proves the address) or by an administrator, so
# an unverified address cannot be someone else's claim: second factors need not wait for it.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Passkeys need a secure origin; http://localhost counts as one (open `make run` there).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("ALIANZA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# Sessions are recorded at login (the Security page lists them); tracking each request's
# activity would write on every page view.
USERSESSIONS_TRACK_ACTIVITY = False
# allauth's per-address limits count clients behind the same proxies as the audit trail.
ALLAUTH_TRUSTED_PROXY_COUNT = ALIANZA_PROXY_HOPS
# Who must have a second factor: roles (actors.Role values) and "signatory" (the authorised
# signatory of any member). Empty on a laptop (the demo logins work with the password alone);
# production defaults to officials, signatories and administrators (config/settings/production.py).
ALIANZA_MFA_REQUIRED_ROLES = env_list("ALIANZA_MFA_REQUIRED_ROLES", [])
ALIANZA_INVITATION_DAYS = env_int("ALIANZA_INVITATION_DAYS", 7)
ALIANZA_API_TOKEN_DAYS = env_int("ALIANZA_API_TOKEN_DAYS", 90)

# ----- The top layer: the portal (dashboards, public register) and the demo ----------------------
# Last of the apps: they may import every other app and are imported by none.
INSTALLED_APPS += ["portal", "demo"]  # noqa: F405
