"""The pricing API every other app uses. Views and other apps call only these functions.

Rules are compiled once per process and reused until `PricingVersion` changes: every write
path that changes a rule, a category or a tax rate calls `rules_changed()`. Inside a request
the version is read once (one query) by the snapshot `PricingSnapshotMiddleware` opens, so a
page costs the same number of queries whatever the number of products or rules.
"""

import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import selectors as customer_selectors

from . import engine
from .loaders import PricingData, load_pricing_data
from .models import PricingVersion

_lock = threading.Lock()
_process_data: PricingData | None = None
# Set by PricingSnapshotMiddleware: a dict holding this request's PricingData once read.
request_snapshot: ContextVar[dict | None] = ContextVar("pricing_request_snapshot", default=None)


def pricing_data() -> PricingData:
    """The compiled rules for the current pricing version (one query to check the version)."""
    global _process_data
    snapshot = request_snapshot.get()
    if snapshot is not None and "data" in snapshot:
        return snapshot["data"]
    version = PricingVersion.current()
    data = _process_data
    if data is None or data.version != version:
        with _lock:
            data = _process_data
            if data is None or data.version != version:
                data = _process_data = load_pricing_data(version)
    if snapshot is not None:
        snapshot["data"] = data
    return data


def rules_changed() -> None:
    """Call after any write the compiled data depends on (rules, categories, tax rates), once
    for a batch, in the writing transaction: every process reloads on its next request. Model
    saves do not call it."""
    PricingVersion.bump()


# --- who is buying --------------------------------------------------------------------------


def _customer_id(customer) -> int | None:
    if customer is None or not getattr(customer, "is_authenticated", False):
        return None
    return customer.pk


def buyer_for(*, customer=None, group=None) -> tuple[engine.Buyer, object]:
    """The engine's Buyer and the group; the customer's own group when no group is given."""
    if group is None:
        group = customer_selectors.group_for(customer)
    return engine.Buyer(customer_id=_customer_id(customer), group_id=group.pk), group


def snapshot_of(product, data: PricingData) -> engine.ProductSnapshot:
    return engine.ProductSnapshot(
        id=product.pk,
        base_price=product.base_price,
        category_path=data.category_path(product.category_id),
        name=product.name,
    )


# --- public API -----------------------------------------------------------------------------


def quote(product, quantity: int = 1, *, customer=None, group=None, at=None) -> engine.Quote:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group)
    return engine.quote(
        data.rules, snapshot_of(product, data), buyer, quantity, at or timezone.now()
    )


def quote_many(products, *, customer=None, group=None, at=None) -> dict[int, engine.Quote]:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group)
    at = at or timezone.now()
    return {
        product.pk: engine.quote(data.rules, snapshot_of(product, data), buyer, 1, at)
        for product in products
    }


def tier_table(product, *, customer=None, group=None, at=None) -> list[tuple[int, Decimal]]:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group)
    return engine.tier_table(data.rules, snapshot_of(product, data), buyer, at or timezone.now())


def quantity_rule(product, *, customer=None, group=None) -> engine.QuantityRuleData | None:
    """The min / max / pack size in force for this buyer (for hints and the quantity input)."""
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group)
    return engine.quantity_rule_for(data.rules, snapshot_of(product, data), buyer)


@dataclass(frozen=True)
class QuantityBounds:
    """What the quantity input allows: `min`/`step`/`max` attributes and the hints beside it."""

    minimum: int
    step: int
    maximum: int | None
    rule: engine.QuantityRuleData | None


def quantity_bounds(product, *, customer=None, group=None) -> QuantityBounds:
    rule = quantity_rule(product, customer=customer, group=group)
    step = rule.step if rule else 1
    minimum = rule.min_quantity if rule else 1
    maximum = rule.max_quantity if rule else None
    if product.track_stock:
        in_stock = product.stock - product.stock % step
        maximum = in_stock if maximum is None else min(maximum, in_stock)
    return QuantityBounds(minimum=minimum, step=step, maximum=maximum, rule=rule)


def check_quantity(product, quantity, *, customer=None, group=None) -> list[str]:
    """Messages a buyer understands; empty when the quantity is allowed. Stock counts when
    the product tracks it."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group)
    stock = product.stock if product.track_stock else None
    violations = engine.check_quantity(
        data.rules, snapshot_of(product, data), buyer, quantity, stock=stock
    )
    return [violation_message(v, group=group) for v in violations]


def violation_message(violation: engine.Violation, *, group) -> str:
    params = {"product": violation.product_name, "limit": violation.limit, "group": group.name}
    by_group = not group.is_default
    if violation.code == "invalid":
        return _("Enter a whole quantity of at least 1 for %(product)s.") % params
    if violation.code == "min":
        if by_group:
            return _("%(group)s orders of %(product)s must be at least %(limit)s.") % params
        return _("The minimum quantity of %(product)s is %(limit)s.") % params
    if violation.code == "max":
        return _("You can buy at most %(limit)s of %(product)s.") % params
    if violation.code == "step":
        if by_group:
            return _("%(group)s orders of %(product)s must be in packs of %(limit)s.") % params
        return _("%(product)s is sold in packs of %(limit)s.") % params
    if violation.limit == 0:
        return _("%(product)s is out of stock.") % params
    return _("Only %(limit)s of %(product)s left in stock.") % params


# --- tax and display ------------------------------------------------------------------------


def tax_rate(product, *, country: str | None = None, data: PricingData | None = None) -> Decimal:
    """The product's rate for the country; the shop country's rate when the country has none."""
    return tax_rate_for_class(product.tax_class, country=country, data=data)


def tax_rate_for_class(
    tax_class: str, *, country: str | None = None, data: PricingData | None = None
) -> Decimal:
    """The rate of a tax class (shipping is taxed at the standard class of its destination)."""
    data = data or pricing_data()
    country = (country or settings.SHOP_DEFAULT_COUNTRY).upper()
    rate = data.tax_rates.get((country, tax_class))
    if rate is None:
        rate = data.tax_rates.get((settings.SHOP_DEFAULT_COUNTRY, tax_class), Decimal("0"))
    return rate


def tax_on(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax on a net amount, rounded to the cent, half up."""
    return engine.to_cents(amount * rate)


