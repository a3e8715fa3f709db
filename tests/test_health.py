import pytest


@pytest.mark.django_db
def test_health_reports_each_part(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"] == "ok"
    assert body["checks"]["broker"] in {"ok", "in-process"}


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


def test_each_test_process_has_its_own_celery_queue(settings):
    # Parallel test processes start real workers on one Redis: a shared queue would let one
    # process's worker take another's tasks (and look for the rows in the wrong database).
    import os

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert settings.CELERY_TASK_DEFAULT_QUEUE.endswith(f"-{worker}")
    from config.celery import app

    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
