"""A company like the demo's Bistro Lumière: an admin, an approver, a buyer with a €500.00
spending limit per order, paying by bank transfer or on account."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    CompanyFactory,
    CompanyMemberFactory,
    ShippingMethodFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, go_to_review, place, review_form


@dataclass
class Bistro:
    company: object
    freight: object
    admin: object
    approver: object
    buyer: object


@pytest.fixture
def bistro(shop_products):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    company = CompanyFactory(name="Bistro Lumière", group=wholesale, credit_limit=Decimal("5000"))
    admin = CompanyMemberFactory(company=company, role="admin").user
    approver = CompanyMemberFactory(company=company, role="approver").user
    buyer = CompanyMemberFactory(company=company, spending_limit=Decimal("500.00")).user
    for user in (admin, approver, buyer):
        AddressFactory(user=user, company="")
    return Bistro(company, freight, admin, approver, buyer)


def at_review(client, user, product, quantity, freight, payment="bank_transfer"):
    """Log in as `user`, fill the cart and go to the review step: (review, key, total)."""
    client.force_login(user)
    add(client, product, quantity)
    address = user.addresses.get()
    return go_to_review(
        client,
        shipping_method=freight,
        payment=payment,
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )


def submit(client, key, total, note=""):
    return client.post(
        "/checkout/place/", {"idempotency_key": key, "confirmed_total": total, "note": note}
    )


__all__ = ["add", "at_review", "place", "review_form", "submit"]
