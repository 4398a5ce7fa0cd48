"""Plain, immutable data the pricing engine takes and returns.

Everything here is a frozen, slotted dataclass holding ``Decimal`` money (never float), so
values can be shared between threads, cached, compared and hashed safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

PRICE_RULE_KINDS = ("fixed_price", "percent_off", "amount_off")
CART_DISCOUNT_KINDS = ("percent", "amount")
LOWEST = "lowest"
PRIORITY = "priority"
STRATEGIES = (LOWEST, PRIORITY)


class Reason(NamedTuple):
    """One step of an explanation: a code and its values, rendered in words by the services.

    Reasons and candidates are named tuples, not dataclasses like the rest of this module: a
    quote builds several per candidate, and a tuple is the cheapest immutable value to build.

    ``params`` is a tuple of ``(name, value)`` pairs so a reason stays hashable; the values are
    ``Decimal``, ``int``, ``str``, ``datetime`` or ``None``. The codes and their values are
    listed in :mod:`pricing.engine.calculator` and :mod:`pricing.engine.cart`.
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Reason:
        return cls(code, tuple(params.items()))

    @property
    def values(self) -> dict[str, object]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class ProductSnapshot:
    """What the engine needs to know about a product."""

    id: int
    base_price: Decimal  # net of tax
    category_path: tuple[int, ...] = ()  # category ids root -> leaf (leaf = own category)
    name: str = ""


@dataclass(frozen=True, slots=True)
class Buyer:
    """Who is buying: a customer (negotiated rules), the company they buy for (the company's
    negotiated rules) and the group they belong to."""

    customer_id: int | None = None
    group_id: int | None = None
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class PriceRuleData:
    id: int
    name: str
    kind: str  # "fixed_price" | "percent_off" | "amount_off"
    value: Decimal
    priority: int = 0
    min_quantity: int = 1
    group_id: int | None = None
    customer_id: int | None = None
    product_id: int | None = None
    category_id: int | None = None
    starts_at: datetime | None = None  # inclusive
    ends_at: datetime | None = None  # exclusive
    company_id: int | None = None  # never set together with customer_id


@dataclass(frozen=True, slots=True)
class QuantityRuleData:
    id: int
    name: str = ""
    group_id: int | None = None
    customer_id: int | None = None
    product_id: int | None = None
    category_id: int | None = None
    min_quantity: int = 1
    max_quantity: int | None = None
    step: int = 1
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class CartDiscountData:
    id: int
    name: str
    kind: str  # "percent" | "amount"
    value: Decimal
    min_subtotal: Decimal = Decimal(0)
    group_ids: frozenset[int] = frozenset()  # empty = everyone
    starts_at: datetime | None = None  # inclusive
    ends_at: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class QuotedPrice:
    """A unit price negotiated for one buyer in an accepted quote: it replaces the price rules
    for ``product_id`` from ``min_quantity`` on. Who may use it, until when and how often is
    decided before it is given to the engine; ``reference_label`` names the quote in the
    explanation ("Q-2026-0042, accepted 3 Dec 2026")."""

    product_id: int
    unit_price: Decimal  # net of tax
    min_quantity: int
    reference_label: str


class Candidate(NamedTuple):
    """A price rule that targets this buyer and product, with the unit price it would give.

    ``reason`` says why the rule does not win: it does not apply (``not_applicable``: quantity
    or time window) or it lost to the winner (``lost``: the first step of the strategy that
    separates them). ``None`` for the winner.
    """

    rule: PriceRuleData
    unit_price: Decimal
    applies: bool
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    product_id: int
    quantity: int
    base_unit_price: Decimal
    unit_price: Decimal
    total: Decimal
    rule: PriceRuleData | None
    reasons: tuple[Reason, ...]  # the explanation, step by step
    candidates: tuple[Candidate, ...] = ()  # in the strategy's order, winner first among applicable
    quoted: QuotedPrice | None = None  # the quoted price that replaced the rules, if any


@dataclass(frozen=True, slots=True)
class Violation:
    """A quantity the buyer may not order. The services layer turns it into a message."""

    code: str  # "min" | "max" | "step" | "stock" | "invalid"
    product_name: str
    limit: int
    quantity: int
    # Whom the broken quantity rule targets ("customer", "company", "group", "everyone"); empty
    # for "stock" and "invalid", which no rule sets.
    rule_for: str = ""


@dataclass(frozen=True, slots=True)
class CartLineInput:
    product: ProductSnapshot
    quantity: int
    tax_rate: Decimal  # fraction, 0.2000 = 20%


@dataclass(frozen=True, slots=True)
class CartLineQuote:
    """One priced cart line. ``line_total``, ``discount_share`` and ``tax`` are net amounts;
    the ``display_`` amounts are in the buyer's terms (gross for groups that see prices with
    tax): ``display_total`` = ``display_unit_price`` x quantity, before the cart discount."""

    product_id: int
    quantity: int
    quote: Quote
    line_total: Decimal  # net, before the cart discount
    discount_share: Decimal  # this line's part of the cart discount, net
    tax_rate: Decimal
    tax: Decimal  # on (line_total - discount_share)
    display_unit_price: Decimal = Decimal("0.00")
    display_total: Decimal = Decimal("0.00")
    display_discount_share: Decimal = Decimal("0.00")

    @property
    def net_total(self) -> Decimal:
        """Net after the cart discount."""
        return self.line_total - self.discount_share

    @property
    def gross_total(self) -> Decimal:
        """What the line costs: net after the cart discount plus its tax."""
        return self.net_total + self.tax


@dataclass(frozen=True, slots=True)
class CartQuote:
    """A priced cart (see :mod:`pricing.engine.cart`). ``subtotal`` and ``discount_amount`` are
    net; ``display_subtotal`` and ``display_discount`` and ``next_discount_shortfall`` are in
    the buyer's terms."""

    lines: tuple[CartLineQuote, ...]
    subtotal: Decimal
    discount: CartDiscountData | None
    discount_amount: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    reasons: tuple[Reason, ...]
    prices_include_tax: bool = False
    display_subtotal: Decimal = Decimal("0.00")
    display_discount: Decimal = Decimal("0.00")
    next_discount: CartDiscountData | None = None
    next_discount_shortfall: Decimal = Decimal("0.00")
