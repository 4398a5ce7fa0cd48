"""The shipping options of a cart: methods for the group, the destination and the cart's
subtotal, each with its tax (shipping is taxed like the goods: at the standard-class rate of
the cart's VAT decision, 0 % under reverse charge or for export)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from pricing import services as pricing_services

from .models import ShippingMethod

ZERO = Decimal("0.00")


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


def shipping_tax_rate(quote) -> Decimal | None:
    """The rate of the cart's standard-class VAT decision (destination and buyer); None when
    the destination has no rate (the cart is then refused). A cart with reduced-rate goods
    still pays the standard rate on shipping: it is not split across the goods' rates."""
    decision = quote.vat
    return None if decision.refused else decision.rate


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
    rate = shipping_tax_rate(quote)
    if rate is None:
        return []
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
