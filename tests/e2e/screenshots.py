"""Screenshots of the main pages for the README: ``python -m tests.e2e.screenshots``.

Loads the demo into a scratch SQLite database, serves it with Django's development server and
saves 1280 px wide PNGs into docs/screenshots/.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "alianza-demo"
SHOTS = [
    # (file name, login key or None, path)
    ("login", None, "/accounts/login/"),
    ("public-register", None, "/public/"),
    ("facilitator-dashboard", "facilitator", "/"),
    ("partnership-list", "facilitator", "/partnerships/"),
    ("partnership-detail", "facilitator", "/partnerships/{pk}/"),
    ("agreement-builder", "facilitator", "/partnerships/{pk}/design/"),
    ("risk-portfolio", "facilitator", "/risks/"),
    ("official-signoffs", "official", "/partnerships/gates/mine/"),
    ("donor-dashboard", "donor", "/"),
    ("documents", "donor", "/partnerships/{pk}/documents/"),
    ("verify", None, "/verify/"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="alianza-shots-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "ALIANZA_CELERY_EAGER": "1",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    pk = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from actors.models import User; User.objects.update(language='en');"
            "from partnerships.models import Partnership as P;"
            "print(P.objects.filter(phase='operation').order_by('pk').first().pk)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _shoot(f"http://127.0.0.1:{port}", pk)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(scratch, ignore_errors=True)


def _shoot(base: str, pk: str) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.conftest import CHROMIUM_ARGS

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        contexts = {}
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = browser.new_page()
                probe.goto(base + "/health/")
                probe.close()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        for name, who, path in SHOTS:
            if who not in contexts:
                ctx = browser.new_context(
                    base_url=base, viewport={"width": 1280, "height": 800}, locale="en-GB"
                )
                page = ctx.new_page()
                if who:
                    page.goto("/accounts/login/")
                    page.fill("input[name=login]", f"{who}@demo.alianza.org")
                    page.fill("input[name=password]", PASSWORD)
                    with page.expect_navigation():
                        page.press("input[name=password]", "Enter")
                contexts[who] = page
            page = contexts[who]
            page.goto(path.format(pk=pk))
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            print(f"docs/screenshots/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
