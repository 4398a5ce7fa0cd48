"""Development settings: debug on, an insecure key is acceptable because nothing is exposed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
WHITENOISE_AUTOREFRESH = True
