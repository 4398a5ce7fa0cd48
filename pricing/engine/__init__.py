"""Comptoir's pricing engine: pure Python, no Django, no database.

Feed it frozen dataclasses (rules compiled once with :func:`compile_rules`, a product snapshot,
a buyer, a quantity, a time) and get immutable quotes back. The resolution order and the
rounding points are documented once, in :mod:`pricing.engine.calculator`.
"""

from .calculator import quote, strategy_steps, tier_table, unit_price
from .cart import allocate, best_cart_discount, net_of, next_cart_discount, price_cart
from .compiled import WHAT_CATALOGUE, WHAT_PRODUCT
from .money import to_cents
from .quantities import check_quantity, quantity_rule_for
from .ruleset import RuleSet, compile_rules
from .types import (
    LOWEST,
    PRIORITY,
    STRATEGIES,
    Buyer,
    Candidate,
    CartDiscountData,
    CartLineInput,
    CartLineQuote,
    CartQuote,
    PriceRuleData,
    ProductSnapshot,
    QuantityRuleData,
    Quote,
    QuotedPrice,
    Reason,
    Violation,
)
from .windows import ENDED, NOT_STARTED, RUNNING, window_state

__all__ = [
    "ENDED",
    "LOWEST",
    "NOT_STARTED",
    "PRIORITY",
    "RUNNING",
    "STRATEGIES",
    "WHAT_CATALOGUE",
    "WHAT_PRODUCT",
    "Buyer",
    "Candidate",
    "CartDiscountData",
    "CartLineInput",
    "CartLineQuote",
    "CartQuote",
    "PriceRuleData",
    "ProductSnapshot",
    "QuantityRuleData",
    "QuotedPrice",
    "Quote",
    "Reason",
    "RuleSet",
    "Violation",
    "allocate",
    "best_cart_discount",
    "check_quantity",
    "compile_rules",
    "net_of",
    "next_cart_discount",
    "price_cart",
    "quantity_rule_for",
    "quote",
    "strategy_steps",
    "tier_table",
    "unit_price",
    "to_cents",
    "window_state",
]
