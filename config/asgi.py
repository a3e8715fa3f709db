"""The ASGI entry point. A bare deployment runs the production settings, which refuse to start
without SECRET_KEY and ALLOWED_HOSTS."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()
