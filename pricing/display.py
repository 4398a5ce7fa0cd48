"""Prices as one viewer sees them: gross or net by their group, a whole page at once.

Gross prices include the VAT of the viewer's country when it is known (the country of their
default address), else the shop's own: `price_basis` decides it once per page with
`shop.tax.vat.decide` for the buyer and that destination, so a business buying under reverse
charge, or a buyer abroad (export), sees the net price, labelled so."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.countries import country_name
from shop.tax import selectors as tax_selectors
from shop.tax import vat
from shop.tax.models import TaxClass

from . import engine
from .loaders import PricingData
from .services import (
    buyer_for,
    customer_id_of,
    pricing_data,
    request_snapshot,
    snapshot_of,
    with_tax,
)

# Whose price the buyer gets, decided by the winning rule: what the storefront says instead of
# the rule's internal name.
SPECIAL = "special"  # a rule for this customer
COMPANY = "company"  # a rule for the company they buy for
TRADE = "trade"  # a rule for their trade group (one with portal access)
MEMBER = "member"  # a rule for another group of theirs (VIP)
SALE = "sale"  # a rule for everyone (or the default group guests share)


# Sales that bear no VAT: their prices are net for everyone. (A shop without a rate for its own
# country shows net amounts as its prices with tax rather than fail: checkout refuses them.)
UNTAXED = (vat.Regime.REVERSE_CHARGE, vat.Regime.EXPORT)


@dataclass(frozen=True)
class PriceBasis:
    """Whose VAT a viewer's prices include. `country` is the VAT territory whose rates apply
    (the viewer's default address's, or the shop's when `known` is False); `regime` the VAT
    decision for that destination and buyer; `rates` the rate per tax class."""

    country: str
    regime: vat.Regime
    known: bool
    prices_include_tax: bool
    rates: dict = field(default_factory=dict, compare=False)

    @property
    def includes_tax(self) -> bool:
        """Prices shown gross: the group sees prices with tax and the sale bears VAT."""
        return self.prices_include_tax and self.regime not in UNTAXED

    def rate(self, tax_class: str) -> Decimal:
        return self.rates.get(tax_class, vat.ZERO) if self.includes_tax else vat.ZERO

    @property
    def cache_key(self) -> str:
        return f"{self.country}:{self.regime}:{int(self.includes_tax)}"

    @property
    def label(self) -> str:
        """Beside every price: "incl. VAT", "excl. VAT", or why no VAT is added."""
        if self.includes_tax:
            return _("incl. VAT")
        if self.prices_include_tax and self.regime == vat.Regime.REVERSE_CHARGE:
            return _("excl. VAT (reverse charge)")
        if self.prices_include_tax and self.regime == vat.Regime.EXPORT:
            return _("no VAT (export)")
        return _("excl. VAT")

    @property
    def note(self) -> str:
        """The page's sentence about the prices' VAT ("" for groups that see net prices)."""
        if not self.prices_include_tax:
            return ""
        name = country_name(self.country)
        if self.regime == vat.Regime.REVERSE_CHARGE:
            return _(
                "Prices exclude VAT: your business is charged under reverse charge "
                "for delivery to %(country)s."
            ) % {"country": name}
        if self.regime == vat.Regime.EXPORT:
            return _("Prices exclude VAT: a delivery to %(country)s is an export.") % {
                "country": name
            }
        if self.known:
            return _("Prices include VAT for %(country)s, your delivery country.") % {
                "country": name
            }
        return _(
            "Prices include VAT for %(country)s; checkout shows the VAT of your delivery country."
        ) % {"country": name}


def price_basis(*, customer=None, group=None, country: str | None = None) -> PriceBasis:
    """The VAT the viewer's prices include: the rates of `country` (their default address's)
    under `shop.tax.vat.decide` for the buyer (a business with a valid VAT number of another
    member state pays none), else the shop's own country's (a country the shop has no rate
    for counts as unknown). Kept for the request: one page decides it once."""
    data = pricing_data()
    _buyer, group = buyer_for(customer=customer, group=group, data=data)
    country = country.upper() if country else None
    snapshot = request_snapshot.get()
    key = ("price_basis", customer_id_of(customer), group.pk, country, data.version)
    if snapshot is not None and key in snapshot:
        return snapshot[key]
    basis = _basis_for(country, customer, group, data) if country else None
    if basis is None:
        basis = _basis_for(None, None, group, data)
    if snapshot is not None:
        snapshot[key] = basis
    return basis


def _basis_for(country, customer, group, data: PricingData) -> PriceBasis | None:
    seller = vat.vat_territory(settings.SHOP_DEFAULT_COUNTRY)
    needs_buyer = country and vat.is_eu(country) and vat.vat_territory(country) != seller
    buyer = tax_selectors.vat_buyer(customer) if needs_buyer else vat.CONSUMER

    def decide(tax_class):
        return vat.decide(
            seller_country=settings.SHOP_DEFAULT_COUNTRY,
            destination=country,
            buyer=buyer,
            tax_class=tax_class,
            rates=data.tax_rates,
        )

    standard = decide(TaxClass.STANDARD)
    if standard.refused and country is not None:
        return None
    rates = {}
    for tax_class in TaxClass.values:
        decision = standard if tax_class == TaxClass.STANDARD else decide(tax_class)
        rates[tax_class] = vat.ZERO if decision.refused else decision.rate
    return PriceBasis(
        country=standard.country,
        regime=standard.regime,
        known=country is not None,
        prices_include_tax=group.prices_include_tax,
        rates=rates,
    )


@dataclass(frozen=True)
class DisplayPrice:
    """A price as one viewer sees it: gross or net by their group, never computed in a
    template. `hidden` when the shop shows prices only after login. `kind` says whose price
    won (SPECIAL, COMPANY, TRADE, MEMBER, SALE or "" for the base price)."""

    amount: Decimal
    base_amount: Decimal
    includes_tax: bool
    is_own_price: bool = False
    hidden: bool = False
    quote: engine.Quote | None = field(default=None, compare=False)
    kind: str = ""
    basis: PriceBasis | None = field(default=None, compare=False)

    @property
    def tax_label(self) -> str:
        """ "incl. VAT", "excl. VAT", "excl. VAT (reverse charge)", "no VAT (export)"."""
        if self.basis is not None:
            return self.basis.label
        return _("incl. VAT") if self.includes_tax else _("excl. VAT")

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
        """ "Your special price", "Your company's price", "Your trade price", "Your member
        price", "Sale −15 %"."""
        if self.kind == SPECIAL:
            return _("Your special price")
        if self.kind == COMPANY:
            return _("Your company's price")
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


