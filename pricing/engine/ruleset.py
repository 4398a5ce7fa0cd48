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
from collections.abc import Iterable
from dataclasses import dataclass, field

from .compiled import CompiledPriceRule, CompiledQuantityRule, by_id
from .indexes import ScopeIndex
from .types import (
    CART_DISCOUNT_KINDS,
    LOWEST,
    STRATEGIES,
    CartDiscountData,
    PriceRuleData,
    QuantityRuleData,
)


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
        price_rules = tuple(sorted(self.price_rules, key=by_id))
        quantity_rules = tuple(sorted(self.quantity_rules, key=by_id))
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
    ordered = tuple(sorted(discounts, key=by_id))
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
        at = bisect_left(rules, rule_id, key=by_id)
        if at < len(rules) and rules[at].id == rule_id:
            gone.append(rules.pop(at))
    for rule in upserts.values():
        insort(rules, rule, key=by_id)
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
