"""Prices as one viewer sees them: gross or net by their group, a whole page at once."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine
from .loaders import PricingData
from .services import buyer_for, customer_id_of, pricing_data, snapshot_of, tax_rate, with_tax

# Whose price the buyer gets, decided by the winning rule: what the storefront says instead of
# the rule's internal name.
SPECIAL = "special"  # a rule for this customer
TRADE = "trade"  # a rule for their trade group (one with portal access)
MEMBER = "member"  # a rule for another group of theirs (VIP)
SALE = "sale"  # a rule for everyone (or the default group guests share)


@dataclass(frozen=True)
class DisplayPrice:
    """A price as one viewer sees it: gross or net by their group, never computed in a
    template. `hidden` when the shop shows prices only after login. `kind` says whose price
    won (SPECIAL, TRADE, MEMBER, SALE or "" for the base price)."""

    amount: Decimal
    base_amount: Decimal
    includes_tax: bool
    is_own_price: bool = False
    hidden: bool = False
    quote: engine.Quote | None = field(default=None, compare=False)
    kind: str = ""

    @property
    def is_reduced(self) -> bool:
        return self.amount < self.base_amount

    @property
    def saving(self) -> Decimal | None:
        """Base minus unit price in the buyer's terms; None when nothing is saved."""
        return self.base_amount - self.amount if self.is_reduced else None

    @property
    def percent_off(self) -> int | None:
        """The reduction as a whole percentage of the base price, half up, never shown as 0 %
        (a few cents off a large price) nor as 100 % unless the product is free."""
        if not self.is_reduced or not self.base_amount:
            return None
        percent = (self.saving * 100 / self.base_amount).quantize(Decimal(1), ROUND_HALF_UP)
        if percent < 1:
            return None
        return min(int(percent), 99) if self.amount else 100

    @property
    def label(self) -> str:
        """ "Your special price", "Your trade price", "Your member price", "Sale −15 %"."""
        if self.kind == SPECIAL:
            return _("Your special price")
        if self.kind == TRADE:
            return _("Your trade price")
        if self.kind == MEMBER:
            return _("Your member price")
        if self.kind == SALE and self.percent_off:
            return _("Sale −%(percent)s %%") % {"percent": self.percent_off}
        return ""

    @property
    def badge(self) -> str:
        """The sale badge of a card or product page: the percentage off, when reduced."""
        if not self.percent_off:
            return ""
        if self.kind == SALE:
            return self.label
        return _("−%(percent)s %%") % {"percent": self.percent_off}


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
    kind = price_kind(result.rule, group)
    return DisplayPrice(
        amount=amount,
        base_amount=base,
        includes_tax=group.prices_include_tax,
        is_own_price=kind in (SPECIAL, TRADE, MEMBER),
        quote=result,
        kind=kind,
    )


def price_kind(rule: engine.PriceRuleData | None, group) -> str:
    """Whose price the winning rule gives. A rule for the default group is a public sale:
    guests get it too."""
    if rule is None:
        return ""
    if rule.customer_id is not None:
        return SPECIAL
    if rule.group_id is not None and not group.is_default:
        return TRADE if group.portal_access else MEMBER
    return SALE


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
