"""Import a settings module in a fresh interpreter with a chosen environment, since settings
are computed once per process from the environment."""

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


def run_settings(module: str, env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Run the probe; no `.env` file is read, only `env` (and PATH)."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DJANGO_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": module,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(module: str, env: dict[str, str], *names: str) -> dict:
    result = run_settings(module, env, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
