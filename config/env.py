"""The `.env` file beside manage.py, read into the environment before Django picks its
settings module, so that a DJANGO_SETTINGS_MODULE written there is obeyed by manage.py,
gunicorn and the tests alike."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file() -> None:
    """Read `.env` (or the file DJANGO_ENV_FILE names; empty reads none). Variables already
    in the environment win over the file."""
    path = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
    if path:
        environ.Env.read_env(path, overwrite=False)
