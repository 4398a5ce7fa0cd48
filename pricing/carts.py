"""A cart priced for a buyer and a destination, with the amounts shown in the buyer's terms."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from shop.tax import mentions, vat
from shop.tax import selectors as tax_selectors
from shop.tax.models import TaxClass
from shop.tax.vat import VatDecision

from . import engine
from .services import (
    buyer_for,
    pricing_data,
    snapshot_of,
    vat_decision,
    violation_message,
    with_tax,
)


@dataclass(frozen=True)
class CartLine:
    product: object
    quantity: int
    quote: engine.Quote
    tax_rate: Decimal
    line_total: Decimal  # net, before the cart discount
    discount_share: Decimal  # net
    tax: Decimal
    display_unit_price: Decimal  # gross or net, as the buyer's group sees prices
    display_total: Decimal  # display_unit_price x quantity, before the cart discount
    display_discount_share: Decimal
    display_saving: Decimal = Decimal("0.00")  # per unit, against the base price as shown
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class CartQuote:
    """A priced cart (arithmetic and rounding: `pricing.engine.cart`). The display amounts
    are in the buyer's terms, gross for groups that see prices with tax: the display line
    totals add up to `display_subtotal`, and `display_subtotal - display_discount` is the
    goods total the buyer pays (gross) or the net total (net groups). `next_discount` is the
    cart discount the buyer reaches by spending `next_discount_shortfall` more."""

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
    reasons: tuple[engine.Reason, ...]
    next_discount: engine.CartDiscountData | None = None
    next_discount_shortfall: Decimal = Decimal("0.00")
    # The standard-class decision for the destination and the buyer: the order's regime and
    # legal mention, and the rate shipping is taxed at.
    vat: VatDecision | None = None
    # Why the cart cannot be sold to this destination (no VAT rate there), else "".
    tax_refusal: str = ""

    @property
    def total(self) -> Decimal:
        return self.gross_total

    @property
    def discount_percent(self) -> Decimal | None:
        """The cart discount as a percentage, when it is one (its label on the storefront)."""
        return _percent_of(self.discount)

    @property
    def next_discount_percent(self) -> Decimal | None:
        return _percent_of(self.next_discount)

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and not self.violations and not self.min_order_shortfall


def _percent_of(discount) -> Decimal | None:
    return discount.value if discount and discount.kind == "percent" else None


def price_cart(
    lines, *, customer=None, group=None, country=None, at=None, quoted=None
) -> CartQuote:
    """Price `(product, quantity)` lines for a buyer and a destination country.

    Each line is checked with the quantity rules (and stock); a line with an impossible
    quantity is reported and left out of the totals. The group's minimum order value is
    compared with the net subtotal before the cart discount, for every group (it is a
    merchant's floor on revenue, shown "excl. VAT"); cart-discount thresholds are compared with
    the subtotal in the buyer's terms. The VAT of each line is `shop.tax.vat.decide`d for the
    destination and the buyer (a business when its profile has a valid VAT number). A
    destination without a configured rate is never priced at another rate: `tax_refusal`
    says why it cannot be sold there (its lines carry no VAT, and checkout refuses it).
    `quoted`: {product id: `engine.QuotedPrice`} of the buyer's accepted quote, already checked
    as his and usable now (`shop.quotes.selectors.quoted_prices`)."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    at = at or timezone.now()
    destination = country.upper() if country else None
    country = destination or settings.SHOP_DEFAULT_COUNTRY.upper()
    vat_buyer = tax_selectors.vat_buyer(customer) if destination else vat.CONSUMER

    def decision_for(tax_class):
        return vat_decision(tax_class, country=country, buyer=vat_buyer, data=data)

    standard = decision_for(TaxClass.STANDARD)
    priced, inputs, violations = [], [], []
    refused = standard.refused
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
        decision = (
            standard if product.tax_class == TaxClass.STANDARD else decision_for(product.tax_class)
        )
        refused = refused or decision.refused
        rate = vat.ZERO if decision.refused else decision.rate
        priced.append((product, problems, rate))
        inputs.append(engine.CartLineInput(product=snapshot, quantity=quantity, tax_rate=rate))
    result = engine.price_cart(
        data.rules,
        inputs,
        buyer,
        at,
        prices_include_tax=group.prices_include_tax,
        quoted=quoted,
    )

    cart_lines = []
    for (product, problems, rate), line in zip(priced, result.lines, strict=True):
        base = line.quote.base_unit_price
        if group.prices_include_tax:
            base = with_tax(base, rate)
        cart_lines.append(
            CartLine(
                product=product,
                quantity=line.quantity,
                quote=line.quote,
                tax_rate=rate,
                line_total=line.line_total,
                discount_share=line.discount_share,
                tax=line.tax,
                display_unit_price=line.display_unit_price,
                display_total=line.display_total,
                display_discount_share=line.display_discount_share,
                display_saving=max(base - line.display_unit_price, Decimal("0.00")),
                messages=tuple(problems),
            )
        )
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
        display_subtotal=result.display_subtotal,
        display_discount=result.display_discount,
        next_discount=result.next_discount,
        next_discount_shortfall=result.next_discount_shortfall,
        country=country,
        violations=tuple(violations),
        min_order_subtotal=minimum,
        min_order_shortfall=shortfall,
        reasons=result.reasons,
        vat=standard,
        tax_refusal=mentions.no_rate_message(country) if refused else "",
    )
