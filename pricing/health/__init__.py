"""Pricing health: what price rules and cart discounts do to buyers, in words a manager reads.

`rule_set_warnings` compiles the given price rules with the configured strategy, surveys the
catalogue with the engine (`pricing.engine.survey`: each product once per group, the products
in scope of each customer's rules once for that customer (with their company's rules, in the
company's group, when they buy for one), each company's rules for a member, a customer's
catalogue-wide rules compared with the group's and guest's ladders) and words each finding, and
flags a company's rules on products its group does not see (`price_rules`). It is what
the admin shows after a rule is saved, what the import preview shows, and, for every rule at
once, the "Pricing health" page. `cart_discount_warnings` does the same for cart discounts:
the largest single discount wins, so one that another discount for the same buyers always
matches from a lower or equal threshold can never win (`cart_discounts`).

Products, groups and customers come from the database in a constant number of queries.
"""

from dataclasses import dataclass
from datetime import datetime

from .. import engine, services
from .cart_discounts import cart_discount_warnings
from .price_rules import CatalogueFacts, catalogue_facts, negotiators, rule_set_warnings
from .warnings import (
    FREE,
    GROUP_PAYS_MORE,
    HIDDEN_FROM_COMPANY,
    NEVER_WINS,
    SHADOWED,
    TIER_INVERSION,
    RuleWarning,
)

__all__ = [
    "FREE",
    "GROUP_PAYS_MORE",
    "HIDDEN_FROM_COMPANY",
    "NEVER_WINS",
    "SHADOWED",
    "TIER_INVERSION",
    "CatalogueFacts",
    "HealthReport",
    "RuleConflicts",
    "RuleWarning",
    "cart_discount_warnings",
    "catalogue_facts",
    "catalogue_health",
    "negotiators",
    "rule_set_warnings",
]


@dataclass(frozen=True)
class RuleConflicts:
    """The warnings of one price rule or cart discount, for the Pricing health page."""

    rule: engine.PriceRuleData | engine.CartDiscountData
    warnings: tuple[RuleWarning, ...]


@dataclass(frozen=True)
class HealthReport:
    price_rules: tuple[RuleConflicts, ...]
    cart_discounts: tuple[RuleConflicts, ...]
    skus: dict[int, str]  # of the products the warnings name
    emails: dict[int, str]  # of the customers the warnings name
    strategy: str


def catalogue_health(at: datetime | None = None) -> HealthReport:
    """Every conflict of the active rules and cart discounts, grouped by rule (rule id order)."""
    rules = services.pricing_data().rules
    facts = catalogue_facts(*negotiators(rules.price_rules))
    price_warnings = rule_set_warnings(rules.price_rules, at=at, facts=facts)
    discount_warnings = cart_discount_warnings(rules.cart_discounts, at=at)
    return HealthReport(
        price_rules=_grouped(rules.price_rules, price_warnings),
        cart_discounts=_grouped(rules.cart_discounts, discount_warnings),
        skus={w.product_id: facts.skus[w.product_id] for w in price_warnings if w.product_id},
        emails={
            w.customer_id: facts.customer_emails.get(w.customer_id, "")
            for w in price_warnings
            if w.customer_id
        },
        strategy=rules.strategy,
    )


def _grouped(rules, warnings: list[RuleWarning]) -> tuple[RuleConflicts, ...]:
    by_rule: dict[int, list[RuleWarning]] = {}
    for warning in warnings:
        by_rule.setdefault(warning.rule_id, []).append(warning)
    return tuple(
        RuleConflicts(rule=rule, warnings=tuple(by_rule[rule.id]))
        for rule in rules
        if rule.id in by_rule
    )