def with_tax(amount: Decimal, rate: Decimal) -> Decimal:
    """Gross amount: net plus tax rounded to the cent, half up (the documented rounding point:
    net unit price first, then its tax)."""
    return amount + tax_on(amount, rate)


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
    return settings.SHOP_HIDE_PRICES_FROM_GUESTS and _customer_id(customer) is None


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


def _display(result: engine.Quote, product, group, data: PricingData) -> DisplayPrice:
    amount, base = result.unit_price, result.base_unit_price
    if group.prices_include_tax:
        rate = tax_rate(product, data=data)
        amount, base = with_tax(amount, rate), with_tax(base, rate)
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


# --- carts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    product: object
    quantity: int
    quote: engine.Quote
    tax_rate: Decimal
    line_total: Decimal  # net, before the cart discount
    discount_share: Decimal
    tax: Decimal
    display_unit_price: Decimal  # gross or net, as the buyer's group sees prices
    display_total: Decimal
    display_saving: Decimal = Decimal("0.00")  # per unit, against the base price as shown
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class CartQuote:
    """A priced cart. For groups that see gross prices the display amounts include tax and
    `display_discount` is whatever makes the lines add up exactly to the gross total."""

    lines: tuple[CartLine, ...]
    subtotal: Decimal
    discount: engine.CartDiscountData | None
    discount_amount: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    prices_include_tax: bool
    display_subtotal: Decimal
    display_discount: Decimal
    country: str
    violations: tuple[str, ...]
    min_order_subtotal: Decimal | None
    min_order_shortfall: Decimal
    explanation: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return self.gross_total

    @property
    def discount_percent(self) -> Decimal | None:
        """The cart discount as a percentage, when it is one (its label on the storefront)."""
        return self.discount.value if self.discount and self.discount.kind == "percent" else None

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and not self.violations and not self.min_order_shortfall


def price_cart(lines, *, customer=None, group=None, country=None, at=None) -> CartQuote:
    """Price `(product, quantity)` lines for a buyer and a destination country.

    Each line is checked with the quantity rules (and stock); a line with an impossible
    quantity is reported and left out of the totals. The group's minimum order value is
    compared with the net subtotal before the cart discount."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group)
    at = at or timezone.now()
    country = (country or settings.SHOP_DEFAULT_COUNTRY).upper()
    priced, inputs, violations = [], [], []
    for product, quantity in lines:
        snapshot = snapshot_of(product, data)
        stock = product.stock if product.track_stock else None
        problems = [
            violation_message(v, group=group)
            for v in engine.check_quantity(data.rules, snapshot, buyer, quantity, stock=stock)
        ]
        violations.extend(problems)
        if quantity < 1:
            continue
        rate = tax_rate(product, country=country, data=data)
        priced.append((product, problems, rate))
        inputs.append(engine.CartLineInput(product=snapshot, quantity=quantity, tax_rate=rate))
    result = engine.price_cart(data.rules, inputs, buyer, at)

    cart_lines = []
    for (product, problems, rate), line in zip(priced, result.lines, strict=True):
        unit, total, base = line.quote.unit_price, line.line_total, line.quote.base_unit_price
        if group.prices_include_tax:
            unit, total, base = with_tax(unit, rate), with_tax(total, rate), with_tax(base, rate)
        cart_lines.append(
            CartLine(
                product=product,
                quantity=line.quantity,
                quote=line.quote,
                tax_rate=rate,
                line_total=line.line_total,
                discount_share=line.discount_share,
                tax=line.tax,
                display_unit_price=unit,
                display_total=total,
                display_saving=max(base - unit, Decimal("0.00")),
                messages=tuple(problems),
            )
        )
    if group.prices_include_tax:
        display_subtotal = sum((line.display_total for line in cart_lines), Decimal("0.00"))
        display_discount = (
            display_subtotal - result.gross_total if result.discount else Decimal("0.00")
        )
    else:
        display_subtotal, display_discount = result.subtotal, result.discount_amount
    minimum = group.min_order_subtotal
    shortfall = Decimal("0.00")
    if minimum and cart_lines and result.subtotal < minimum:
        shortfall = minimum - result.subtotal
    return CartQuote(
        lines=tuple(cart_lines),
        subtotal=result.subtotal,
        discount=result.discount,
        discount_amount=result.discount_amount,
        net_total=result.net_total,
        tax_total=result.tax_total,
        gross_total=result.gross_total,
        prices_include_tax=group.prices_include_tax,
        display_subtotal=display_subtotal,
        display_discount=display_discount,
        country=country,
        violations=tuple(violations),
        min_order_subtotal=minimum,
        min_order_shortfall=shortfall,
        explanation=result.explanation,
    )
