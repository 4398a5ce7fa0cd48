"""Prices as one viewer sees them: gross or net by their group, a whole page at once."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from . import engine
from .loaders import PricingData
from .services import buyer_for, customer_id_of, pricing_data, snapshot_of, tax_rate, with_tax


@dataclass(frozen=True)
class DisplayPrice:
    """A price as one viewer sees it: gross or net by their group, never computed in a
    template. `hidden` when the shop shows prices only after login."""

    amount: Decimal
    base_amount: Decimal
    includes_tax: bool
    is_own_price: bool = False
    hidden: bool = False
    quote: engine.Quote | None = field(default=None, compare=False)

    @property
    def is_reduced(self) -> bool:
        return self.amount < self.base_amount


def prices_hidden_for(customer) -> bool:
    return settings.SHOP_HIDE_PRICES_FROM_GUESTS and customer_id_of(customer) is None


def display_prices(products, *, customer=None, group=None, at=None) -> dict[int, DisplayPrice]:
    """The unit price each product shows to this viewer, for a whole page at once."""
    products = list(products)
    if prices_hidden_for(customer):
        hidden = DisplayPrice(Decimal("0"), Decimal("0"), includes_tax=False, hidden=True)
        return {product.pk: hidden for product in products}
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group)
    at = at or timezone.now()
    prices = {}
    for product in products:
        result = engine.quote(data.rules, snapshot_of(product, data), buyer, 1, at)
        prices[product.pk] = _display(result, product, group, data)
    return prices


def price_rows(products, *, customer=None, group=None) -> list[tuple[object, DisplayPrice]]:
    """`(product, DisplayPrice)` rows for a page: every displayed price comes from here, once
    per page for all the products shown."""
    products = list(products)
    prices = display_prices(products, customer=customer, group=group)
    return [(product, prices[product.pk]) for product in products]


def in_display_basis(amount: Decimal, product, group, data: PricingData) -> Decimal:
    """A net amount as the group sees it: gross for groups that see tax-inclusive prices."""
    if group.prices_include_tax:
        return with_tax(amount, tax_rate(product, data=data))
    return amount


def _display(result: engine.Quote, product, group, data: PricingData) -> DisplayPrice:
    amount = in_display_basis(result.unit_price, product, group, data)
    base = in_display_basis(result.base_unit_price, product, group, data)
    rule = result.rule
    own = rule is not None and (rule.customer_id is not None or rule.group_id is not None)
    return DisplayPrice(
        amount=amount,
        base_amount=base,
        includes_tax=group.prices_include_tax,
        is_own_price=own,
        quote=result,
    )


def display_tiers(product, *, customer=None, group=None, at=None) -> list[tuple[int, Decimal]]:
    """The tier table in the viewer's display basis (gross or net); empty for one tier."""
    if prices_hidden_for(customer):
        return []
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group)
    tiers = engine.tier_table(data.rules, snapshot_of(product, data), buyer, at or timezone.now())
    if len(tiers) < 2:
        return []
    if group.prices_include_tax:
        rate = tax_rate(product, data=data)
        tiers = [(quantity, with_tax(price, rate)) for quantity, price in tiers]
    return tiers
