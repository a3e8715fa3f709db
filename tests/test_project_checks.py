"""Whole-project checks: migrations match the models, and the production settings pass
Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env=None):
    env = dict(env or os.environ)
    # Set by tests/conftest.py for Playwright; it is not part of a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # The child sees the same packages as this process, however the interpreter was found.
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrations_match_the_models():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_reports_nothing_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "AUDIT_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "alianza.example.org",
    }
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        **{k: v for k, v in os.environ.items() if k != "SECRET_KEY"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "alianza.example.org",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# ----- which settings a bare process starts with (issue 15, item 13) -------------------------------

_SHOW_SETTINGS = "from django.conf import settings;print(settings.SETTINGS_MODULE, settings.DEBUG)"


def _bare(*argv, **extra):
    """Run ``python argv...`` as a bare deployment starts it: no DJANGO_SETTINGS_MODULE, none
    of the production values unless ``extra`` gives them."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "AUDIT_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env.update(extra)
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bare_wsgi_or_asgi_process_runs_the_production_settings():
    """``gunicorn config.wsgi`` without DJANGO_SETTINGS_MODULE ran the local settings with DEBUG
    on: ``config/__init__.py`` imports the Celery module, which set the local default first."""
    production = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "AUDIT_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "alianza.example.org",
    }
    # A Celery worker or beat (``celery -A config``) is a deployment too.
    for module in ("config.wsgi", "config.asgi", "config.celery"):
        result = _bare("-c", f"import {module};{_SHOW_SETTINGS}", **production)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split() == ["config.settings.production", "False"], module


def test_a_bare_wsgi_process_without_the_required_settings_names_them():
    for module in ("config.wsgi", "config.asgi"):
        result = _bare("-c", f"import {module}")
        assert result.returncode != 0, module
        assert "ImproperlyConfigured" in result.stderr, result.stderr[-2000:]
        assert "SECRET_KEY must be set" in result.stderr, module
        result = _bare("-c", f"import {module}", SECRET_KEY=secrets.token_urlsafe(60))
        assert "AUDIT_KEY must be set" in result.stderr, module
        result = _bare(
            "-c",
            f"import {module}",
            SECRET_KEY=secrets.token_urlsafe(60),
            AUDIT_KEY=secrets.token_urlsafe(40),
        )
        assert "ALLOWED_HOSTS must list" in result.stderr, module


def test_manage_py_keeps_the_local_settings():
    result = _bare("manage.py", "shell", "--no-imports", "-c", _SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["config.settings.local", "True"]
