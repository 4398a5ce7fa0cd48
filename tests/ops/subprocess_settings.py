"""Run Python in a fresh interpreter with a chosen environment, since settings are computed
once per process from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json, sys
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: getattr(settings, name, None) for name in names}, default=str))
"""


def run_python(code: str, module: str, env: dict[str, str], *arguments: str):
    """Run `code` with DJANGO_SETTINGS_MODULE=module; no `.env` file is read, only `env`."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DJANGO_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": module,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    """`manage.py` as an operator runs it: no DJANGO_SETTINGS_MODULE unless `env` has one."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_ENV_FILE": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_settings(module: str, env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    return run_python(PROBE, module, env, *names)


def read_settings(module: str, env: dict[str, str], *names: str) -> dict:
    result = run_settings(module, env, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
