"""Price rules: every step of the ``priority`` strategy, every kind, windows, scopes, rounding.

Which rules apply does not depend on the strategy; these tests use ``priority`` (the order of
Comptoir's first version), where a rule above the base price still wins. The ``lowest`` strategy
is pinned by tests/pricing/test_engine_strategy.py. Pure engine tests: no database, no Django.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from pricing.engine import (
    PRIORITY,
    WHAT_CATALOGUE,
    WHAT_PRODUCT,
    Buyer,
    PriceRuleData,
    ProductSnapshot,
    compile_rules,
    quote,
    tier_table,
    to_cents,
)

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Category tree: 10 (root) > 20 > 30 (the product's own category).
PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), category_path=(10, 20, 30), name="Widget")
CUSTOMER = 100
GROUP = 1
COMPANY = 50
BUYER = Buyer(customer_id=CUSTOMER, group_id=GROUP)
MEMBER = Buyer(customer_id=CUSTOMER, group_id=GROUP, company_id=COMPANY)


def rule(rule_id: int, value: str = "9.00", kind: str = "fixed_price", **fields) -> PriceRuleData:
    return PriceRuleData(id=rule_id, name=f"Rule {rule_id}", kind=kind, value=D(value), **fields)


def price(rules, quantity=1, product=PRODUCT, buyer=MEMBER, at=AT):
    return quote(compile_rules(rules, strategy=PRIORITY), product, buyer, quantity, at)


def reasons(result, code):
    return [r.values for r in result.reasons if r.code == code]


def winner_step(result) -> tuple:
    (winner,) = reasons(result, "winner")
    return winner["step"], winner["value"], winner["other"]


# --- resolution order ---------------------------------------------------------------------

PRECEDENCE = [
    # (case, rules, quantity, winner id, why it won)
    (
        "priority",
        [rule(1, "8.00", customer_id=CUSTOMER, product_id=1), rule(2, "9.50", priority=5)],
        1,
        2,
        ("priority", 5, 0),
    ),
    (
        "customer over group",
        [rule(1, "8.00", group_id=GROUP), rule(2, "9.00", customer_id=CUSTOMER)],
        1,
        2,
        ("who", "customer", "group"),
    ),
    (
        "group over everyone",
        [rule(1, "8.00"), rule(2, "9.00", group_id=GROUP)],
        1,
        2,
        ("who", "group", "everyone"),
    ),
    (
        "customer over everyone",
        [rule(1, "8.00"), rule(2, "9.00", customer_id=CUSTOMER)],
        1,
        2,
        ("who", "customer", "everyone"),
    ),
    (
        "customer over company",
        [rule(1, "8.00", company_id=COMPANY), rule(2, "9.00", customer_id=CUSTOMER)],
        1,
        2,
        ("who", "customer", "company"),
    ),
    (
        "company over group",
        [rule(1, "8.00", group_id=GROUP), rule(2, "9.00", company_id=COMPANY)],
        1,
        2,
        ("who", "company", "group"),
    ),
    (
        "company over everyone",
        [rule(1, "8.00"), rule(2, "9.00", company_id=COMPANY)],
        1,
        2,
        ("who", "company", "everyone"),
    ),
    (
        "product over category",
        [rule(1, "8.00", category_id=30), rule(2, "9.00", product_id=1)],
        1,
        2,
        ("what", WHAT_PRODUCT, 3),
    ),
    (
        "deeper category over shallower",
        [rule(1, "8.00", category_id=10), rule(2, "9.00", category_id=30)],
        1,
        2,
        ("what", 3, 1),
    ),
    (
        "middle category over root",
        [rule(1, "8.00", category_id=10), rule(2, "9.00", category_id=20)],
        1,
        2,
        ("what", 2, 1),
    ),
    (
        "category over whole catalogue",
        [rule(1, "8.00"), rule(2, "9.00", category_id=10)],
        1,
        2,
        ("what", 1, WHAT_CATALOGUE),
    ),
    (
        "higher min quantity",
        [rule(1, "8.00"), rule(2, "9.00", min_quantity=5)],
        5,
        2,
        ("min_quantity", 5, 1),
    ),
    (
        "lower price",
        [rule(1, "9.00"), rule(2, "8.00")],
        1,
        2,
        ("price", D("8.00"), D("9.00")),
    ),
    (
        "lower price across kinds",
        [rule(1, "15", kind="percent_off"), rule(2, "1.60", kind="amount_off")],
        1,
        2,
        ("price", D("8.40"), D("8.50")),
    ),
    ("lower id", [rule(2, "8.00"), rule(1, "8.00")], 1, 1, ("id", 1, 2)),
    (
        "priority beats who",
        [rule(1, "5.00", customer_id=CUSTOMER), rule(2, "9.00", priority=1)],
        1,
        2,
        ("priority", 1, 0),
    ),
    (
        "who beats what",
        [rule(1, "5.00", product_id=1), rule(2, "9.00", group_id=GROUP)],
        1,
        2,
        ("who", "group", "everyone"),
    ),
    (
        "what beats min quantity",
        [rule(1, "5.00", category_id=30, min_quantity=10), rule(2, "9.00", product_id=1)],
        10,
        2,
        ("what", WHAT_PRODUCT, 3),
    ),
    (
        "min quantity beats price",
        [rule(1, "5.00"), rule(2, "9.00", min_quantity=3)],
        3,
        2,
        ("min_quantity", 3, 1),
    ),
    (
        "negative priority loses",
        [rule(1, "5.00", priority=-1), rule(2, "9.00")],
        1,
        2,
        ("priority", 0, -1),
    ),
    ("only rule", [rule(7, "9.00")], 1, 7, ("only", None, None)),
    (
        "only applicable rule",
        [rule(7, "9.00"), rule(8, "5.00", min_quantity=10)],
        1,
        7,
        ("only", None, None),
    ),
]


@pytest.mark.parametrize(
    ("rules", "quantity", "winner_id", "why"),
    [case[1:] for case in PRECEDENCE],
    ids=[case[0] for case in PRECEDENCE],
)
def test_resolution_order(rules, quantity, winner_id, why):
    result = price(rules, quantity)
    assert result.rule is not None
    assert result.rule.id == winner_id
    winner = next(r for r in rules if r.id == winner_id)
    assert result.unit_price == price([winner], quantity).unit_price
    assert winner_step(result) == why
    assert reasons(result, "strategy") == [{"strategy": "priority"}]


@pytest.mark.parametrize(
    ("rules", "quantity", "winner_id", "why"),
    [case[1:] for case in PRECEDENCE],
    ids=[case[0] for case in PRECEDENCE],
)
def test_resolution_order_ignores_input_order(rules, quantity, winner_id, why):
    assert price(list(reversed(rules)), quantity) == price(rules, quantity)


# --- kinds and rounding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "base", "expected"),
    [
        ("fixed_price", "7.50", "10.00", "7.50"),
        ("fixed_price", "12.00", "10.00", "12.00"),  # a fixed price may be above base
        ("fixed_price", "7.555", "10.00", "7.56"),  # half up
        ("fixed_price", "7.554", "10.00", "7.55"),
        ("fixed_price", "0", "10.00", "0.00"),
        ("percent_off", "20", "10.00", "8.00"),
        ("percent_off", "33.33", "10.00", "6.67"),  # 6.667
        ("percent_off", "12.5", "9.99", "8.74"),  # 8.74125
        ("percent_off", "50", "0.05", "0.03"),  # 0.025: half up, not half even
        ("percent_off", "15", "0.10", "0.09"),  # 0.085: half up, not half even
        ("percent_off", "50", "0.01", "0.01"),  # 0.005
        ("percent_off", "100", "10.00", "0.00"),
        ("percent_off", "0", "10.00", "10.00"),
        ("amount_off", "2.50", "10.00", "7.50"),
        ("amount_off", "10.00", "10.00", "0.00"),
        ("amount_off", "15.00", "10.00", "0.00"),  # never negative
        ("amount_off", "0.005", "10.00", "10.00"),  # 9.995 -> 10.00
    ],
)
def test_unit_price_by_kind(kind, value, base, expected):
    product = ProductSnapshot(id=1, base_price=D(base), category_path=(10,))
    result = price([rule(1, value, kind=kind)], product=product)
    assert result.unit_price == D(expected)
    assert result.unit_price.as_tuple().exponent == -2


def test_rounding_is_on_the_unit_price_then_line():
    # 10.00 - 33.33% = 6.667 -> 6.67 per unit; x 3 = 20.01 (rounding the line instead gives 20.00)
    result = price([rule(1, "33.33", kind="percent_off")], quantity=3)
    assert (result.unit_price, result.total) == (D("6.67"), D("20.01"))
    (candidate,) = reasons(result, "candidate")
    assert (candidate["price"], candidate["raw"]) == (D("6.67"), D("6.667"))


def test_no_rounding_note_when_exact():
    result = price([rule(1, "20", kind="percent_off")])
    (candidate,) = reasons(result, "candidate")
    assert candidate["raw"] is None


def test_base_price_is_quantised_and_rounding_explained():
    product = ProductSnapshot(id=1, base_price=D("10.005"))
    result = price([], product=product, quantity=2)
    assert (result.base_unit_price, result.unit_price, result.total) == (
        D("10.01"),
        D("10.01"),
        D("20.02"),
    )
    assert reasons(result, "base_price") == [{"price": D("10.01"), "raw": D("10.005")}]


def test_unknown_kind_is_refused_at_compile_time():
    with pytest.raises(ValueError, match="unknown kind"):
        compile_rules([rule(1, kind="free")])


def test_rule_with_product_and_category_is_refused():
    with pytest.raises(ValueError, match="both a product and a category"):
        compile_rules([rule(1, product_id=1, category_id=10)])


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_below_one_is_refused(quantity):
    with pytest.raises(ValueError, match="at least 1"):
        price([], quantity=quantity)


# --- no rule ------------------------------------------------------------------------------


def test_no_rule_gives_base_price():
    result = price([], quantity=4)
    assert (result.unit_price, result.total, result.rule) == (D("10.00"), D("40.00"), None)
    assert [r.code for r in result.reasons] == ["strategy", "base_price", "no_rule", "total"]
    assert reasons(result, "total") == [
        {"unit_price": D("10.00"), "quantity": 4, "total": D("40.00")}
    ]
    assert result.candidates == ()


def test_candidates_that_do_not_apply_give_base_price_and_say_why():
    result = price([rule(7, "8.00", min_quantity=12)], quantity=5)
    assert (result.unit_price, result.rule) == (D("10.00"), None)
    too_few = {"rule_id": 7, "name": "Rule 7", "why": "min_quantity", "min_quantity": 12}
    assert reasons(result, "not_applicable") == [{**too_few, "quantity": 5}]
    assert reasons(result, "no_rule") == [{}]
    (candidate,) = result.candidates
    assert (candidate.applies, candidate.unit_price) == (False, D("8.00"))
    assert candidate.reason.values == {**too_few, "quantity": 5}


# --- windows ------------------------------------------------------------------------------

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "applies", "reason"),
    [
        (None, None, True, None),
        (AT, None, True, None),  # start inclusive
        (AT + SECOND, None, False, ("not_started", AT + SECOND)),
        (AT - timedelta(days=1), None, True, None),
        (None, AT, False, ("ended", AT)),  # end exclusive
        (None, AT + SECOND, True, None),
        (None, AT - SECOND, False, ("ended", AT - SECOND)),
        (AT - SECOND, AT + SECOND, True, None),
        (AT, AT + SECOND, True, None),
        (AT - SECOND, AT, False, ("ended", AT)),
        (
            datetime(2026, 12, 1, tzinfo=UTC),
            None,
            False,
            ("not_started", datetime(2026, 12, 1, tzinfo=UTC)),
        ),
    ],
)
def test_windows(starts_at, ends_at, applies, reason):
    result = price([rule(1, "8.00", starts_at=starts_at, ends_at=ends_at)])
    (candidate,) = result.candidates
    assert candidate.applies is applies
    assert result.unit_price == (D("8.00") if applies else D("10.00"))
    if applies:
        assert candidate.reason is None
    else:
        why, at = reason
        expected = {"rule_id": 1, "name": "Rule 1", "why": why, "at": at}
        assert candidate.reason.values == expected
        assert reasons(result, "not_applicable") == [expected]


# --- who ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_fields", "buyer", "applies"),
    [
        ({}, BUYER, True),
        ({}, Buyer(), True),  # guest
        ({"group_id": GROUP}, BUYER, True),
        ({"group_id": GROUP}, Buyer(group_id=GROUP), True),
        ({"group_id": 2}, BUYER, False),  # other group
        ({"group_id": GROUP}, Buyer(), False),
        ({"customer_id": CUSTOMER}, BUYER, True),
        ({"customer_id": CUSTOMER}, Buyer(customer_id=CUSTOMER), True),
        ({"customer_id": 101}, BUYER, False),  # other customer
        ({"customer_id": CUSTOMER}, Buyer(group_id=GROUP), False),
        ({"customer_id": CUSTOMER}, Buyer(), False),
        # a negotiated rule follows the customer, whatever group it also names
        ({"customer_id": CUSTOMER, "group_id": 2}, BUYER, True),
        ({"customer_id": 101, "group_id": GROUP}, BUYER, False),
        # a company's rule applies to every member of that company, and only to them
        ({"company_id": COMPANY}, MEMBER, True),
        ({"company_id": COMPANY}, Buyer(customer_id=101, company_id=COMPANY), True),
        ({"company_id": COMPANY}, BUYER, False),  # not a member of any company
        ({"company_id": 51}, MEMBER, False),  # other company
        ({"company_id": COMPANY}, Buyer(group_id=GROUP), False),
        ({"company_id": COMPANY}, Buyer(), False),  # guest
        ({"company_id": COMPANY, "group_id": 2}, MEMBER, True),  # follows the company
        ({"company_id": 51, "group_id": GROUP}, MEMBER, False),
    ],
)
def test_who(rule_fields, buyer, applies):
    result = price([rule(1, "8.00", **rule_fields)], buyer=buyer)
    assert result.unit_price == (D("8.00") if applies else D("10.00"))
    # Other buyers' rules are not even candidates: their names never reach an explanation.
    assert (len(result.candidates) == 1) is applies
    assert any(r.values.get("rule_id") == 1 for r in result.reasons) is applies


def test_customer_over_group_over_everyone_together():
    rules = [
        rule(1, "9.00"),
        rule(2, "8.00", group_id=GROUP),
        rule(3, "8.50", customer_id=CUSTOMER),
        rule(4, "1.00", group_id=2),
        rule(5, "1.00", customer_id=101),
    ]
    assert price(rules, buyer=BUYER).rule.id == 3
    assert price(rules, buyer=Buyer(customer_id=999, group_id=GROUP)).rule.id == 2
    assert price(rules, buyer=Buyer()).rule.id == 1
    assert [c.rule.id for c in price(rules, buyer=BUYER).candidates] == [3, 2, 1]


def test_customer_over_company_over_group_over_everyone_together():
    rules = [
        rule(1, "9.00"),
        rule(2, "8.00", group_id=GROUP),
        rule(3, "8.50", company_id=COMPANY),
        rule(4, "8.70", customer_id=CUSTOMER),
        rule(5, "1.00", company_id=51),
    ]
    assert price(rules, buyer=MEMBER).rule.id == 4
    colleague = Buyer(customer_id=101, group_id=GROUP, company_id=COMPANY)
    assert price(rules, buyer=colleague).rule.id == 3
    assert price(rules, buyer=BUYER).rule.id == 4
    assert price(rules, buyer=Buyer(customer_id=999, group_id=GROUP)).rule.id == 2
    assert price(rules, buyer=Buyer()).rule.id == 1
    assert [c.rule.id for c in price(rules, buyer=MEMBER).candidates] == [4, 3, 2, 1]
    (candidate,) = [
        r.values for r in price(rules, buyer=colleague).reasons if r.values.get("rule_id") == 3
    ][:1]
    assert candidate["who"] == "company"


def test_rule_with_customer_and_company_is_refused():
    with pytest.raises(ValueError, match="both a customer and a company"):
        compile_rules([rule(1, customer_id=CUSTOMER, company_id=COMPANY)])


# --- what: category inheritance ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_fields", "product", "applies"),
    [
        ({"category_id": 10}, PRODUCT, True),  # root ancestor
        ({"category_id": 20}, PRODUCT, True),  # parent
        ({"category_id": 30}, PRODUCT, True),  # own category
        ({"category_id": 99}, PRODUCT, False),  # unrelated category
        ({"category_id": 30}, ProductSnapshot(2, D("10.00"), (10, 20)), False),  # child of own
        ({"category_id": 10}, ProductSnapshot(2, D("10.00"), ()), False),  # uncategorised
        ({}, ProductSnapshot(2, D("10.00"), ()), True),  # whole catalogue
        ({"product_id": 1}, PRODUCT, True),
        ({"product_id": 2}, PRODUCT, False),
    ],
)
def test_what(rule_fields, product, applies):
    base = product.base_price
    result = price([rule(1, "8.00", **rule_fields)], product=product)
    assert result.unit_price == (D("8.00") if applies else base)


def test_category_levels_are_named_and_ordered_in_explanation():
    rules = [rule(1, "7.00", category_id=10), rule(2, "8.00", category_id=30), rule(3, "9.00")]
    result = price(rules)
    assert [c.rule.id for c in result.candidates] == [2, 1, 3]
    assert reasons(result, "candidate")[0] == {
        "rule_id": 2,
        "name": "Rule 2",
        "who": "everyone",
        "what": "category",
        "category_id": 30,
        "min_quantity": 1,
        "price": D("8.00"),
        "raw": None,
    }
    assert winner_step(result) == ("what", 3, 1)
    lost = {(r["rule_id"], r["step"], r["value"], r["other"]) for r in reasons(result, "lost")}
    assert lost == {(1, "what", 1, 3), (3, "what", WHAT_CATALOGUE, 3)}


def test_explanation_lines_in_order():
    rules = [
        PriceRuleData(3, "Wholesale 20% off", "percent_off", D("20"), priority=5, group_id=GROUP),
        PriceRuleData(7, "Tier 12+", "fixed_price", D("7.00"), min_quantity=12, product_id=1),
    ]
    result = price(rules, quantity=5)
    assert [(r.code, r.values.get("rule_id")) for r in result.reasons] == [
        ("strategy", None),
        ("base_price", None),
        ("candidate", 3),
        ("not_applicable", 7),
        ("winner", 3),
        ("total", None),
    ]


# --- quantity tiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(1, "10.00"), (11, "10.00"), (12, "8.00"), (23, "8.00"), (24, "7.00"), (1000, "7.00")],
)
def test_quantity_tiers(quantity, expected):
    rules = [rule(1, "8.00", min_quantity=12), rule(2, "7.00", min_quantity=24)]
    result = price(rules, quantity)
    assert result.unit_price == D(expected)
    assert result.total == D(expected) * quantity


@pytest.mark.parametrize(
    ("rules", "buyer", "expected"),
    [
        ("none", BUYER, [(1, "10.00")]),
        ("ladder", BUYER, [(1, "9.00"), (12, "8.00"), (24, "7.00")]),
        ("equal tiers collapse", BUYER, [(1, "9.00"), (12, "8.00")]),
        ("starts at base", BUYER, [(1, "10.00"), (10, "8.00")]),
        ("high priority flat price hides tiers", BUYER, [(1, "9.00")]),
        ("other group's tiers ignored", Buyer(group_id=2), [(1, "10.00")]),
        ("out of window tiers ignored", BUYER, [(1, "10.00"), (6, "9.00")]),
        ("group tier for the group", BUYER, [(1, "10.00"), (6, "9.00"), (12, "8.50")]),
        ("more costs more is shown as is", BUYER, [(1, "8.00"), (10, "9.00")]),
    ],
)
def test_tier_table(rules, buyer, expected):
    rule_sets = {
        "none": [],
        "ladder": [
            rule(1, "9.00"),
            rule(2, "8.00", min_quantity=12),
            rule(3, "7.00", min_quantity=24),
        ],
        "equal tiers collapse": [
            rule(1, "9.00"),
            rule(2, "8.00", min_quantity=12),
            rule(3, "8.00", min_quantity=24),
        ],
        "starts at base": [rule(1, "8.00", min_quantity=10)],
        "high priority flat price hides tiers": [
            rule(1, "9.00", priority=1),
            rule(2, "8.00", min_quantity=12),
        ],
        "other group's tiers ignored": [rule(1, "8.00", min_quantity=12, group_id=GROUP)],
        "out of window tiers ignored": [
            rule(1, "9.00", min_quantity=6),
            rule(2, "5.00", min_quantity=12, ends_at=AT),
            rule(3, "5.00", min_quantity=24, starts_at=AT + SECOND),
        ],
        "group tier for the group": [
            rule(1, "9.00", min_quantity=6),
            rule(2, "8.50", min_quantity=12, group_id=GROUP),
        ],
        "more costs more is shown as is": [rule(1, "8.00"), rule(2, "9.00", min_quantity=10)],
    }
    compiled = compile_rules(rule_sets[rules], strategy=PRIORITY)
    table = tier_table(compiled, PRODUCT, buyer, AT)
    assert table == [(qty, D(value)) for qty, value in expected]
    # every row is exactly what a quote at that quantity charges
    for qty, unit in table:
        assert quote(compiled, PRODUCT, buyer, qty, AT).unit_price == unit


def test_to_cents_half_up():
    assert [to_cents(D(v)) for v in ("0.005", "0.015", "0.025", "-0.005", "1.994", "2")] == [
        D("0.01"),
        D("0.02"),
        D("0.03"),
        D("-0.01"),
        D("1.99"),
        D("2.00"),
    ]
