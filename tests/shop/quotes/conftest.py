from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.quotes import services
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    ShippingMethodFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleGroupFactory,
)


@pytest.fixture
def wholesale(db):
    group = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=group, bank_transfer=True, pay_on_account=False)
    return group


@pytest.fixture
def freight(wholesale):
    return ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])


@pytest.fixture
def trade_buyer(wholesale):
    user = UserFactory(email="trade@example.com", group=wholesale)
    AddressFactory(user=user)
    return user


@pytest.fixture
def staff(db):
    return StaffUserFactory(email="sales@example.com")


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def request_quote(buyer, lines: dict, **extra):
    """A request of {product: quantity} by `buyer`."""
    return services.quote_request_create(
        customer=buyer, lines={product.pk: quantity for product, quantity in lines.items()}, **extra
    )


def offer(quote, manager, prices: dict | None = None, *, days=10, **extra):
    """Send the offer with {product: unit price} (every line at 7.00 when not given)."""
    by_product = {line.product_id: line.pk for line in quote.lines.all()}
    unit_prices = {
        by_product[product.pk]: Decimal(price) for product, price in (prices or {}).items()
    }
    if prices is None:
        unit_prices = {line_id: Decimal("7.00") for line_id in by_product.values()}
    return services.quote_offer_send(
        quote=quote, manager=manager, unit_prices=unit_prices, valid_until=in_days(days), **extra
    )
