"""Production serves static files with WhiteNoise: collectstatic works under production settings
and produces the hashed, compressed files WhiteNoise serves."""

import os
import subprocess
import sys

from django.conf import settings


def test_collectstatic_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 64,
        "AUDIT_KEY": "y" * 40,
        "ALLOWED_HOSTS": "alianza.example.org",
        "STATIC_ROOT": str(tmp_path),
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
    }
    code = (
        "import django; django.setup();"
        "from django.conf import settings; settings.STATIC_ROOT = " + repr(str(tmp_path)) + ";"
        "from django.core.management import call_command;"
        "call_command('collectstatic', '--noinput', verbosity=0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()  # the manifest of hashed names
    assert list(tmp_path.glob("css/alianza.*.css.gz"))  # compressed for WhiteNoise
    assert list(tmp_path.glob("vendor/htmx/htmx.min.*.js"))
    assert list(tmp_path.glob("favicon.*.ico"))


def test_the_favicon_is_served_at_the_root_and_linked_by_every_page(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response["Cache-Control"]
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in page
    assert 'href="/static/favicon.svg" type="image/svg+xml"' in page
    assert 'href="data:,"' not in page
