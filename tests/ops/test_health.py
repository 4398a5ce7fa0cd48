"""`/healthz`: what a load balancer asks before it sends buyers to a process."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from config import health

from .subprocess_settings import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts like a new process: it has not seen the migrations applied yet."""
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_ok_when_the_database_answers_and_migrations_are_applied(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert Session.objects.count() == 0
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_later_probes_cost_one_query(client, django_assert_num_queries):
    client.get("/healthz")
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_unavailable_while_a_migration_is_not_applied(client):
    recorder = MigrationRecorder(connection)
    app, name = sorted(recorder.applied_migrations())[-1]
    recorder.record_unapplied(app, name)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


UNREACHABLE = """
import json
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="shop.example.com")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


NOWHERE = "postgres://nobody@127.0.0.1:9/comptoir?connect_timeout=2"


@pytest.mark.parametrize("module", ["config.settings.test", "config.settings.production"])
def test_unavailable_when_the_database_does_not_answer(module):
    """A PostgreSQL server that is not there (nothing listens on port 9 of the loopback). In
    production the probe over plain HTTP is answered, not redirected to HTTPS."""
    env = {"DATABASE_URL": NOWHERE, "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "shop.example.com"}
    result = run_python(UNREACHABLE, module, env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status": 503, "body": {"status": "unavailable", "database": "unreachable"}}
