"""`make bench`: every benchmark, one after the other, against PostgreSQL.

    BENCH_SIZES=10000,100000 BENCH_LOAD_SECONDS=15 python -m tests.bench.run

Environment:
- BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/alianza_bench): dropped and
  recreated, then grown with ``seed_scale`` to each size in BENCH_SIZES in turn; every size is
  measured before growing to the next.
- BENCH_SIZES (default 10000,100000), BENCH_ROUNDS (default 7, the median is reported),
  BENCH_LOAD_SECONDS (default 15), BENCH_LOAD_THREADS (default 8), BENCH_SKIP (comma list of
  ``pages,sweeps,load,pdf,amendments,workers,verify``); BENCH_REPORTS (default 200) progress reports
  rendered by 1 then 2 real Celery workers (tests/bench/bench_workers.py); hostile uploads to
  the public verification page and /health/ meanwhile (tests/bench/bench_verify.py).
"""

import io
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alianza_bench")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",") if s]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "15"))
LOAD_THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "8"))
SKIP = set(os.environ.get("BENCH_SKIP", "").split(","))


def setup():
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    name = DB_URL.rsplit("/", 1)[1]
    import psycopg

    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def median_ms(fn, rounds=ROUNDS):
    fn()  # warm up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_pages(size, results):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from actors.models import User
    from partnerships.models import Partnership

    admin = User.objects.get(email="admin@scale.example")
    facilitator = User.objects.get(email="facilitator0@scale.example")
    for label, user in (("admin", admin), ("facilitator", facilitator)):
        client = Client()
        client.force_login(user)
        visible = Partnership.objects.visible_to(user)
        pk = visible.order_by("-id").values_list("pk", flat=True).first()
        pages = {
            "list": reverse("partnerships:list"),
            "list ?phase=operation": reverse("partnerships:list") + "?phase=operation",
            "detail": reverse("partnerships:detail", args=[pk]),
            "risks portfolio": reverse("risks:portfolio"),
            "dashboard": reverse("dashboard"),
        }
        # The third page of the list: follow the "Older" (keyset) link twice.
        url = reverse("partnerships:list")
        for _ in range(2):
            page = client.get(url).context["page_obj"]
            if page.has_next:
                url = reverse("partnerships:list") + "?after=" + quote(page.next_cursor)
        pages["list page 3"] = url
        if user.is_staff:
            pages["admin changelist"] = reverse("admin:partnerships_partnership_changelist")
        for page, url in pages.items():

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            queries = []
            with connection.execute_wrapper(
                lambda execute, *args: queries.append(1) or execute(*args)
            ):
                get()
            ms = median_ms(get)
            results[(label, page)][size] = (ms, len(queries))
            print(f"  {label:11} {page:24} {ms:8.1f} ms {len(queries):4d} queries", flush=True)


def bench_sweeps(size, results):
    import datetime

    from reminders import sweeps

    today = datetime.date.today()
    for name, sweep in sweeps.SWEEPS.items():
        due = len(sweep(today))
        ms = median_ms(lambda sweep=sweep: sweep(today), rounds=3)
        results[("sweep", str(name))][size] = (ms, due)
        print(f"  sweep {str(name):22} {ms:8.1f} ms {due:6d} due", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_load():
    """The list page under gunicorn (2 workers), a bounded threaded client on loopback."""
    from django.conf import settings
    from django.test import Client

    from actors.models import User

    client = Client()
    client.force_login(User.objects.get(email="facilitator0@scale.example"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/partnerships/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        latencies, errors, lock = [], [0], threading.Lock()
        deadline = time.perf_counter() + LOAD_SECONDS

        def worker():
            while time.perf_counter() < deadline:
                request = urllib.request.Request(url, headers={"Cookie": cookie})
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        response.read()
                        ok = response.status == 200
                except OSError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    print(
        f"  list page, gunicorn 2 workers, {LOAD_THREADS} client threads, {wall:.0f} s: "
        f"{len(latencies) / wall:.1f} req/s, p50 {pct(0.50):.0f} ms, p95 {pct(0.95):.0f} ms, "
        f"p99 {pct(0.99):.0f} ms, {errors[0]} errors of {len(latencies)}",
        flush=True,
    )


def main():
    from collections import defaultdict

    setup()
    from django.core.management import call_command

    from partnerships.models import Partnership

    results = defaultdict(dict)
    for size in SIZES:
        have = Partnership.objects.count()
        print(f"== seeding {have} -> {size} partnerships", flush=True)
        start = time.perf_counter()
        call_command("seed_scale", partnerships=size - have, batch=2000, stdout=io.StringIO())
        print(f"   seeded in {time.perf_counter() - start:.0f} s", flush=True)
        print(f"== {size} partnerships: server time (median of {ROUNDS}) and queries", flush=True)
        if "pages" not in SKIP:
            bench_pages(size, results)
        if "sweeps" not in SKIP:
            bench_sweeps(size, results)
        if "load" not in SKIP and size == SIZES[-1]:
            print(f"== load at {size} partnerships", flush=True)
            bench_load()
    if len(SIZES) > 1:
        small, big = SIZES[0], SIZES[-1]
        print(f"== ratio {big} / {small} (target <= 1.30)")
        for key, by_size in results.items():
            if small in by_size and big in by_size:
                ratio = by_size[big][0] / max(by_size[small][0], 1e-9)
                print(f"  {key[0]:11} {key[1]:24} {ratio:5.2f}x")
    if "pdf" not in SKIP:
        print("== agreement PDF", flush=True)
        subprocess.run([sys.executable, "-m", "tests.bench.bench_pdf", "5"], cwd=ROOT, check=False)
    if "amendments" not in SKIP:
        print("== amendment merged against the edit form saved", flush=True)
        subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_amendments", "5"], cwd=ROOT, check=False
        )
    if "workers" not in SKIP:
        print("== progress reports by 1 and 2 Celery workers", flush=True)
        subprocess.run([sys.executable, "-m", "tests.bench.bench_workers"], cwd=ROOT, check=False)
    if "verify" not in SKIP:
        print("== hostile uploads to the verification page (gunicorn, 2 workers)", flush=True)
        subprocess.run([sys.executable, "-m", "tests.bench.bench_verify"], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
