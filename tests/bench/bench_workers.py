"""Progress reports rendered by 1 and by 2 real Celery workers: the throughput ratio.

    BENCH_REPORTS=200 python -m tests.bench.bench_workers

Each round requests BENCH_REPORTS progress reports (20 seeded partnerships, one period each)
through ``reports.services.document_request_progress`` with N ``celery -A config worker -c 1``
processes listening on Redis (REDIS_URL, default redis://127.0.0.1:6379/0; a private queue so
other workers on the same Redis are not involved), and times from the first request to the last
document READY in the database. Database: BENCH_WORKERS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/alianza_bench_workers), dropped and recreated.
"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB_URL = os.environ.get(
    "BENCH_WORKERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alianza_bench_workers"
)
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
REPORTS = int(os.environ.get("BENCH_REPORTS", "200"))
QUEUE = f"bench-workers-{os.getpid()}"
TIMEOUT = float(os.environ.get("BENCH_WORKERS_TIMEOUT", "1800"))


def setup():
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        DATABASE_URL=DB_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        ALIANZA_CELERY_EAGER="0",
    )
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    from config.celery import app

    call_command("migrate", verbosity=0)
    call_command("seed_scale", partnerships=20, batch=20, stdout=open(os.devnull, "w"))  # noqa: SIM115
    app.conf.task_always_eager = False
    app.conf.task_default_queue = QUEUE


def start_workers(n: int) -> list:
    procs = []
    for i in range(n):
        log = ROOT / "var" / f"bench-worker-{os.getpid()}-{i}.log"
        log.parent.mkdir(exist_ok=True)
        procs.append(
            (
                subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1"]
                    + ["-P", "solo", "-Q", QUEUE, "-n", f"bench{i}-{os.getpid()}@%h"]
                    + ["--without-gossip", "--without-mingle", "-l", "info"],
                    cwd=ROOT,
                    env=dict(os.environ),
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
    deadline = time.monotonic() + 60
    for _, log in procs:
        while "ready" not in log.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start: {log}")
            time.sleep(0.2)
    return [p for p, _ in procs]


def stop(procs) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()


def one_round(workers: int, offset: int) -> float:
    from actors.models import User
    from partnerships.models import Partnership
    from reports.models import Document, DocumentStatus
    from reports.services import document_request_progress

    partnerships = list(Partnership.objects.order_by("pk"))
    by = User.objects.get(email="admin@scale.example")
    procs = start_workers(workers)
    try:
        start = time.perf_counter()
        ids = []
        base = datetime.date(2024, 1, 1) + datetime.timedelta(days=offset)
        for i in range(REPORTS):
            document = document_request_progress(
                partnership=partnerships[i % len(partnerships)],
                period_start=base - datetime.timedelta(days=365),
                period_end=base + datetime.timedelta(days=i // len(partnerships)),
                by=by,
            )
            ids.append(document.pk)
        deadline = time.monotonic() + TIMEOUT
        while True:
            done = Document.objects.filter(pk__in=ids, status=DocumentStatus.READY).count()
            if done == len(ids):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{done}/{len(ids)} rendered within {TIMEOUT} s")
            time.sleep(0.1)
        return time.perf_counter() - start
    finally:
        stop(procs)


def main():
    setup()
    results = {}
    for workers, offset in ((1, 0), (2, 400)):
        elapsed = one_round(workers, offset)
        results[workers] = REPORTS / elapsed
        print(
            f"  {REPORTS} progress reports, {workers} worker(s): {elapsed:.1f} s, "
            f"{results[workers]:.2f} reports/s",
            flush=True,
        )
    print(f"  throughput ratio 2/1 workers: {results[2] / results[1]:.2f}x (target >= 1.8)")


if __name__ == "__main__":
    main()
