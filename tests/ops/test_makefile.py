"""The Makefile a newcomer runs: the Python it needs, the .venv it keeps, where it serves.
Run in a copy of the Makefile, dry (`make -n`) where nothing needs to happen for real."""

import os
import shutil
import subprocess
import sys

import pytest

from .subprocess_settings import ROOT


@pytest.fixture
def checkout(tmp_path):
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def make(directory, *arguments):
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
    )


def interpreter() -> str:
    """What the Makefile records for this interpreter."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    return f"{version} {os.path.realpath(sys.executable)}"


def test_an_old_python_is_refused_with_a_clear_message(checkout):
    old = checkout / "python3.10"
    old.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.10.4"; exit 0; fi\nexit 1\n'
    )
    old.chmod(0o755)
    result = make(checkout, "install", f"PYTHON={old}")
    assert result.returncode != 0
    assert "Comptoir needs Python 3.11 or newer" in result.stderr
    assert "Python 3.10.4" in result.stderr
    assert not (checkout / ".venv").exists()


def test_a_venv_made_by_another_interpreter_is_rebuilt(checkout):
    venv = checkout / ".venv"
    venv.mkdir()
    (venv / ".interpreter").write_text("3.11.2 /usr/bin/python3.11\n")
    (venv / ".runtime-installed").touch()
    result = make(checkout, "-n", "install", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert "rm -rf .venv" in result.stdout
    assert f"{sys.executable} -m venv .venv" in result.stdout


def test_a_venv_made_by_this_interpreter_is_kept(checkout):
    venv = checkout / ".venv"
    venv.mkdir()
    (venv / ".interpreter").write_text(interpreter() + "\n")
    (venv / ".runtime-installed").touch()
    result = make(checkout, "-n", "install", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert "rm -rf" not in result.stdout
    assert "pip install" not in result.stdout


def test_run_serves_the_network_when_asked(checkout):
    default = make(checkout, "-n", "run").stdout
    assert ".venv/bin/python manage.py runserver 127.0.0.1:8000" in default
    assert "ALLOWED_HOSTS" not in default
    network = make(checkout, "-n", "run", "HOST=0.0.0.0", "PORT=8001").stdout
    assert "ALLOWED_HOSTS='*' .venv/bin/python manage.py runserver 0.0.0.0:8001" in network
