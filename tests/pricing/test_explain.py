"""The engine's structured explanation rendered in words, and kept as JSON on order lines."""

import json
from datetime import UTC, datetime
from decimal import Decimal as D

from pricing import explain
from pricing.engine import (
    PRIORITY,
    Buyer,
    PriceRuleData,
    ProductSnapshot,
    compile_rules,
    quote,
)

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), category_path=(10,), name="Widget")
RULES = [
    PriceRuleData(3, "Wholesale 20% off", "percent_off", D("20"), group_id=1),
    PriceRuleData(4, "Everyone 33.33%", "percent_off", D("33.33")),
    PriceRuleData(7, "Tier 12+", "fixed_price", D("5.00"), min_quantity=12, product_id=1),
    PriceRuleData(
        8, "Summer", "fixed_price", D("1.00"), starts_at=datetime(2026, 7, 1, tzinfo=UTC)
    ),
]


def test_every_step_reads_as_a_sentence_under_lowest():
    result = quote(compile_rules(RULES), PRODUCT, Buyer(group_id=1), 5, AT)
    assert explain.render(result.reasons) == [
        "Strategy: lowest price",
        "Base price €10.00",
        "Not applicable #8 “Summer”: starts July 1, 2026, midnight",
        "Not applicable #7 “Tier 12+”: needs quantity 12 (asked 5)",
        "Candidate #4 “Everyone 33.33%” (everyone, the whole catalogue, from 1): "
        "€6.67 (6.667 rounded to €6.67)",
        "Candidate #3 “Wholesale 20% off” (the buyer's group, the whole catalogue, from 1): €8.00",
        "Winner #4 “Everyone 33.33%”: lower price (€6.67 over €8.00)",
        "Lost #3 “Wholesale 20% off” to #4: lower price (€6.67 over €8.00)",
        "Total €6.67 × 5 = €33.35",
    ]


def test_priority_names_its_strategy_and_the_step_that_decided():
    result = quote(compile_rules(RULES, strategy=PRIORITY), PRODUCT, Buyer(group_id=1), 12, AT)
    lines = explain.render(result.reasons)
    assert lines[0] == "Strategy: priority"
    group_first = "more specific buyer (the buyer's group over everyone)"
    assert f"Winner #3 “Wholesale 20% off”: {group_first}" in lines
    assert f"Lost #7 “Tier 12+” to #3: {group_first}" in lines
    assert f"Lost #4 “Everyone 33.33%” to #3: {group_first}" in lines


def test_a_rule_above_the_base_price_is_said_to_lose_to_it():
    dear = [PriceRuleData(1, "Dear", "fixed_price", D("12.00"))]
    lines = explain.render(quote(compile_rules(dear), PRODUCT, Buyer(), 1, AT).reasons)
    assert "Base price €10.00 wins: every rule gives more (lowest €12.00)" in lines
    assert "Lost #1 “Dear”: €12.00 is above the base price €10.00" in lines


def test_the_json_form_survives_a_round_trip_and_renders_the_same():
    result = quote(compile_rules(RULES), PRODUCT, Buyer(group_id=1), 5, AT)
    stored = json.loads(json.dumps(explain.as_json(result.reasons)))
    assert explain.render(explain.from_json(stored)) == explain.render(result.reasons)
