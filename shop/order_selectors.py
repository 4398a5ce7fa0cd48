"""Reads for the cart, checkout and order pages, each in a constant number of queries.

Every amount comes from `pricing.services.price_cart`; this module adds what the pricing
engine does not know about: which products the buyer may still see, shipping, payment
options and credit.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from customers.models import CustomerProfile
from pricing import services as pricing_services

from . import selectors
from .models import (
    Address,
    Cart,
    CartLine,
    CheckoutPolicy,
    Order,
    OrderStatus,
    PaymentMethod,
    ProductImage,
    ShippingMethod,
    TaxClass,
)
from .templatetags.money import money

ZERO = Decimal("0.00")


# --- products the buyer may order -------------------------------------------------------------


def visible_products(*, group, ids=None, skus=None) -> QuerySet:
    """Active products visible to the group (category chain and own `visible_to`)."""
    tree = selectors.category_tree(group=group)
    products = selectors._visible_products(group=group, tree=tree)
    if ids is not None:
        products = products.filter(pk__in=list(ids))
    if skus is not None:
        products = products.filter(sku__in=list(skus))
    return products


# --- the cart page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartRow:
    line: CartLine
    priced: "pricing_services.CartLine"
    bounds: "pricing_services.QuantityBounds"
    next_tier: tuple[int, Decimal] | None  # (quantity, unit price as shown) of the next tier

    @property
    def tier_reached(self):
        """The quantity price rule this line reached, if any."""
        rule = self.priced.quote.rule
        return rule if rule is not None and rule.min_quantity > 1 else None


@dataclass(frozen=True)
class CartPage:
    rows: list[CartRow]
    unavailable: list[CartLine]  # products the buyer can no longer order
    quote: "pricing_services.CartQuote"

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.unavailable

    @property
    def can_check_out(self) -> bool:
        return self.quote.can_check_out and not self.unavailable


def cart_lines(cart: Cart | None) -> list[CartLine]:
    if cart is None or cart.pk is None:
        return []
    return list(
        CartLine.objects.filter(cart=cart)
        .select_related("product", "product__category")
        .prefetch_related(
            Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("added_at", "id")
    )


def cart_page(*, cart: Cart | None, customer, group, country: str | None = None) -> CartPage:
    """The cart re-priced now for this buyer and destination."""
    lines = cart_lines(cart)
    visible = set()
    if lines:
        visible = set(
            visible_products(group=group, ids=[line.product_id for line in lines]).values_list(
                "pk", flat=True
            )
        )
    available = [line for line in lines if line.product_id in visible]
    unavailable = [line for line in lines if line.product_id not in visible]
    quote = pricing_services.price_cart(
        [(line.product, line.quantity) for line in available],
        customer=customer,
        group=group,
        country=country,
    )
    rows = []
    for line, priced in zip(available, quote.lines, strict=True):
        tiers = pricing_services.display_tiers(line.product, customer=customer, group=group)
        next_tier = next(
            ((qty, price) for qty, price in tiers if qty > line.quantity and qty > 1), None
        )
        rows.append(
            CartRow(
                line=line,
                priced=priced,
                bounds=pricing_services.quantity_bounds(
                    line.product, customer=customer, group=group
                ),
                next_tier=next_tier,
            )
        )
    return CartPage(rows=rows, unavailable=unavailable, quote=quote)


# --- shipping -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippingOption:
    method: ShippingMethod
    net: Decimal
    tax_rate: Decimal
    tax: Decimal
    is_free: bool
    prices_include_tax: bool

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def display(self) -> Decimal:
        return self.gross if self.prices_include_tax else self.net


def shipping_tax_rate(country: str) -> Decimal:
    """Shipping is taxed at the destination's standard rate."""
    return pricing_services.tax_rate_for_class(TaxClass.STANDARD, country=country)


def shipping_options(*, group, country: str, quote) -> list[ShippingOption]:
    """Active methods for the group, the destination country and the cart's subtotal."""
    country = country.upper()
    methods = (
        ShippingMethod.objects.filter(is_active=True)
        .filter(Q(groups__isnull=True) | Q(groups=group))
        .distinct()
        .order_by("position", "price", "id")
    )
    goods = quote.gross_total if quote.prices_include_tax else quote.net_total
    rate = shipping_tax_rate(country)
    options = []
    for method in methods:
        if method.country_codes and country not in method.country_codes:
            continue
        if method.min_subtotal is not None and quote.subtotal < method.min_subtotal:
            continue
        is_free = method.free_above is not None and goods >= method.free_above
        net = ZERO if is_free else method.price
        options.append(
            ShippingOption(
                method=method,
                net=net,
                tax_rate=rate,
                tax=pricing_services.tax_on(net, rate),
                is_free=is_free,
                prices_include_tax=quote.prices_include_tax,
            )
        )
    return options


