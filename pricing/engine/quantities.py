"""Quantity rules: which one is in force for a buyer and product, and what a quantity breaks.

The most specific rule wins: who first (customer > company > group > everyone), then what
(product > deeper category > shallower category > whole catalogue), then the lowest id. A
company's rule applies to every member of the company (``Buyer.company_id``). Quantity rules
have no priority, no quantity threshold and no time window.
"""

from __future__ import annotations

from .compiled import WHO_CODES, who_of
from .ruleset import RuleSet
from .types import Buyer, ProductSnapshot, QuantityRuleData, Violation


def quantity_rule_for(
    rules: RuleSet, product: ProductSnapshot, buyer: Buyer
) -> QuantityRuleData | None:
    """The quantity rule in force for this buyer and product, or ``None``."""
    best = None
    best_key = None
    for crule, what in rules.quantity_index.gather(product, buyer):
        key = (-crule.who, -what, crule.id)
        if best_key is None or key < best_key:
            best, best_key = crule, key
    return None if best is None else best.rule


def check_quantity(
    rules: RuleSet,
    product: ProductSnapshot,
    buyer: Buyer,
    quantity: int,
    *,
    stock: int | None = None,
) -> list[Violation]:
    """Every limit ``quantity`` breaks, in the order min, max, step, stock; empty = allowed.

    ``stock=None`` means stock is not tracked. A quantity below 1 is only ``"invalid"``
    (limit 1). The services layer turns violations into translated messages naming the
    product, the limit and, for a company's rule, the company (``Violation.rule_for``).
    """
    name = product.name
    if quantity < 1:
        return [Violation("invalid", name, 1, quantity)]
    violations: list[Violation] = []
    rule = quantity_rule_for(rules, product, buyer)
    if rule is not None:
        rule_for = WHO_CODES[who_of(rule)]
        if quantity < rule.min_quantity:
            violations.append(Violation("min", name, rule.min_quantity, quantity, rule_for))
        if rule.max_quantity is not None and quantity > rule.max_quantity:
            violations.append(Violation("max", name, rule.max_quantity, quantity, rule_for))
        if rule.step > 1 and quantity % rule.step:
            violations.append(Violation("step", name, rule.step, quantity, rule_for))
    if stock is not None and quantity > stock:
        violations.append(Violation("stock", name, max(stock, 0), quantity))
    return violations