def display_prices(
    products, *, customer=None, group=None, at=None, country: str | None = None
) -> dict[int, DisplayPrice]:
    """The unit price each product shows to this viewer, for a whole page at once, with the
    VAT of `country` (the viewer's default address's; None: the shop's country)."""
    products = list(products)
    if prices_hidden_for(customer):
        hidden = DisplayPrice(Decimal("0"), Decimal("0"), includes_tax=False, hidden=True)
        return {product.pk: hidden for product in products}
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    basis = price_basis(customer=customer, group=group, country=country)
    at = at or timezone.now()
    prices = {}
    for product in products:
        result = engine.quote(data.rules, snapshot_of(product, data), buyer, 1, at)
        prices[product.pk] = _display(result, product, group, basis)
    return prices


def price_rows(
    products, *, customer=None, group=None, country: str | None = None
) -> list[tuple[object, DisplayPrice]]:
    """`(product, DisplayPrice)` rows for a page: every displayed price comes from here, once
    per page for all the products shown."""
    products = list(products)
    prices = display_prices(products, customer=customer, group=group, country=country)
    return [(product, prices[product.pk]) for product in products]


def in_display_basis(amount: Decimal, product, basis: PriceBasis) -> Decimal:
    """A net amount as the viewer sees it: gross at the basis's rate when it includes tax."""
    if basis.includes_tax:
        return with_tax(amount, basis.rate(product.tax_class))
    return amount


def _display(result: engine.Quote, product, group, basis: PriceBasis) -> DisplayPrice:
    amount = in_display_basis(result.unit_price, product, basis)
    base = in_display_basis(result.base_unit_price, product, basis)
    kind = price_kind(result.rule, group)
    return DisplayPrice(
        amount=amount,
        base_amount=base,
        includes_tax=basis.includes_tax,
        is_own_price=kind in (SPECIAL, COMPANY, TRADE, MEMBER),
        quote=result,
        kind=kind,
        basis=basis,
    )


def price_kind(rule: engine.PriceRuleData | None, group) -> str:
    """Whose price the winning rule gives. A rule for the default group is a public sale:
    guests get it too."""
    if rule is None:
        return ""
    if rule.customer_id is not None:
        return SPECIAL
    if rule.company_id is not None:
        return COMPANY
    if rule.group_id is not None and not group.is_default:
        return TRADE if group.portal_access else MEMBER
    return SALE


def display_tiers(
    product, *, customer=None, group=None, at=None, country: str | None = None
) -> list[tuple[int, Decimal]]:
    """The tier table in the viewer's display basis (gross or net); empty for one tier."""
    if prices_hidden_for(customer):
        return []
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    tiers = engine.tier_table(data.rules, snapshot_of(product, data), buyer, at or timezone.now())
    if len(tiers) < 2:
        return []
    basis = price_basis(customer=customer, group=group, country=country)
    return [(quantity, in_display_basis(price, product, basis)) for quantity, price in tiers]
