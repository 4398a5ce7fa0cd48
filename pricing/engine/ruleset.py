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

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from .money import to_cents
from .types import (
    CART_DISCOUNT_KINDS,
    LOWEST,
    PRICE_RULE_KINDS,
    STRATEGIES,
    Buyer,
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


def _amounts(kind: int, value) -> tuple[Decimal, Decimal | None, Decimal, Decimal]:
    """(value, percent factor, fixed unrounded, fixed rounded) of a rule: rules with the same
    value (same type and digits: 5 and 5.00 stay apart) share these objects."""
    return _shared_amounts(kind, type(value), str(value), value)


@lru_cache(maxsize=8192)
def _shared_amounts(kind: int, _type: type, _text: str, value) -> tuple:
    value = Decimal(value)
    factor = (_HUNDRED - value) / _HUNDRED if kind == KIND_PERCENT else None
    fixed_raw = value if value > 0 else Decimal(0)
    return value, factor, fixed_raw, to_cents(fixed_raw)


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
    """A price rule with what a quote compares precomputed (internal).

    The explanation's parts (reasons, the fixed candidate) are built on first use and kept:
    at 100,000 rules, building them all up front held most of a worker's memory for rules
    that are never quoted. Equal values share one ``Decimal`` (:func:`_amounts`)."""

    __slots__ = (
        "_ended_reason",
        "_fixed_reason",
        "_name_params",
        "_scope_params",
        "_starts_reason",
        "ends_at",
        "factor",
        "fixed_price",
        "fixed_raw",
        "id",
        "kind",
        "min_quantity",
        "neg_min_quantity",
        "neg_priority",
        "neg_who",
        "rule",
        "starts_at",
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
        # percent_off: base x (1 - value/100), with the factor computed exactly once.
        self.value, self.factor, self.fixed_raw, self.fixed_price = _amounts(kind, rule.value)
        self.starts_at = rule.starts_at
        self.ends_at = rule.ends_at
        self._name_params = self._scope_params = None
        self._starts_reason = self._ended_reason = None
        self._fixed_reason = None

    # Built on first use; two threads racing build equal values, either may be kept.
    @property
    def name_params(self) -> tuple:
        params = self._name_params
        if params is None:
            params = self._name_params = (("rule_id", self.id), ("name", self.rule.name))
        return params

    @property
    def scope_params(self) -> tuple:
        params = self._scope_params
        if params is None:
            rule = self.rule
            params = self._scope_params = (
                *self.name_params,
                ("who", WHO_CODES[self.who]),
                ("what", _what_code(rule)),
                ("category_id", rule.category_id),
                ("min_quantity", self.min_quantity),
            )
        return params

    @property
    def starts_reason(self) -> Reason:
        reason = self._starts_reason
        if reason is None:
            reason = self._starts_reason = Reason(
                "not_applicable",
                (*self.name_params, ("why", NOT_STARTED), ("at", self.starts_at)),
            )
        return reason

    @property
    def ended_reason(self) -> Reason:
        reason = self._ended_reason
        if reason is None:
            reason = self._ended_reason = Reason(
                "not_applicable", (*self.name_params, ("why", ENDED), ("at", self.ends_at))
            )
        return reason

    @property
    def fixed_reason(self) -> Reason:
        reason = self._fixed_reason
        if reason is None:
            reason = self._fixed_reason = self.candidate_reason(self.fixed_raw, self.fixed_price)
        return reason

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


# Read-only and shared by every bucket without rules for that kind of buyer: most products'
# rules target one or two kinds, and an empty dict per kind per product added up.
_NO_BUCKETS: Mapping[int, tuple] = MappingProxyType({})


class WhoBuckets:
    """Rules of one *what* key, split by who they target (internal)."""

    __slots__ = ("companies", "customers", "everyone", "groups")

    def __init__(self) -> None:
        self.everyone: tuple = ()
        self.groups: Mapping[int, tuple] = _NO_BUCKETS
        self.companies: Mapping[int, tuple] = _NO_BUCKETS
        self.customers: Mapping[int, tuple] = _NO_BUCKETS

    def get(self, who_kind: str, who_id) -> tuple:
        if who_kind == "*":
            return self.everyone
        return getattr(self, _WHO_SLOTS[who_kind]).get(who_id, ())

    def put(self, who_kind: str, who_id, items: tuple) -> None:
        """File ``items`` (sorted by id) under who; an empty tuple removes the bucket."""
        if who_kind == "*":
            self.everyone = items
            return
        slot = _WHO_SLOTS[who_kind]
        mapping = getattr(self, slot)
        if mapping is _NO_BUCKETS:
            if not items:
                return
            mapping = {}
            setattr(self, slot, mapping)
        if items:
            mapping[who_id] = items
        else:
            mapping.pop(who_id, None)

    def copy(self) -> WhoBuckets:
        clone = WhoBuckets()
        clone.everyone = self.everyone
        for slot in _WHO_SLOTS.values():
            mapping = getattr(self, slot)
            setattr(clone, slot, dict(mapping) if mapping else _NO_BUCKETS)
        return clone


_WHO_SLOTS = {"c": "customers", "k": "companies", "g": "groups"}


def _scope_key(rule) -> tuple[str, int | None, str, int | None]:
    """(what kind, what id, who kind, who id): the one bucket a rule is filed under."""
    if rule.product_id is not None:
        what = ("p", rule.product_id)
    elif rule.category_id is not None:
        what = ("c", rule.category_id)
    else:
        what = ("*", None)
    if rule.customer_id is not None:
        return (*what, "c", rule.customer_id)
    if rule.company_id is not None:
        return (*what, "k", rule.company_id)
    if rule.group_id is not None:
        return (*what, "g", rule.group_id)
    return (*what, "*", None)


class ScopeIndex:
    """Rules filed by what (product / category / catalogue), then by who (internal)."""

    __slots__ = ("catalogue", "categories", "products")

    def __init__(self, items: Iterable = ()) -> None:
        """``items`` are objects with ``.rule`` (for scope) and ``.id``; sorted by id per bucket."""
        lists: dict[tuple, list] = {}
        for item in items:
            lists.setdefault(_scope_key(item.rule), []).append(item)
        self.products: dict[int, WhoBuckets] = {}
        self.categories: dict[int, WhoBuckets] = {}
        self.catalogue = WhoBuckets()
        for (what_kind, what_id, who_kind, who_id), bucket in lists.items():
            if what_kind == "p":
                buckets = self.products.setdefault(what_id, WhoBuckets())
            elif what_kind == "c":
                buckets = self.categories.setdefault(what_id, WhoBuckets())
            else:
                buckets = self.catalogue
            buckets.put(who_kind, who_id, tuple(sorted(bucket, key=_by_id)))

    def with_changes(self, removed: Iterable, added: Iterable) -> ScopeIndex:
        """A new index without the ``removed`` rules (their data as it was filed) and with the
        ``added`` items. Only the touched buckets are copied; the rest is shared, so this index
        stays valid for the quotes still reading it."""
        changes: dict[tuple, tuple[set, list]] = {}
        for rule in removed:
            changes.setdefault(_scope_key(rule), (set(), []))[0].add(rule.id)
        for item in added:
            changes.setdefault(_scope_key(item.rule), (set(), []))[1].append(item)
        new = ScopeIndex()
        new.products, new.categories = self.products, self.categories
        new.catalogue = self.catalogue
        copied: set[tuple] = set()
        for (what_kind, what_id, who_kind, who_id), (gone, items) in changes.items():
            if what_kind == "*":
                if "*" not in copied:
                    new.catalogue = self.catalogue.copy()
                    copied.add("*")
                buckets = new.catalogue
            else:
                table = new.products if what_kind == "p" else new.categories
                original = self.products if what_kind == "p" else self.categories
                if table is original:
                    table = dict(original)
                    if what_kind == "p":
                        new.products = table
                    else:
                        new.categories = table
                if (what_kind, what_id) not in copied:
                    held = table.get(what_id)
                    table[what_id] = held.copy() if held is not None else WhoBuckets()
                    copied.add((what_kind, what_id))
                buckets = table[what_id]
            kept = [item for item in buckets.get(who_kind, who_id) if item.id not in gone]
            buckets.put(who_kind, who_id, tuple(sorted(kept + items, key=_by_id)))
        return new

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
        discounts = _checked_discounts(self.cart_discounts)
        # Frozen dataclass: assign through object.__setattr__, once, at construction.
        object.__setattr__(self, "price_rules", price_rules)
        object.__setattr__(self, "quantity_rules", quantity_rules)
        object.__setattr__(self, "cart_discounts", discounts)
        object.__setattr__(self, "company_ids", _company_ids(price_rules, quantity_rules))
        object.__setattr__(
            self, "price_index", ScopeIndex(CompiledPriceRule(rule) for rule in price_rules)
        )
        object.__setattr__(
            self,
            "quantity_index",
            ScopeIndex(CompiledQuantityRule(rule) for rule in quantity_rules),
        )

    def with_changes(
        self,
        *,
        price_rules: Iterable[PriceRuleData] = (),
        removed_price_rule_ids: Iterable[int] = (),
        quantity_rules: Iterable[QuantityRuleData] = (),
        removed_quantity_rule_ids: Iterable[int] = (),
        cart_discounts: Iterable[CartDiscountData] | None = None,
    ) -> RuleSet:
        """This rule set with the given rules added or replaced (by id), the removed ids gone
        and, when given, the cart discounts replaced: equal to compiling the result from
        scratch, at a cost in proportion to the change (untouched buckets are shared).
        Removing an id the set does not hold is not an error."""
        new = object.__new__(RuleSet)
        set_ = object.__setattr__
        set_(new, "strategy", self.strategy)
        set_(
            new,
            "cart_discounts",
            self.cart_discounts if cart_discounts is None else _checked_discounts(cart_discounts),
        )
        prices, price_gone, price_added = _spliced(
            self.price_rules, price_rules, removed_price_rule_ids, CompiledPriceRule
        )
        quantities, quantity_gone, quantity_added = _spliced(
            self.quantity_rules, quantity_rules, removed_quantity_rule_ids, CompiledQuantityRule
        )
        set_(new, "price_rules", prices)
        set_(new, "quantity_rules", quantities)
        set_(new, "price_index", self.price_index.with_changes(price_gone, price_added))
        set_(new, "quantity_index", self.quantity_index.with_changes(quantity_gone, quantity_added))
        touched = (*price_gone, *quantity_gone, *(item.rule for item in price_added))
        touched += tuple(item.rule for item in quantity_added)
        if any(rule.company_id is not None for rule in touched):
            set_(new, "company_ids", _company_ids(prices, quantities))
        else:
            set_(new, "company_ids", self.company_ids)
        return new


def _checked_discounts(discounts: Iterable[CartDiscountData]) -> tuple[CartDiscountData, ...]:
    ordered = tuple(sorted(discounts, key=_by_id))
    for discount in ordered:
        if discount.kind not in CART_DISCOUNT_KINDS:
            raise ValueError(
                f"Cart discount #{discount.id}: unknown kind {discount.kind!r} "
                f"(expected {CART_DISCOUNT_KINDS})"
            )
    return ordered


def _company_ids(*rule_lists) -> frozenset[int]:
    return frozenset(
        rule.company_id for rules in rule_lists for rule in rules if rule.company_id is not None
    )


def _spliced(held: tuple, upserts: Iterable, removed_ids: Iterable[int], compiled) -> tuple:
    """(the id-sorted rules after the change, the held rules taken out, the new rules
    compiled). Compiling first: a rule the engine refuses leaves nothing half changed."""
    upserts = {rule.id: rule for rule in upserts}
    added = [compiled(rule) for rule in upserts.values()]
    rules = list(held)
    gone = []
    for rule_id in {*upserts, *removed_ids}:
        at = bisect_left(rules, rule_id, key=_by_id)
        if at < len(rules) and rules[at].id == rule_id:
            gone.append(rules.pop(at))
    for rule in upserts.values():
        insort(rules, rule, key=_by_id)
    return tuple(rules), gone, added


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
