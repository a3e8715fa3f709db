"""Settings shared by every environment; values come from the environment with embedded defaults."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

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
    "actors.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "partnerships.audit.AuditContextMiddleware",
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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
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

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Re-authentication ("sudo mode") before a sign-off stays valid this many seconds.
ALIANZA_REAUTH_SECONDS = env_int("ALIANZA_REAUTH_SECONDS", 300)

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
    # The administrator's counts (partnerships by phase, risk heat map): see partnerships/tallies.py.
    "partnerships: fold tallies": {
        "task": "partnerships.tasks.fold_tallies",
        "every": 60,
    },
    "partnerships: rebuild tallies": {
        "task": "partnerships.tasks.rebuild_tallies",
        "crontab": {"minute": "30", "hour": "3"},
    },
}

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

# ----- REST API (see config/api.py) ---------------------------------------------------------------
INSTALLED_APPS += [  # noqa: F405 - appended so the app list above stays as each branch left it
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
REST_FRAMEWORK = {
    # Token first: an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.rest_lists.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "config.rest_lists.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.rest.AutoSchema",
    "EXCEPTION_HANDLER": "config.rest.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alianza API",
    "DESCRIPTION": "Partnerships for development through their whole life: actors, partnerships "
    "and their parts, lifecycle transitions, exports (CSV, XLSX, IATI 2.03).",
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

# ----- IATI 2.03 export (partnerships/iati.py) ----------------------------------------------------
# The reporting organisation and the prefix of every iati-identifier: set them per installation.
ALIANZA_IATI_REPORTING_ORG_REF = env_str("ALIANZA_IATI_REPORTING_ORG_REF", "XI-IATI-ALIANZA")
ALIANZA_IATI_REPORTING_ORG_NAME = env_str("ALIANZA_IATI_REPORTING_ORG_NAME", "Alianza")
ALIANZA_IATI_REPORTING_ORG_TYPE = env_str("ALIANZA_IATI_REPORTING_ORG_TYPE", "21")
# The IATI schema and code lists (not part of the repository); used by the checker only.
ALIANZA_IATI_DIR = Path(env_str("ALIANZA_IATI_DIR", str(BASE_DIR.parent / "shared" / "iati")))

# ----- Actor import (actors/importing.py) ----------------------------------------------------------
ALIANZA_IMPORT_MAX_BYTES = env_int("ALIANZA_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
ALIANZA_IMPORT_MAX_ROWS = env_int("ALIANZA_IMPORT_MAX_ROWS", 2000)

# ----- Demo data (demo/: load_demo, seed_scale) ---------------------------------------------------
# Last of the apps: the top layer, which may import every other app and is imported by none.
INSTALLED_APPS += ["demo"]  # noqa: F405
