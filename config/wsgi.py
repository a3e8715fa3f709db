"""The WSGI entry point (``gunicorn config.wsgi``). A bare deployment runs the production
settings, which refuse to start without SECRET_KEY and ALLOWED_HOSTS."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
