"""The storefront never shows a rule's internal name: it shows what the buyer gets, in the
terms they see (net or gross)."""

from decimal import Decimal

import pytest

from tests.factories import CartDiscountFactory, PriceRuleFactory
from tests.shop.conftest import add, go_to_review

pytestmark = pytest.mark.django_db


def test_the_review_shows_the_saving_not_the_rule_name(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    PriceRuleFactory(
        product=pan, kind="amount_off", value=Decimal("2.00"), name="Pan: internal clearance"
    )
    add(client, pan, 2)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping)
    body = review.content.decode()
    assert "internal clearance" not in body
    line = review.context["quote"].lines[0]
    assert line.display_saving > 0
    assert f"You save €{line.display_saving}" in body


def test_a_percentage_cart_discount_is_labelled_by_its_percentage(client, shop_products):
    pan, _pot = shop_products
    CartDiscountFactory(name="Q2 loyalty push", kind="percent", value=Decimal("5"))
    add(client, pan, 3)
    body = client.get("/cart/").content.decode()
    assert "Cart discount −5 %" in body and "Q2 loyalty push" not in body
