"""The cart in the buyer's terms: gross lines that are the shown unit price x quantity, and
the next cart discount the buyer can reach, said incl. or excl. VAT."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    CartDiscountFactory,
    CustomerGroupFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add

pytestmark = pytest.mark.django_db


def next_discount_notice(client) -> str | None:
    body = client.get("/cart/").content.decode()
    start = body.find("notice-next-discount")
    if start < 0:
        return None
    return body[body.index(">", start) + 1 : body.index("</p>", start)]


@pytest.fixture
def wholesale_client(db):
    client = Client()
    client.force_login(UserFactory(group=WholesaleGroupFactory(min_order_subtotal=None)))
    return client


def test_a_hundred_pens_shown_at_2_59_cost_259_00(client, shop_products):
    pen = ProductFactory(category=shop_products[0].category, base_price=Decimal("2.16"))
    add(client, pen, 100)
    response = client.get("/cart/")
    quote = response.context["page"].quote
    [line] = quote.lines
    assert (line.display_unit_price, line.display_total) == (Decimal("2.59"), Decimal("259.00"))
    assert quote.gross_total == Decimal("259.00")  # was 259.20: tax rounded on the net line
    assert (quote.net_total, quote.tax_total) == (Decimal("215.83"), Decimal("43.17"))
    body = response.content.decode()
    assert "€259.00" in body and "€259.20" not in body


@pytest.mark.parametrize(
    ("quantity", "notice"),
    [
        (5, "Spend €60.00 more incl. VAT for 5 % off"),  # 60.00 of 120.00 incl. VAT
        (9, "Spend €12.00 more incl. VAT for 5 % off"),
        (10, None),  # exactly 120.00: the discount applies
        (11, None),
    ],
)
def test_a_gross_buyer_is_told_the_next_discount_incl_vat(client, shop_products, quantity, notice):
    pan, _pot = shop_products  # 10.00 net, 12.00 incl. VAT
    CartDiscountFactory(kind="percent", value=Decimal("5"), min_subtotal=Decimal("120"))
    add(client, pan, quantity)
    assert next_discount_notice(client) == notice
    quote = client.get("/cart/").context["page"].quote
    assert (quote.discount is not None) is (notice is None)


@pytest.mark.parametrize(
    ("quantity", "notice"),
    [
        (10, "Spend €20.00 more excl. VAT for 5 % off"),  # 100.00 net, 120.00 with VAT
        (11, "Spend €10.00 more excl. VAT for 5 % off"),
        (12, None),  # exactly 120.00 net
    ],
)
def test_a_net_buyer_is_told_the_next_discount_excl_vat(
    wholesale_client, shop_products, quantity, notice
):
    pan, _pot = shop_products
    CartDiscountFactory(kind="percent", value=Decimal("5"), min_subtotal=Decimal("120"))
    add(wholesale_client, pan, quantity)
    assert next_discount_notice(wholesale_client) == notice


def test_amount_discounts_say_how_much_off(client, wholesale_client, shop_products):
    pan, _pot = shop_products
    CartDiscountFactory(kind="amount", value=Decimal("15.00"), min_subtotal=Decimal("100"))
    add(client, pan, 2)
    assert next_discount_notice(client) == "Spend €76.00 more incl. VAT for €15.00 off"
    add(wholesale_client, pan, 2)
    assert next_discount_notice(wholesale_client) == "Spend €80.00 more excl. VAT for €15.00 off"


def test_only_discounts_for_the_buyers_group_and_running_now_are_offered(
    client, wholesale_client, shop_products
):
    pan, _pot = shop_products
    now = timezone.now()
    CartDiscountFactory(
        value=Decimal("10"), min_subtotal=Decimal("100"), groups=[WholesaleGroupFactory()]
    )
    CartDiscountFactory(
        value=Decimal("20"), min_subtotal=Decimal("50"), starts_at=now + timedelta(days=1)
    )
    CartDiscountFactory(
        value=Decimal("20"), min_subtotal=Decimal("50"), ends_at=now - timedelta(days=1)
    )
    add(client, pan, 1)
    assert next_discount_notice(client) is None
    add(wholesale_client, pan, 1)
    assert next_discount_notice(wholesale_client) == "Spend €90.00 more excl. VAT for 10 % off"


def test_a_discount_that_would_still_lose_is_not_offered(client, shop_products):
    pan, _pot = shop_products
    CartDiscountFactory(kind="amount", value=Decimal("15.00"))
    CartDiscountFactory(kind="percent", value=Decimal("5"), min_subtotal=Decimal("200"))
    add(client, pan, 2)
    assert next_discount_notice(client) is None  # 5 % of 200.00 is less than 15.00 off


def test_the_next_discount_is_shown_for_another_gross_group_too(client, shop_products):
    vip = CustomerGroupFactory(slug="vip", prices_include_tax=True)
    client.force_login(UserFactory(group=vip))
    pan, _pot = shop_products
    CartDiscountFactory(value=Decimal("8"), min_subtotal=Decimal("1000"), groups=[vip])
    add(client, pan, 80)  # 960.00 incl. VAT
    assert next_discount_notice(client) == "Spend €40.00 more incl. VAT for 8 % off"
