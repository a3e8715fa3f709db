"""The Celery app. Without REDIS_URL, tasks run eagerly in-process (see settings).

``config/__init__.py`` imports this module first, whatever entry point is loaded, so its default
settings module is every process's default: production, as for ``config.wsgi`` and ``config.asgi``
(a worker or beat started bare is a deployment too). Only ``manage.py`` defaults to the local
settings, because it sets its default before it imports anything of ``config``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("alianza")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _import_every_tasks_module(sender, **kwargs):
    """Register every app's tasks in every process, not only in workers: the web process hands
    a document to its task by name (``reports.services.requests``), so the name must be known
    there too. Autodiscovery otherwise runs only when a worker starts."""
    sender.loader.import_default_modules()
