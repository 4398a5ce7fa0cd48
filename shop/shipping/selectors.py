"""The shipping options of a cart: methods for the group, the destination and the cart's
subtotal, each with its tax. Shipping is taxed like the goods it carries: its net is split
across the cart's VAT rates in proportion to the net goods at each rate after the cart
discount (`split.split_net`), each part taxed at its rate; 0 % under reverse charge or for
export, since the goods are."""

from dataclasses import dataclass
from decimal import Decimal

from core.db import columns_of, prepared_raw
from pricing import services as pricing_services

from .models import ShippingMethod
from .split import split_net

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ShippingVat:
    """The part of the shipping net taxed at one rate."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    def as_json(self) -> dict[str, str]:
        return {"rate": str(self.rate), "net": str(self.net), "tax": str(self.tax)}


@dataclass(frozen=True)
class ShippingOption:
    method: ShippingMethod
    net: Decimal
    # The rate of the largest part of the split (the only one when shipping bears one rate);
    # the standard-class rate of the cart when shipping is free.
    tax_rate: Decimal
    tax: Decimal
    is_free: bool
    prices_include_tax: bool
    vat: tuple[ShippingVat, ...] = ()

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def display(self) -> Decimal:
        return self.gross if self.prices_include_tax else self.net


def shipping_tax_rate(quote) -> Decimal | None:
    """The rate of the cart's standard-class VAT decision (destination and buyer); None when
    the destination has no rate (the cart is then refused). Shipping is taxed at it only when
    the cart has no taxable base to split across (its goods are all free)."""
    decision = quote.vat
    return None if decision.refused else decision.rate


def goods_bases(quote) -> dict[Decimal, Decimal]:
    """The cart's net goods per VAT rate, after the cart discount."""
    bases: dict[Decimal, Decimal] = {}
    for line in quote.lines:
        bases[line.tax_rate] = (
            bases.get(line.tax_rate, ZERO) + line.line_total - line.discount_share
        )
    return bases


def shipping_vat(net: Decimal, *, quote, fallback_rate: Decimal) -> tuple[ShippingVat, ...]:
    """The shipping net split across the cart's rates, each part with its tax."""
    if not net:
        return ()
    parts = split_net(net, goods_bases(quote)) or ((fallback_rate, net),)
    return tuple(
        ShippingVat(rate=rate, net=part, tax=pricing_services.tax_on(part, rate))
        for rate, part in parts
    )


def _methods_sql() -> str:
    """The active methods open to every group or to the group given, in the order shown:
    plain SQL, as every checkout step asks and building the ORM query cost more than running
    it."""
    methods = ShippingMethod._meta.db_table
    groups = ShippingMethod.groups.through._meta.db_table
    return (
        f"SELECT {columns_of(ShippingMethod, 'm')} FROM {methods} m WHERE m.is_active AND ("
        f"NOT EXISTS (SELECT 1 FROM {groups} g WHERE g.shippingmethod_id = m.id) "
        f"OR EXISTS (SELECT 1 FROM {groups} g WHERE g.shippingmethod_id = m.id "
        "AND g.customergroup_id = %s)) ORDER BY m.position, m.price, m.id"
    )


_METHODS_SQL = _methods_sql()


def shipping_options(*, group, country: str, quote) -> list[ShippingOption]:
    """Active methods for the group, the destination country and the cart's subtotal."""
    country = country.upper()
    methods = prepared_raw(ShippingMethod, _METHODS_SQL, [group.pk])
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
        parts = shipping_vat(net, quote=quote, fallback_rate=rate)
        options.append(
            ShippingOption(
                method=method,
                net=net,
                tax_rate=max(parts, key=lambda part: part.net).rate if parts else rate,
                tax=sum((part.tax for part in parts), ZERO),
                is_free=is_free,
                prices_include_tax=quote.prices_include_tax,
                vat=parts,
            )
        )
    return options
