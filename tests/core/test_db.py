"""The fixed reads every request runs are prepared once per connection on PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.db import columns_of, prepared_cursor, prepared_raw
from shop.models import Product
from tests.factories import CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_prepared_read_answers_as_an_ordinary_one():
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s || '-' || %s", ["KIT", "105"])
        assert cursor.fetchone() == ("KIT-105",)


def test_a_prepared_raw_read_gives_the_models_an_ordinary_one_does():
    kettle = ProductFactory(name="Copper kettle", base_price=Decimal("24.90"))
    sql = f"SELECT {columns_of(Product)}, 7 AS shelf FROM shop_product WHERE id = %s"
    (prepared,) = prepared_raw(Product, sql, [kettle.pk])
    (ordinary,) = Product.objects.raw(sql, [kettle.pk])
    assert prepared == kettle and prepared.shelf == ordinary.shelf == 7
    assert prepared.base_price == ordinary.base_price == Decimal("24.90")
    assert {f.attname: getattr(prepared, f.attname) for f in Product._meta.concrete_fields} == {
        f.attname: getattr(ordinary, f.attname) for f in Product._meta.concrete_fields
    }


def test_a_prepared_raw_read_run_again_converts_its_rows_the_same_way():
    kettle = ProductFactory(name="Copper kettle", base_price=Decimal("24.90"))
    sql = f"SELECT {columns_of(Product)}, 7 AS shelf FROM shop_product WHERE id = %s"
    (first,) = prepared_raw(Product, sql, [kettle.pk])
    Product.objects.filter(pk=kettle.pk).update(base_price=Decimal("19.50"))
    (again,) = prepared_raw(Product, sql, [kettle.pk])
    assert again is not first and again.shelf == 7
    assert (first.base_price, again.base_price) == (Decimal("24.90"), Decimal("19.50"))
    assert again.updated_at == Product.objects.get(pk=kettle.pk).updated_at


def test_a_prepared_raw_read_without_the_primary_key_is_refused():
    with pytest.raises(FieldDoesNotExist):
        prepared_raw(Product, "SELECT name FROM shop_product")


@on_postgresql
def test_a_customer_s_page_reads_its_session_and_account_through_prepared_statements():
    CategoryFactory(name="Kitchen", slug="kitchen")
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/c/kitchen/").status_code == 200
    statements = _prepared()
    assert any("FROM django_session" in statement for statement in statements)
    assert any("shop_storefrontversion" in statement for statement in statements)


@on_postgresql
def test_while_queries_are_logged_they_are_bound_by_django_and_shown_whole():
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %s || 'logged'", ["all "])
        assert cursor.fetchone() == ("all logged",)
    assert queries[0]["sql"] == "SELECT 'all ' || 'logged'"
    assert not any("logged" in statement for statement in _prepared())


@on_postgresql
def test_switched_off_nothing_is_prepared(monkeypatch):
    monkeypatch.delitem(connection.settings_dict["OPTIONS"], "prepare_threshold")
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s || 'switched off'", ["nothing "])
    assert not any("switched off" in statement for statement in _prepared())


@on_postgresql
def test_a_query_the_orm_runs_again_and_again_is_planned_once_by_its_connection():
    ProductFactory(sku="PLAN-ONCE")
    assert not any('"sku" = $1' in statement for statement in _prepared())
    for _ in range(3):
        assert Product.objects.filter(sku="PLAN-ONCE").count() == 1
    assert any('"shop_product"."sku" = $1' in statement for statement in _prepared())
