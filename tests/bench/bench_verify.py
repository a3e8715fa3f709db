"""Hostile uploads to the public verification page, under gunicorn (2 sync workers).

    python -m tests.bench.bench_verify

Prints, for each hostile file (tests/reports/hostile_pdf.py: a genuine signed PDF followed by
an update that declares ~145,000 signature fields, about 9 MB; the same number hidden in a
compressed object stream that understates the object count; 5,000 hidden fields, which only
the checking process finds), the time the page takes to
answer one upload and what it answered; then ``/health/``'s latency (polled every 0.2 s)
while two clients upload such a file again and again (BENCH_VERIFY_LOAD_SECONDS, default 10),
which would keep both workers busy. A small file signed by the installation (never issued, so
"Not authentic", but fully checked) is timed too, for reference.

Database: BENCH_VERIFY_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/alianza_bench_verify), dropped and recreated.
BENCH_VERIFY_ROUNDS (default 3): uploads per file (the median is reported).
"""

import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB_URL = os.environ.get(
    "BENCH_VERIFY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alianza_bench_verify"
)
ROUNDS = int(os.environ.get("BENCH_VERIFY_ROUNDS", "3"))
FIELDS = 145_000
LOAD_SECONDS = float(os.environ.get("BENCH_VERIFY_LOAD_SECONDS", "10"))
ANSWER_TIMEOUT = 300


def setup():
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="config.settings.test")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def files() -> dict[str, bytes]:
    from reports import services, signing
    from tests.reports.hostile_pdf import hostile_pdf

    genuine = signing.sign_pdf(
        services.html_to_pdf("<p>Acta de la alianza</p>"),
        reason="Bench",
        verification_code="BNCH-VRFY-0001",
    )
    return {
        "signed here, never issued": genuine,
        f"{FIELDS:,} signature fields": hostile_pdf(genuine, fields=FIELDS),
        f"{FIELDS:,} fields, compressed": hostile_pdf(
            genuine, fields=FIELDS, compressed=True, honest_size=False
        ),
        # Few enough objects for the raw counts, and no field visible: the child refuses it.
        "5,000 fields, compressed": hostile_pdf(genuine, fields=5_000, compressed=True),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A gunicorn server of this checkout on a free loopback port."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            # The bench measures the checking, not the per-address limit.
            ALIANZA_VERIFY_ANONYMOUS_FILES="1000000",
        )
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--log-level", "warning"]
            + ["--timeout", str(ANSWER_TIMEOUT)],
            cwd=ROOT,
            env=env,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.base}/health/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)

    def verify(self, data: bytes) -> tuple[float, int, str]:
        """(seconds, status, what the page said) for one anonymous upload."""
        token = secrets.token_hex(16)  # Django accepts any 32-character token it set itself
        boundary = secrets.token_hex(12)
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{token}\r\n"
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="file"; filename="document.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            f"{self.base}/verify/",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": f"csrftoken={token}",
                "Referer": f"{self.base}/verify/",
            },
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=ANSWER_TIMEOUT) as response:
                page, status = response.read().decode(), response.status
        except urllib.error.HTTPError as error:
            page, status = error.read().decode(), error.code
        except OSError as error:
            return time.perf_counter() - start, 0, f"no answer ({error})"
        elapsed = time.perf_counter() - start
        for said in (
            "This file could not be checked",
            "Authentic: Alianza issued this file",
            "Not authentic",
        ):
            if said in page:
                return elapsed, status, said
        return elapsed, status, "?"


def health_while(site: Site, data: bytes) -> tuple[list[float], list[float]]:
    """/health/ latencies while two clients upload ``data`` again and again for LOAD_SECONDS
    (each at least once), and the uploads' answer times."""
    answers, latencies = [], []
    deadline = time.perf_counter() + LOAD_SECONDS

    def client():
        while True:
            answers.append(site.verify(data)[0])
            if time.perf_counter() > deadline:
                return

    uploads = [threading.Thread(target=client) for _ in range(2)]
    for t in uploads:
        t.start()
    time.sleep(0.05)
    while True:
        start = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{site.base}/health/", timeout=ANSWER_TIMEOUT).read()
        latencies.append(time.perf_counter() - start)
        if not any(t.is_alive() for t in uploads):
            break
        time.sleep(0.2)
    for t in uploads:
        t.join()
    return latencies, answers


def main():
    setup()
    samples = files()
    site = Site()
    try:
        print(f"  one upload at a time (median of {ROUNDS}):", flush=True)
        for label, data in samples.items():
            results = [site.verify(data) for _ in range(ROUNDS)]
            seconds = statistics.median(r[0] for r in results)
            _, status, said = results[-1]
            print(
                f"    {label:32} {len(data) / 1e6:5.1f} MB  {seconds * 1000:8.0f} ms  "
                f"{status} {said!r}",
                flush=True,
            )
        idle = []
        for _ in range(10):
            start = time.perf_counter()
            urllib.request.urlopen(f"{site.base}/health/", timeout=ANSWER_TIMEOUT).read()
            idle.append(time.perf_counter() - start)
            time.sleep(0.1)
        print(
            f"  /health/ alone: median {statistics.median(idle) * 1000:.0f} ms, "
            f"max {max(idle) * 1000:.0f} ms",
            flush=True,
        )
        print("  /health/ while two uploads are checked at once:", flush=True)
        for label, data in samples.items():
            if label.startswith("signed here"):
                continue
            latencies, answers = health_while(site, data)
            print(
                f"    {label:32} {len(answers)} uploads, slowest {max(answers) * 1000:6.0f} ms; /health/ "
                f"{len(latencies)} polls, median {statistics.median(latencies) * 1000:5.0f} ms, "
                f"max {max(latencies) * 1000:6.0f} ms",
                flush=True,
            )
    finally:
        site.stop()


if __name__ == "__main__":
    main()
