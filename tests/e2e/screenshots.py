"""Screenshots of the main pages for the README: ``python -m tests.e2e.screenshots``.

Loads the demo into a scratch SQLite database, serves it with Django's development server and
saves 1280 px wide PNGs into docs/screenshots/.
"""

import json
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
    # (file name, login key or None, path, what the page's <h1> must say)
    ("login", None, "/accounts/login/", "Log in"),
    ("public-register", None, "/public/", "Public register"),
    ("facilitator-dashboard", "facilitator", "/", "Dashboard"),
    ("partnership-list", "facilitator", "/partnerships/", "Partnerships"),
    ("partnership-detail", "facilitator", "/partnerships/{pk}/", "{title}"),
    ("agreement-builder", "facilitator", "/partnerships/{pk}/design/", "{title}"),
    ("risk-portfolio", "facilitator", "/risks/", "Risk"),
    ("official-signoffs", "official", "/partnerships/gates/mine/", "my sign-off"),
    ("donor-dashboard", "donor", "/", "Dashboard"),
    ("documents", "donor", "/partnerships/{pk}/documents/", "Documents"),
    (
        "amendment",
        "facilitator",
        "/partnerships/{amended_pk}/amendments/{amendment_pk}/",
        "Amendment 1",
    ),
    ("verify", None, "/verify/", "Verify"),
]


class WrongPage(SystemExit):
    """A page is not the one the screenshot is meant to show: stop, save nothing more."""


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
    # The partnership shown is written to a file, not read from the command's output (which
    # carries other lines: "N objects imported automatically" once made the URL).
    chosen = scratch / "partnership.json"
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "import json, pathlib;"
            "from actors.models import User; User.objects.update(language='en');"
            "from partnerships.models import Partnership as P;"
            "p = P.objects.filter(phase='operation').order_by('pk').first();"
            "from partnerships.models import Amendment as A;"
            "a = A.objects.filter(number=1).order_by('pk').first();"
            f"pathlib.Path({str(chosen)!r}).write_text(json.dumps({{'pk': p.pk, 'title': p.title,"
            " 'amended_pk': a.partnership_id, 'amendment_pk': a.pk}))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    partnership = json.loads(chosen.read_text())
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _shoot(f"http://127.0.0.1:{port}", partnership)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(scratch, ignore_errors=True)


def _check(page, response, name: str, path: str, heading: str) -> None:
    status = response.status if response else None
    if status != 200:
        raise WrongPage(f"{name}: {path} answered {status}, not 200; nothing more saved")
    found = page.locator("h1").first.inner_text() if page.locator("h1").count() else ""
    if heading.casefold() not in found.casefold():
        raise WrongPage(
            f"{name}: {path} is not the expected page (its heading is {found!r}, expected "
            f"{heading!r}); nothing more saved"
        )


def _shoot(base: str, partnership: dict) -> None:
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
        for name, who, path, heading in SHOTS:
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
                    if "/accounts/login/" in page.url:
                        raise WrongPage(f"{who}@demo.alianza.org could not log in")
                contexts[who] = page
            page = contexts[who]
            path = path.format(**partnership)
            response = page.goto(path)
            _check(page, response, name, path, heading.format(**partnership))
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            print(f"docs/screenshots/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
