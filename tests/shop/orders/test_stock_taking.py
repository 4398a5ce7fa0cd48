"""Taking the stock of an order: one guarded UPDATE for every tracked product of the order."""

import pytest
from django.db import transaction

from core.errors import Refusal
from shop.models import Product
from shop.orders.services import placement
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_every_tracked_product_is_decremented_in_one_statement(django_assert_num_queries):
    pan, pot = ProductFactory(stock=5), ProductFactory(stock=9)
    untracked = ProductFactory(stock=0, track_stock=False)
    with django_assert_num_queries(1):
        placement._take_stock([(pan, 2), (pot, 9), (untracked, 4)])
    stock = dict(Product.objects.values_list("pk", "stock"))
    assert (stock[pan.pk], stock[pot.pk], stock[untracked.pk]) == (3, 0, 0)


def test_stock_sold_since_it_was_read_refuses_the_order_and_takes_nothing():
    pan, pot = ProductFactory(stock=5, name="Pan"), ProductFactory(stock=5, name="Pot")
    Product.objects.filter(pk=pot.pk).update(stock=1)  # `pot` still says 5: a stale read
    with pytest.raises(Refusal, match="Pot is out of stock"), transaction.atomic():
        placement._take_stock([(pan, 2), (pot, 3)])
    assert dict(Product.objects.values_list("pk", "stock")) == {pan.pk: 5, pot.pk: 1}


def test_stock_short_when_read_is_refused_before_any_write(django_assert_num_queries):
    pan = ProductFactory(stock=1, name="Pan")
    with pytest.raises(Refusal, match="Pan is out of stock"), django_assert_num_queries(0):
        placement._take_stock([(pan, 2)])
