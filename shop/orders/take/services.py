"""Placing an order a shop manager took for a customer.

The order goes through `order_place` with the lines given explicitly: the customer's own
storefront cart is neither read nor emptied. Everything the customer's own checkout checks is
checked again under lock (visibility, quantity rules, stock, prices, shipping, payment, credit,
the company's spending limits and credit: an order over them raises `ApprovalRequired`, which a
manager may not bypass). A phone order has no terms-of-sale checkbox: none is recorded.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import Refusal
from shop.orders.models import Order
from shop.orders.services import placement

TAKE_ORDER_PERMISSION = "shop.take_order"


def can_take_orders(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(TAKE_ORDER_PERMISSION)


def order_take(
    *,
    manager,
    customer,
    quantities: dict[int, int],
    billing_address: dict,
    shipping_address: dict,
    shipping_method_id,
    payment_method: str,
    confirmed_total: Decimal | None,
    idempotency_key: str,
    site_url: str = "",
) -> Order:
    """Place `quantities` ({product id: quantity}) for `customer`, taken by `manager`; raise
    Refusal (TotalChanged, ApprovalRequired as `order_place` does). The transaction is
    `order_place`'s own."""
    if not can_take_orders(manager):
        raise Refusal(_("You may not take orders for customers."))
    return placement.order_place(
        cart=None,
        lines=quantities,
        customer=customer,
        email=customer.email,
        billing_address=billing_address,
        shipping_address=shipping_address,
        shipping_method_id=shipping_method_id,
        payment_method=payment_method,
        confirmed_total=confirmed_total,
        idempotency_key=idempotency_key,
        site_url=site_url,
        terms_version_id=None,
        taken_by=manager,
    )
