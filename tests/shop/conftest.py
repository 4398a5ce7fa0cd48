"""Fixtures and helpers for the cart, checkout and order tests."""

import re
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, ProductFactory, ShippingMethodFactory, TaxRateFactory

ADDRESS = {
    "full_name": "Alice Martin",
    "company": "",
    "line1": "3 rue des Lilas",
    "line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "phone": "",
}


@pytest.fixture
def tax_rates(db):
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    TaxRateFactory(country="FR", tax_class="reduced", rate=Decimal("0.0550"))
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("0.1900"))


@pytest.fixture
def shop_products(tax_rates):
    category = CategoryFactory()
    return [
        ProductFactory(category=category, sku="PAN-1", name="Pan", base_price=Decimal("10.00")),
        ProductFactory(category=category, sku="POT-2", name="Pot", base_price=Decimal("25.00")),
    ]


@pytest.fixture
def standard_shipping(db):
    return ShippingMethodFactory(name="Standard", price=Decimal("5.00"))


def add(client, product, quantity, **extra):
    return client.post("/cart/add/", {"product": product.pk, "quantity": quantity, **extra})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def address_fields(prefix: str, address: dict) -> dict:
    return {f"{prefix}-{name}": value for name, value in address.items()}


def go_to_review(
    client,
    *,
    shipping_method,
    payment="bank_transfer",
    email="guest@example.com",
    billing=None,
    shipping=None,
    details=None,
):
    """Fill the details and delivery steps; returns (review response, key, confirmed total)."""
    billing = billing or ADDRESS
    data = details or {
        "email": email,
        "billing_choice": "new",
        "shipping_choice": "new" if shipping else "same",
        **address_fields("billing", billing),
        **address_fields("shipping", shipping or {}),
    }
    response = client.post("/checkout/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == "/checkout/delivery/"
    response = client.post(
        "/checkout/delivery/", {"shipping_method": shipping_method.pk, "payment_method": payment}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == "/checkout/review/"
    review = client.get("/checkout/review/")
    assert review.status_code == 200
    return review, *review_form(review)


def review_form(response) -> tuple[str, str]:
    body = response.content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)
    total = re.search(r'name="confirmed_total" value="([^"]+)"', body).group(1)
    return key, total


def place(client, key, total):
    return client.post("/checkout/place/", {"idempotency_key": key, "confirmed_total": total})
