"""Progress reports rendered by 1 and by 2 real Celery workers: the throughput ratio.

    BENCH_REPORTS=200 python -m tests.bench.bench_workers

Each round requests BENCH_REPORTS progress reports (20 seeded partnerships, one period each)
through ``reports.services.document_request_progress`` with N ``celery -A config worker -c 1``
processes on Redis (REDIS_URL, default redis://127.0.0.1:6379/0; a private queue so other
workers on the same Redis are not involved). The requests are queued first (a backlog, as after
an outage), then the workers start; throughput is the reports over the workers' window, from
the first rendering started to the last issued (``started_at``, ``rendered_at``), so neither
the producer nor the workers' start-up competes with or pads the rendering. The wall time from
starting the workers to the last document READY is printed too. Database: BENCH_WORKERS_DATABASE_URL (default
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
        # One administrator queues the whole backlog: no per-person limit here.
        ALIANZA_DOCUMENT_QUEUE_PER_PERSON="0",
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


def one_round(workers: int, offset: int) -> tuple[float, float]:
    from django.db.models import Max, Min

    from actors.models import User
    from partnerships.models import Partnership
    from reports.models import Document, DocumentStatus
    from reports.services import document_request_progress

    partnerships = list(Partnership.objects.order_by("pk"))
    by = User.objects.get(email="admin@scale.example")
    # The backlog, queued before any worker listens.
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
    start = time.perf_counter()
    procs = start_workers(workers)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            done = Document.objects.filter(pk__in=ids, status=DocumentStatus.READY).count()
            if done == len(ids):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{done}/{len(ids)} rendered within {TIMEOUT} s")
            time.sleep(0.5)
        wall = time.perf_counter() - start
        window = Document.objects.filter(pk__in=ids).aggregate(
            first=Min("started_at"), last=Max("rendered_at")
        )
        return (window["last"] - window["first"]).total_seconds(), wall
    finally:
        stop(procs)


def main():
    setup()
    results = {}
    for workers, offset in ((1, 0), (2, 400)):
        window, wall = one_round(workers, offset)
        results[workers] = REPORTS / window
        print(
            f"  {REPORTS} progress reports, {workers} worker(s): {window:.1f} s rendering, "
            f"{results[workers]:.2f} reports/s ({wall:.1f} s from starting the workers)",
            flush=True,
        )
    print(f"  throughput ratio 2/1 workers: {results[2] / results[1]:.2f}x (target >= 1.8)")


if __name__ == "__main__":
    main()
