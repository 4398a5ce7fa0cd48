"""A kept PostgreSQL connection is checked before a request's first query without a round trip
to the server (`core.postgresql`), and one the server ended is replaced before the request
uses it."""

import time

import psycopg
import pytest
from django.db import connection, connections

from shop.models import Product
from tests.factories import ProductFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


def test_the_shop_talks_to_postgresql_through_its_own_backend():
    assert type(connections["default"]).__module__ == "core.postgresql.base"


def test_a_healthy_kept_connection_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()

    def no_query(*_args, **_kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(psycopg.Connection, "cursor", no_query)
    monkeypatch.setattr(psycopg.Connection, "execute", no_query)
    assert connection.is_usable()


def test_a_connection_the_server_ended_is_replaced_before_the_next_request():
    ProductFactory(sku="KIT-105")
    connection.ensure_connection()
    ended = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    server = {name: params.get(name) for name in ("dbname", "user", "password", "host", "port")}
    with psycopg.connect(**server, autocommit=True) as administrator:
        administrator.execute("SELECT pg_terminate_backend(%s)", [ended])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable()

    # A request's start, with the connection kept (CONN_MAX_AGE) and health checks on.
    connection.close_at, connection.health_check_enabled = None, True
    connection.close_if_unusable_or_obsolete()
    assert Product.objects.filter(sku="KIT-105").exists()
    assert connection.connection.info.backend_pid != ended
