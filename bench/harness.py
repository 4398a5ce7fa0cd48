"""What the benchmark scripts share: the production-like environment, a local PostgreSQL
database, manage.py as a subprocess, and a gunicorn server on a free loopback port.

Loopback only: a database URL naming another host is refused."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def production_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings with DEBUG off and HTTPS redirects off (plain HTTP on loopback)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(DATA / "media"),
        STATIC_ROOT=str(DATA / "static"),
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    env.update(overrides)
    return env


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


def connect(database_url: str, dbname: str | None = None):
    """An autocommit psycopg connection to a local PostgreSQL database."""
    import psycopg

    parts = urlsplit(database_url)
    if parts.hostname not in LOOPBACK:
        sys.exit("the benchmarks run against a local database only")
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=dbname or parts.path.lstrip("/"),
        autocommit=True,
    )


def ensure_postgres_database(database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    with connect(database_url, "postgres") as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def manage(env: dict[str, str], *arguments: str, quiet: bool = True, root: Path = ROOT) -> None:
    """`manage.py` of the tree at `root` (another checkout when a bench compares two)."""
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [PYTHON, str(root / "manage.py"), *arguments],
        cwd=root,
        env=env,
        check=True,
        stdout=output,
    )


def prepare_catalogue(database_url: str, env: dict[str, str], products: int) -> None:
    """The bench database migrated and seeded with `products` products (a catalogue already
    that large is reused), its static files collected for the production storage."""
    DATA.mkdir(parents=True, exist_ok=True)
    if is_postgres(database_url):
        ensure_postgres_database(database_url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    code = "from shop.models import Product; print(Product.objects.count())"
    counted = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    count = int(counted.stdout.split()[-1])
    if count >= products:
        print(f"reusing the catalogue: {count} products")
    else:
        print(f"seeding {products} products (found {count})")
        manage(env, "seed_demo", "--products", str(products), quiet=False)
    print(f"catalogue ready in {time.monotonic() - started:.1f}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """`application` served by sync workers on 127.0.0.1 from the tree at `root`; always
    stopped by `stop()`."""

    def __init__(self, env: dict[str, str], application: str, workers: int, root: Path = ROOT):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                application,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                "--chdir",
                str(root),
                "--log-level",
                "warning",
            ],
            cwd=root,
            env=env,
        )

    def wait_ready(self, answers: Callable[[int], bool], timeout: float = 30) -> None:
        """Wait until `answers(port)` is true (it may raise OSError while gunicorn starts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            try:
                if answers(self.port):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
