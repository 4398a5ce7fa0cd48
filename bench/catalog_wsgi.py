"""The WSGI application bench/catalog.py serves with gunicorn: the production settings with the
URLconf swapped for bench/catalog_urls.py (shop URLs plus the baseline page)."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "bench.catalog_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
