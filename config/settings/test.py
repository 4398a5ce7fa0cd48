"""Test settings: fast hashing, in-memory email and cache, the database from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://comptoir-test"),
    "pages": env.cache("PAGE_CACHE_URL", default="locmemcache://comptoir-test-pages"),
    "frame": env.cache_url_config("locmemcache://comptoir-test-frame"),
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/comptoir-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
