"""Production settings: every secret from the environment, HTTPS only, static files through
WhiteNoise with hashed names, persistent database connections. Fails at start-up when
SECRET_KEY or DATABASE_URL is missing."""

from django.core.exceptions import ImproperlyConfigured

from config.payments import payment_variants

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, SECRET_KEY, STORAGES, TASK_BACKENDS, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
# No silent fallback to a SQLite file beside the code: SQLite only when named.
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in the environment for production, e.g. "
        "postgres://user:password@host:5432/comptoir, or sqlite:////srv/comptoir/db.sqlite3 "
        "to choose SQLite."
    )
# Emails wait in the database for `manage.py db_worker`: a slow or failing mail server never
# holds up a request.
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env("TASKS_BACKEND", default="database")]}}

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Card payments: none until SHOP_CARD_PROVIDER names a real provider (README, Configuration).
SHOP_CARD_PROVIDER, PAYMENT_VARIANTS = payment_variants(env, default_provider="")
PAYMENT_HOST = env("PAYMENT_HOST", default=ALLOWED_HOSTS[0] if ALLOWED_HOSTS else "")
PAYMENT_USES_SSL = env.bool("PAYMENT_USES_SSL", default=True)
