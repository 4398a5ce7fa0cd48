"""Helpers for the card payment tests: a guest's card order through checkout, and the dummy
provider's form answered."""

import re

import pytest

from shop.models import Order
from tests.shop.conftest import add, go_to_review, place

CONFIRMED = {"status": "confirmed", "fraud_status": "unknown", "gateway_response": "3ds-disabled"}
REJECTED = {"status": "rejected", "fraud_status": "unknown", "gateway_response": "3ds-disabled"}


@pytest.fixture(autouse=True)
def _dummy_provider(settings):
    settings.SHOP_CARD_PROVIDER = "dummy"
    settings.PAYMENT_VARIANTS = {"card": ("payments.dummy.DummyProvider", {})}


def card_order(client, product, shipping, quantity=1, email="guest@example.com"):
    """Place a card order as the client's buyer; returns (order, the pay page's address)."""
    assert add(client, product, quantity).status_code == 302
    _review, key, total = go_to_review(
        client, shipping_method=shipping, payment="card", email=email
    )
    response = place(client, key, total)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.latest("id")
    return order, response.url


def pay_with(client, pay_url, answer):
    assert client.get(pay_url).status_code == 200
    return client.post(pay_url, answer)


def paid_url(order):
    return f"/checkout/pay/{order.number}/{order.access_token}/paid/"


def failed_url(order):
    return f"/checkout/pay/{order.number}/{order.access_token}/failed/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())
