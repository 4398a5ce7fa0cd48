"""Compile loaded rules once into an immutable, indexed :class:`RuleSet`.

A rule is filed under exactly one *what* key (its product, its category, or the whole
catalogue) and, inside it, under exactly one *who* key (its customer, its company, its group, or
everyone). A quote then looks only at the buckets for (the product, each category of its path,
the whole catalogue) x (the buyer's customer, company and group, everyone): at most
``4 * (depth + 2)``
dictionary look-ups, whatever the number of rules. Buckets are tuples sorted by rule id, so the
order rules were given in never matters.

Inactive rules are filtered out by the loader; time windows are checked at quote time so one
compiled set serves any ``at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .money import to_cents
from .types import (
    CART_DISCOUNT_KINDS,
    LOWEST,
    PRICE_RULE_KINDS,
    STRATEGIES,
    Buyer,
    Candidate,
    CartDiscountData,
    PriceRuleData,
    ProductSnapshot,
    QuantityRuleData,
    Reason,
)
from .windows import ENDED, NOT_STARTED

WHO_CUSTOMER, WHO_COMPANY, WHO_GROUP, WHO_EVERYONE = 3, 2, 1, 0
WHO_CODES = {
    WHO_CUSTOMER: "customer",
    WHO_COMPANY: "company",
    WHO_GROUP: "group",
    WHO_EVERYONE: "everyone",
}
# What-specificity: whole catalogue 0, a category at index i of the product's path i + 1
# (deeper is more specific), the product itself above any category.
WHAT_CATALOGUE = 0
WHAT_PRODUCT = 1_000_000

KIND_FIXED, KIND_PERCENT, KIND_AMOUNT = 0, 1, 2
_KIND_CODES = {"fixed_price": KIND_FIXED, "percent_off": KIND_PERCENT, "amount_off": KIND_AMOUNT}
_HUNDRED = Decimal(100)


def who_of(rule: PriceRuleData | QuantityRuleData) -> int:
    """The who-specificity of a rule: one of the ``WHO_*`` constants."""
    if rule.customer_id is not None:
        return WHO_CUSTOMER
    if rule.company_id is not None:
        return WHO_COMPANY
    if rule.group_id is not None:
        return WHO_GROUP
    return WHO_EVERYONE


def _what_code(rule: PriceRuleData) -> str:
    if rule.product_id is not None:
        return "product"
    if rule.category_id is not None:
        return "category"
    return "catalogue"


class CompiledPriceRule:
    """A price rule with everything a quote needs precomputed (internal)."""

    __slots__ = (
        "ends_at",
        "ended_reason",
        "factor",
        "fixed_candidate",
        "fixed_price",
        "fixed_raw",
        "fixed_reason",
        "id",
        "kind",
        "min_quantity",
        "name_params",
        "neg_min_quantity",
        "neg_priority",
        "neg_who",
        "rule",
        "scope_params",
        "starts_at",
        "starts_reason",
        "value",
        "who",
    )

    def __init__(self, rule: PriceRuleData) -> None:
        kind = _KIND_CODES.get(rule.kind)
        if kind is None:
            raise ValueError(
                f"Price rule #{rule.id}: unknown kind {rule.kind!r} (expected {PRICE_RULE_KINDS})"
            )
        if rule.product_id is not None and rule.category_id is not None:
            raise ValueError(f"Price rule #{rule.id}: sets both a product and a category")
        if rule.customer_id is not None and rule.company_id is not None:
            raise ValueError(f"Price rule #{rule.id}: sets both a customer and a company")
        self.rule = rule
        self.id = rule.id
        self.neg_priority = -rule.priority
        self.who = who_of(rule)
        self.neg_who = -self.who
        self.min_quantity = max(1, rule.min_quantity)
        self.neg_min_quantity = -self.min_quantity
        self.kind = kind
        value = Decimal(rule.value)
        self.value = value
        # percent_off: base x (1 - value/100), with the factor computed exactly once.
        self.factor = (_HUNDRED - value) / _HUNDRED if kind == KIND_PERCENT else None
        self.fixed_raw = value if value > 0 else Decimal(0)
        self.fixed_price = to_cents(self.fixed_raw)
        self.starts_at = rule.starts_at
        self.ends_at = rule.ends_at
        # The explanation's fixed parts are built once here, not on every quote.
        self.name_params = (("rule_id", rule.id), ("name", rule.name))
        self.scope_params = (
            *self.name_params,
            ("who", WHO_CODES[self.who]),
            ("what", _what_code(rule)),
            ("category_id", rule.category_id),
            ("min_quantity", self.min_quantity),
        )
        self.starts_reason = Reason(
            "not_applicable", (*self.name_params, ("why", NOT_STARTED), ("at", rule.starts_at))
        )
        self.ended_reason = Reason(
            "not_applicable", (*self.name_params, ("why", ENDED), ("at", rule.ends_at))
        )
        self.fixed_reason = self.candidate_reason(self.fixed_raw, self.fixed_price)
        self.fixed_candidate = Candidate(rule, self.fixed_price, True, None)

    def unit_price(self, base: Decimal) -> tuple[Decimal, Decimal]:
        """(unrounded, rounded to the cent) unit price for a base price; never negative."""
        kind = self.kind
        if kind == KIND_FIXED:
            return self.fixed_raw, self.fixed_price
        raw = base * self.factor if kind == KIND_PERCENT else base - self.value
        if raw < 0:
            raw = Decimal(0)
        return raw, to_cents(raw)

    def candidate_reason(self, raw: Decimal, price: Decimal) -> Reason:
        """``candidate``: the rule gives ``price`` (``raw`` when rounding changed it)."""
        raw_or_none = raw if raw != price else None
        return Reason("candidate", (*self.scope_params, ("price", price), ("raw", raw_or_none)))

    def too_few_reason(self, quantity: int) -> Reason:
        return Reason(
            "not_applicable",
            (
                *self.name_params,
                ("why", "min_quantity"),
                ("min_quantity", self.min_quantity),
                ("quantity", quantity),
            ),
        )


class WhoBuckets:
    """Rules of one *what* key, split by who they target (internal)."""

    __slots__ = ("companies", "customers", "everyone", "groups")

    def __init__(self) -> None:
        self.everyone: tuple = ()
        self.groups: dict[int, tuple] = {}
        self.companies: dict[int, tuple] = {}
        self.customers: dict[int, tuple] = {}


class ScopeIndex:
    """Rules filed by what (product / category / catalogue), then by who (internal)."""

    __slots__ = ("catalogue", "categories", "products")

    def __init__(self, items: Iterable) -> None:
        """``items`` are objects with ``.rule`` (for scope) and ``.id``; sorted by id per bucket."""
        lists: dict[tuple, list] = {}
        for item in items:
            rule = item.rule
            if rule.product_id is not None:
                what = ("p", rule.product_id)
            elif rule.category_id is not None:
                what = ("c", rule.category_id)
            else:
                what = ("*", None)
            if rule.customer_id is not None:
                who = ("c", rule.customer_id)
            elif rule.company_id is not None:
                who = ("k", rule.company_id)
            elif rule.group_id is not None:
                who = ("g", rule.group_id)
            else:
                who = ("*", None)
            lists.setdefault((what, who), []).append(item)

        self.products: dict[int, WhoBuckets] = {}
        self.categories: dict[int, WhoBuckets] = {}
        self.catalogue = WhoBuckets()
        for ((what_kind, what_id), (who_kind, who_id)), bucket in lists.items():
            if what_kind == "p":
                buckets = self.products.setdefault(what_id, WhoBuckets())
            elif what_kind == "c":
                buckets = self.categories.setdefault(what_id, WhoBuckets())
            else:
                buckets = self.catalogue
            ordered = tuple(sorted(bucket, key=_by_id))
            if who_kind == "c":
                buckets.customers[who_id] = ordered
            elif who_kind == "k":
                buckets.companies[who_id] = ordered
            elif who_kind == "g":
                buckets.groups[who_id] = ordered
            else:
                buckets.everyone = ordered

    def gather(self, product: ProductSnapshot, buyer: Buyer) -> list[tuple[object, int]]:
        """Every item targeting this buyer and product, with its what-specificity."""
        levels: list[tuple[WhoBuckets, int]] = []
        buckets = self.products.get(product.id)
        if buckets is not None:
            levels.append((buckets, WHAT_PRODUCT))
        categories = self.categories
        if categories:
            for depth, category_id in enumerate(product.category_path, start=1):
                buckets = categories.get(category_id)
                if buckets is not None:
                    levels.append((buckets, depth))
        levels.append((self.catalogue, WHAT_CATALOGUE))

        customer_id = buyer.customer_id
        company_id = buyer.company_id
        group_id = buyer.group_id
        found: list[tuple[object, int]] = []
        for buckets, what in levels:
            if buckets.everyone:
                found += [(item, what) for item in buckets.everyone]
            if group_id is not None and buckets.groups:
                found += [(item, what) for item in buckets.groups.get(group_id, ())]
            if company_id is not None and buckets.companies:
                found += [(item, what) for item in buckets.companies.get(company_id, ())]
            if customer_id is not None and buckets.customers:
                found += [(item, what) for item in buckets.customers.get(customer_id, ())]
        return found


def _by_id(item) -> int:
    return item.id


class CompiledQuantityRule:
    """A quantity rule with its who-specificity precomputed (internal)."""

    __slots__ = ("id", "rule", "who")

    def __init__(self, rule: QuantityRuleData) -> None:
        if rule.product_id is not None and rule.category_id is not None:
            raise ValueError(f"Quantity rule #{rule.id}: sets both a product and a category")
        if rule.customer_id is not None and rule.company_id is not None:
            raise ValueError(f"Quantity rule #{rule.id}: sets both a customer and a company")
        self.rule = rule
        self.id = rule.id
        self.who = who_of(rule)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Immutable, indexed rules. Build it with :func:`compile_rules` (or directly from tuples).

    The rule tuples are kept sorted by id (for the admin simulator and for equality); the
    indexes are built once in ``__post_init__`` and never change.
    """

    price_rules: tuple[PriceRuleData, ...] = ()
    quantity_rules: tuple[QuantityRuleData, ...] = ()
    cart_discounts: tuple[CartDiscountData, ...] = ()
    strategy: str = LOWEST
    price_index: ScopeIndex = field(init=False, repr=False, compare=False)
    quantity_index: ScopeIndex = field(init=False, repr=False, compare=False)
    # The companies with rules of their own: a buyer's company matters only for these.
    company_ids: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown pricing strategy {self.strategy!r} (expected {STRATEGIES})")
        price_rules = tuple(sorted(self.price_rules, key=_by_id))
        quantity_rules = tuple(sorted(self.quantity_rules, key=_by_id))
        discounts = tuple(sorted(self.cart_discounts, key=_by_id))
        for discount in discounts:
            if discount.kind not in CART_DISCOUNT_KINDS:
                raise ValueError(
                    f"Cart discount #{discount.id}: unknown kind {discount.kind!r} "
                    f"(expected {CART_DISCOUNT_KINDS})"
                )
        # Frozen dataclass: assign through object.__setattr__, once, at construction.
        object.__setattr__(self, "price_rules", price_rules)
        object.__setattr__(self, "quantity_rules", quantity_rules)
        object.__setattr__(self, "cart_discounts", discounts)
        object.__setattr__(
            self,
            "company_ids",
            frozenset(
                rule.company_id
                for rule in (*price_rules, *quantity_rules)
                if rule.company_id is not None
            ),
        )
        object.__setattr__(
            self, "price_index", ScopeIndex(CompiledPriceRule(rule) for rule in price_rules)
        )
        object.__setattr__(
            self,
            "quantity_index",
            ScopeIndex(CompiledQuantityRule(rule) for rule in quantity_rules),
        )


def compile_rules(
    price_rules: Iterable[PriceRuleData] = (),
    quantity_rules: Iterable[QuantityRuleData] = (),
    cart_discounts: Iterable[CartDiscountData] = (),
    strategy: str = LOWEST,
) -> RuleSet:
    """Index active rules once; the result is shared by every quote until rules change.

    ``strategy`` chooses among applicable price rules (see :mod:`pricing.engine.calculator`).
    Raises ``ValueError`` for an unknown strategy and for a rule the database constraints should
    have refused (unknown kind, product and category both set).
    """
    return RuleSet(
        price_rules=tuple(price_rules),
        quantity_rules=tuple(quantity_rules),
        cart_discounts=tuple(cart_discounts),
        strategy=strategy,
    )