# --- payment and credit -------------------------------------------------------------------------


def checkout_policy(group) -> CheckoutPolicy:
    """The group's policy, or the defaults (guest checkout, bank transfer) when it has none."""
    return CheckoutPolicy.objects.filter(group=group).first() or CheckoutPolicy(group=group)


@dataclass(frozen=True)
class CreditStatus:
    terms_days: int
    limit: Decimal
    used: Decimal

    @property
    def available(self) -> Decimal:
        return max(self.limit - self.used, ZERO)


def unpaid_on_account_total(*, user) -> Decimal:
    """What the customer owes on orders placed on account and not paid yet."""
    total = (
        Order.objects.filter(user=user, payment_method=PaymentMethod.ON_ACCOUNT, paid_at=None)
        .exclude(status=OrderStatus.CANCELLED)
        .aggregate(total=Sum("total"))["total"]
    )
    return total or ZERO


def open_account_balance(*, user) -> Decimal:
    """A customer's open on-account balance (unpaid, not cancelled); zero for nobody. The
    customers admin shows it on the customer's page."""
    if user is None or user.pk is None:
        return ZERO
    return unpaid_on_account_total(user=user)


def credit_status(*, user) -> CreditStatus | None:
    """Terms, credit limit and credit used; None for guests and accounts without a profile."""
    if user is None or not user.is_authenticated:
        return None
    profile = CustomerProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return CreditStatus(
        terms_days=profile.payment_terms_days,
        limit=profile.credit_limit,
        used=unpaid_on_account_total(user=user),
    )


@dataclass(frozen=True)
class PaymentOption:
    code: str
    label: str
    available: bool
    reason: str = ""


def payment_options(*, customer, group, total: Decimal, credit: CreditStatus | None):
    """The methods the group allows, each available or not with the reason shown."""
    policy = checkout_policy(group)
    options = []
    if policy.bank_transfer:
        options.append(
            PaymentOption(PaymentMethod.BANK_TRANSFER, PaymentMethod.BANK_TRANSFER.label, True)
        )
    if policy.pay_on_account and customer is not None and customer.is_authenticated:
        label = PaymentMethod.ON_ACCOUNT.label
        if credit is None or credit.terms_days <= 0:
            options.append(
                PaymentOption(
                    PaymentMethod.ON_ACCOUNT,
                    label,
                    False,
                    _("Your account has no payment terms."),
                )
            )
        elif total > credit.available:
            options.append(
                PaymentOption(
                    PaymentMethod.ON_ACCOUNT,
                    label,
                    False,
                    _("Not enough available credit: %(available)s left, this order is %(total)s.")
                    % {"available": money(credit.available), "total": money(total)},
                )
            )
        else:
            options.append(PaymentOption(PaymentMethod.ON_ACCOUNT, label, True))
    return options


def guest_checkout_allowed(group) -> bool:
    return checkout_policy(group).guest_checkout


# --- totals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutTotals:
    """The goods (from price_cart) plus shipping: what the order will cost."""

    quote: "pricing_services.CartQuote"
    shipping: ShippingOption

    @property
    def net_total(self) -> Decimal:
        return self.quote.net_total + self.shipping.net

    @property
    def tax_total(self) -> Decimal:
        return self.quote.tax_total + self.shipping.tax

    @property
    def total(self) -> Decimal:
        return self.quote.gross_total + self.shipping.gross


# --- orders and addresses -------------------------------------------------------------------------


def orders_for(*, user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).order_by("-placed_at", "-id")


def order_for_customer(*, user, number: str) -> Order | None:
    """The customer's own order (None for anyone else's)."""
    return Order.objects.filter(user=user, number=number).prefetch_related("lines").first()


def order_for_guest(*, number: str, token: str) -> Order | None:
    """A guest's order, only when the secret from the confirmation email matches. Customers'
    orders are reached through their account only (their emails link there)."""
    order = Order.objects.filter(number=number, user=None).prefetch_related("lines").first()
    if order is None or not secrets.compare_digest(order.access_token, str(token)):
        return None
    return order


def addresses_for(*, user) -> list[Address]:
    return list(Address.objects.filter(user=user))


def address_for(*, user, pk) -> Address | None:
    return Address.objects.filter(user=user, pk=pk).first()
