"""The ``lowest`` strategy (the default) step by step, and the defects the ``priority`` order had.

Pure engine tests: no database, no Django. The ``priority`` strategy is pinned by
tests/pricing/test_engine_prices.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from pricing.engine import (
    LOWEST,
    PRIORITY,
    WHAT_CATALOGUE,
    WHAT_PRODUCT,
    Buyer,
    PriceRuleData,
    ProductSnapshot,
    compile_rules,
    quote,
    tier_table,
)

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), category_path=(10, 20, 30), name="Widget")
CUSTOMER, GROUP, COMPANY = 100, 1, 50
BUYER = Buyer(customer_id=CUSTOMER, group_id=GROUP, company_id=COMPANY)
GUEST = Buyer()


def rule(rule_id: int, value: str = "9.00", kind: str = "fixed_price", **fields) -> PriceRuleData:
    return PriceRuleData(id=rule_id, name=f"Rule {rule_id}", kind=kind, value=D(value), **fields)


def price(rules, quantity=1, buyer=BUYER, strategy=LOWEST, product=PRODUCT):
    return quote(compile_rules(rules, strategy=strategy), product, buyer, quantity, AT)


def winner_step(result) -> tuple:
    (winner,) = [r.values for r in result.reasons if r.code == "winner"]
    return winner["step"], winner["value"], winner["other"]


LOWEST_CASES = [
    # (case, rules, quantity, winner id, (step, winner's value, runner-up's value))
    (
        "lower price beats priority",
        [rule(1, "8.00"), rule(2, "9.00", priority=5)],
        1,
        1,
        ("price", D("8.00"), D("9.00")),
    ),
    (
        "lower price beats a more specific buyer",
        [rule(1, "8.00"), rule(2, "9.00", customer_id=CUSTOMER)],
        1,
        1,
        ("price", D("8.00"), D("9.00")),
    ),
    (
        "lower price beats a more specific product scope",
        [rule(1, "8.00"), rule(2, "9.00", product_id=1)],
        1,
        1,
        ("price", D("8.00"), D("9.00")),
    ),
    (
        "lower price across kinds",
        [rule(1, "15", kind="percent_off"), rule(2, "1.60", kind="amount_off")],
        1,
        2,
        ("price", D("8.40"), D("8.50")),
    ),
    (
        "equal price: priority",
        [rule(1, "8.00"), rule(2, "8.00", priority=1)],
        1,
        2,
        ("priority", 1, 0),
    ),
    (
        "equal price and priority: customer over group",
        [rule(1, "8.00", group_id=GROUP), rule(2, "8.00", customer_id=CUSTOMER)],
        1,
        2,
        ("who", "customer", "group"),
    ),
    (
        "equal price and priority: customer over company",
        [rule(1, "8.00", company_id=COMPANY), rule(2, "8.00", customer_id=CUSTOMER)],
        1,
        2,
        ("who", "customer", "company"),
    ),
    (
        "equal price and priority: company over group",
        [rule(1, "8.00", group_id=GROUP), rule(2, "8.00", company_id=COMPANY)],
        1,
        2,
        ("who", "company", "group"),
    ),
    (
        "lower price beats the company's rule",
        [rule(1, "7.00", group_id=GROUP), rule(2, "8.00", company_id=COMPANY)],
        1,
        1,
        ("price", D("7.00"), D("8.00")),
    ),
    (
        "equal price and priority: group over everyone",
        [rule(1, "8.00"), rule(2, "8.00", group_id=GROUP)],
        1,
        2,
        ("who", "group", "everyone"),
    ),
    (
        "then product over category",
        [rule(1, "8.00", category_id=30), rule(2, "8.00", product_id=1)],
        1,
        2,
        ("what", WHAT_PRODUCT, 3),
    ),
    (
        "then category over whole catalogue",
        [rule(1, "8.00"), rule(2, "8.00", category_id=10)],
        1,
        2,
        ("what", 1, WHAT_CATALOGUE),
    ),
    (
        "then the higher tier",
        [rule(1, "8.00"), rule(2, "8.00", min_quantity=5)],
        5,
        2,
        ("min_quantity", 5, 1),
    ),
    ("then the lower id", [rule(2, "8.00"), rule(1, "8.00")], 1, 1, ("id", 1, 2)),
    ("only rule", [rule(7, "9.00")], 1, 7, ("only", None, None)),
    ("a rule at the base price wins", [rule(7, "10.00")], 1, 7, ("only", None, None)),
]


@pytest.mark.parametrize(
    ("rules", "quantity", "winner_id", "step"),
    [case[1:] for case in LOWEST_CASES],
    ids=[case[0] for case in LOWEST_CASES],
)
def test_lowest_order(rules, quantity, winner_id, step):
    result = price(rules, quantity)
    assert result.rule.id == winner_id
    assert winner_step(result) == step
    assert result.reasons[0].values == {"strategy": LOWEST}
    assert price(list(reversed(rules)), quantity) == result


def test_lowest_never_charges_more_than_the_base_price():
    result = price([rule(1, "12.00"), rule(2, "11.00", group_id=GROUP)])
    assert (result.unit_price, result.rule) == (D("10.00"), None)
    assert [r.values for r in result.reasons if r.code == "base_lower"] == [
        {"price": D("10.00"), "rule_price": D("11.00")}
    ]
    lost = {r.values["rule_id"]: r.values for r in result.reasons if r.code == "lost"}
    assert lost[2] == {
        "rule_id": 2,
        "name": "Rule 2",
        "step": "price",
        "value": D("11.00"),
        "other": D("10.00"),
        "winner_id": None,
    }
    assert set(lost) == {1, 2}
    assert price([rule(1, "12.00")], strategy=PRIORITY).unit_price == D("12.00")


def test_every_loser_is_told_the_step_it_lost_on():
    rules = [rule(1, "8.00", priority=3), rule(2, "7.00"), rule(3, "9.00", min_quantity=50)]
    result = price(rules, quantity=5)
    assert result.rule.id == 2
    by_rule = {c.rule.id: c.reason for c in result.candidates}
    assert by_rule[2] is None
    assert by_rule[1].code == "lost"
    assert by_rule[1].values["step"] == "price"
    assert (by_rule[1].values["value"], by_rule[1].values["other"]) == (D("8.00"), D("7.00"))
    assert by_rule[3].code == "not_applicable"
    # under priority the same rule loses on priority instead
    result = price(rules, quantity=5, strategy=PRIORITY)
    assert result.rule.id == 1
    lost = {c.rule.id: c.reason.values for c in result.candidates if c.reason}
    assert (lost[2]["step"], lost[2]["value"], lost[2]["other"]) == ("priority", 0, 3)


GEL_PEN = ProductSnapshot(id=5, base_price=D("2.00"), category_path=(40,), name="Gel pen")
VIP, WHOLESALE = 7, 8
PEN_RULES = [
    rule(1, "1.50", product_id=5, min_quantity=12),  # public quantity tiers
    rule(2, "1.20", product_id=5, min_quantity=100),
    rule(3, "10", kind="percent_off", group_id=VIP),  # 10 % off for VIPs, from 1
    rule(4, "20", kind="percent_off", group_id=WHOLESALE, category_id=40),
]


@pytest.mark.parametrize(
    ("buyer", "quantity", "priority_unit", "lowest_unit"),
    [
        # A VIP's 10 % outranked the public tiers: 100 pens cost 1.80 each instead of 1.20.
        (Buyer(group_id=VIP), 100, "1.80", "1.20"),
        (GUEST, 100, "1.20", "1.20"),
        # A wholesale buyer paid 1.60 from 12 where everyone else paid 1.50.
        (Buyer(group_id=WHOLESALE), 12, "1.60", "1.50"),
        (GUEST, 12, "1.50", "1.50"),
        (Buyer(group_id=WHOLESALE), 1, "1.60", "1.60"),
    ],
)
def test_group_buyers_no_longer_pay_more_than_guests(buyer, quantity, priority_unit, lowest_unit):
    assert price(PEN_RULES, quantity, buyer, PRIORITY, GEL_PEN).unit_price == D(priority_unit)
    assert price(PEN_RULES, quantity, buyer, LOWEST, GEL_PEN).unit_price == D(lowest_unit)


def test_a_public_sale_no_longer_beats_the_trade_discount():
    garden = ProductSnapshot(id=9, base_price=D("53.39"), category_path=(60,), name="Hose")
    rules = [
        rule(1, "15", kind="percent_off", category_id=60, priority=1),  # sale for everyone
        rule(2, "20", kind="percent_off", group_id=WHOLESALE),
    ]
    trade = Buyer(group_id=WHOLESALE)
    assert price(rules, 1, trade, PRIORITY, garden).unit_price == D("45.38")
    assert price(rules, 1, trade, LOWEST, garden).unit_price == D("42.71")
    assert price(rules, 1, GUEST, LOWEST, garden).unit_price == D("45.38")


def test_lowest_tier_table_takes_the_cheapest_rule_at_each_quantity():
    table = tier_table(compile_rules(PEN_RULES), GEL_PEN, Buyer(group_id=VIP), AT)
    assert table == [(1, D("1.80")), (12, D("1.50")), (100, D("1.20"))]


def test_unknown_strategy_is_refused():
    with pytest.raises(ValueError, match="unknown pricing strategy"):
        compile_rules([], strategy="cheapest")
