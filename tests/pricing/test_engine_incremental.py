"""A rule set changed with `RuleSet.with_changes` prices exactly as the same rules compiled from
scratch, and the rule set it came from is left as it was (requests may still be reading it)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.engine import (
    Buyer,
    CartDiscountData,
    PriceRuleData,
    ProductSnapshot,
    QuantityRuleData,
    check_quantity,
    compile_rules,
    indexes,
    quote,
    tier_table,
)
from tests.pricing.test_engine_properties import (
    CATEGORY_PATHS,
    T0,
    maybe_small_id,
    price_rules,
    strategies,
)

BUYERS = [
    Buyer(),
    Buyer(group_id=1),
    Buyer(group_id=2, customer_id=1),
    Buyer(group_id=1, company_id=1),
    Buyer(group_id=3, customer_id=2, company_id=2),
]
PRODUCTS = [
    ProductSnapshot(id=product_id, base_price=D("25.00"), category_path=path, name="Widget")
    for product_id in (1, 2, 3)
    for path in CATEGORY_PATHS[::2]
]


@st.composite
def quantity_rules(draw, rule_id: int) -> QuantityRuleData:
    step = draw(st.sampled_from([1, 2, 5]))
    scope = draw(st.sampled_from(["product", "category", "catalogue"]))
    negotiated = draw(st.sampled_from(["customer", "company", None]))
    negotiated_id = draw(maybe_small_id)
    return QuantityRuleData(
        id=rule_id,
        name=f"Quantity {rule_id}",
        group_id=draw(maybe_small_id),
        customer_id=negotiated_id if negotiated == "customer" else None,
        company_id=negotiated_id if negotiated == "company" else None,
        product_id=draw(st.integers(min_value=1, max_value=3)) if scope == "product" else None,
        category_id=draw(st.integers(min_value=1, max_value=7)) if scope == "category" else None,
        min_quantity=step * draw(st.integers(min_value=1, max_value=3)),
        max_quantity=draw(st.sampled_from([None, 60])),
        step=step,
    )


RULE_IDS = st.integers(min_value=1, max_value=40)


@st.composite
def changes(draw, make_rule, ids=RULE_IDS):
    """(rules held, rules added or replaced, ids removed): ids overlap, so a change may
    replace a held rule with one of another scope, remove it, or remove an id never held."""
    held_ids = draw(st.lists(ids, max_size=15, unique=True))
    upsert_ids = draw(st.lists(ids, max_size=6, unique=True))
    removed = draw(st.lists(ids, max_size=6, unique=True))
    held = [draw(make_rule(rule_id)) for rule_id in held_ids]
    upserts = [draw(make_rule(rule_id)) for rule_id in upsert_ids if rule_id not in removed]
    return held, upserts, set(removed)


def after(held, upserts, removed):
    kept = {rule.id: rule for rule in held if rule.id not in removed}
    kept.update({rule.id: rule for rule in upserts})
    return list(kept.values())


def everything_priced(rules):
    at_times = [T0 + timedelta(hours=5), T0 + timedelta(hours=11)]
    return [
        (
            quote(rules, product, buyer, quantity, at),
            tier_table(rules, product, buyer, at),
            check_quantity(rules, product, buyer, quantity),
        )
        for product in PRODUCTS
        for buyer in BUYERS
        for quantity in (1, 5, 12)
        for at in at_times
    ]


@settings(max_examples=80, deadline=None)
@given(prices=changes(price_rules), quantities=changes(quantity_rules), strategy=strategies)
def test_changed_rule_set_prices_as_compiled_from_scratch(prices, quantities, strategy):
    assert_changed_as_from_scratch(prices, quantities, strategy)


@settings(max_examples=80, deadline=None)
@given(prices=changes(price_rules), quantities=changes(quantity_rules), strategy=strategies)
def test_rules_filed_by_who_change_as_compiled_from_scratch(prices, quantities, strategy):
    """Large scopes (the whole catalogue, a busy category) file their rules by who: with a
    tiny threshold, scopes change between the two forms as rules come and go."""
    with patch.object(indexes, "FLAT_UP_TO", 2):
        assert_changed_as_from_scratch(prices, quantities, strategy)


def assert_changed_as_from_scratch(prices, quantities, strategy):
    held, upserts, removed = prices
    q_held, q_upserts, q_removed = quantities
    discount = CartDiscountData(id=1, name="Spend 100", kind="percent", value=D("5"))
    before = compile_rules(held, q_held, strategy=strategy)
    priced_before = everything_priced(before)

    changed = before.with_changes(
        price_rules=upserts,
        removed_price_rule_ids=removed,
        quantity_rules=q_upserts,
        removed_quantity_rule_ids=q_removed,
        cart_discounts=[discount],
    )
    scratch = compile_rules(
        after(held, upserts, removed),
        after(q_held, q_upserts, q_removed),
        [discount],
        strategy=strategy,
    )

    assert changed == scratch
    assert changed.company_ids == scratch.company_ids
    assert everything_priced(changed) == everything_priced(scratch)
    assert everything_priced(before) == priced_before


def test_a_rule_the_engine_refuses_leaves_the_rule_set_unchanged():
    rule = PriceRuleData(id=1, name="Sale", kind="percent_off", value=D("10"))
    rules = compile_rules([rule])
    bad = PriceRuleData(id=1, name="Sale", kind="free", value=D("10"))
    with pytest.raises(ValueError, match="unknown kind"):
        rules.with_changes(price_rules=[bad])
    assert rules.price_rules == (rule,)
