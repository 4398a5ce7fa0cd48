"""`lock_ids`, the prepared lock of rows by primary key: the rows `lock_rows` gives, in id
order, only inside a transaction, and on PostgreSQL locked until the transaction ends."""

import psycopg
import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from core.locking import lock_id, lock_ids, lock_rows
from shop.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _fields(product):
    return [getattr(product, field.attname) for field in Product._meta.concrete_fields]


def test_locked_rows_are_the_models_rows_in_id_order():
    pan, pot, wok = ProductFactory(), ProductFactory(), ProductFactory()
    with transaction.atomic():
        locked = lock_ids(Product, [wok.pk, pan.pk, wok.pk, 999_999, pot.pk])
        ordinary = lock_rows(Product.objects.filter(pk__in=[pan.pk, pot.pk, wok.pk]))
        assert [product.pk for product in locked] == sorted([pan.pk, pot.pk, wok.pk])
        assert [_fields(product) for product in locked] == [_fields(p) for p in ordinary]
        assert lock_id(Product, 999_999) is None and lock_ids(Product, []) == []


@pytest.mark.django_db(transaction=True)
def test_rows_are_locked_inside_a_transaction_only():
    product = ProductFactory()
    with pytest.raises(TransactionManagementError):
        lock_ids(Product, [product.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_rows_stay_locked_until_the_transaction_ends():
    product = ProductFactory()
    params = connection.get_connection_params()
    server = {name: params.get(name) for name in ("dbname", "user", "password", "host", "port")}
    with psycopg.connect(**server, autocommit=True) as other:
        lock = "SELECT id FROM shop_product WHERE id = %s FOR UPDATE NOWAIT"
        with transaction.atomic():
            lock_id(Product, product.pk)
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(lock, [product.pk])
        assert other.execute(lock, [product.pk]).fetchone() == (product.pk,)
