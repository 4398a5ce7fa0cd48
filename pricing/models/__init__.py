"""Price rules, quantity rules and cart discounts as managers edit them, and `PricingVersion`.

Saving a rule changes nothing else: the write paths (the admin, the demo seed) bump
`PricingVersion` after their writes, so every process reloads its compiled rule set on its next
request (see `pricing.services.rules_changed`)."""

from .common import (
    HUNDRED,
    scope_constraint,
    validate_customer_or_company,
    validate_scope,
    validate_window,
    window_constraint,
    window_filter,
)
from .imports import RuleImport
from .rules import CartDiscount, PriceRule, QuantityRule
from .versions import PricingChange, PricingVersion

__all__ = [
    "HUNDRED",
    "CartDiscount",
    "PriceRule",
    "PricingChange",
    "PricingVersion",
    "QuantityRule",
    "RuleImport",
    "scope_constraint",
    "validate_customer_or_company",
    "validate_scope",
    "validate_window",
    "window_constraint",
    "window_filter",
]
