"""Quantity rules: which rule is in force, and the violations a quantity produces."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pricing.engine import (
    Buyer,
    ProductSnapshot,
    QuantityRuleData,
    check_quantity,
    compile_rules,
    quantity_rule_for,
)

PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), category_path=(10, 20, 30), name="Widget")
CUSTOMER, GROUP = 100, 1
BUYER = Buyer(customer_id=CUSTOMER, group_id=GROUP)


def qrule(rule_id: int, **fields) -> QuantityRuleData:
    return QuantityRuleData(id=rule_id, name=f"Quantity {rule_id}", **fields)


SPECIFICITY = [
    ("none", [], BUYER, None),
    ("everyone", [qrule(1)], BUYER, 1),
    ("customer over group", [qrule(1, group_id=GROUP), qrule(2, customer_id=CUSTOMER)], BUYER, 2),
    ("group over everyone", [qrule(1), qrule(2, group_id=GROUP)], BUYER, 2),
    ("product over category", [qrule(1, category_id=30), qrule(2, product_id=1)], BUYER, 2),
    (
        "deeper category over shallower",
        [qrule(1, category_id=10), qrule(2, category_id=20)],
        BUYER,
        2,
    ),
    ("category over catalogue", [qrule(1), qrule(2, category_id=10)], BUYER, 2),
    ("who before what", [qrule(1, product_id=1), qrule(2, group_id=GROUP)], BUYER, 2),
    ("lower id", [qrule(2), qrule(1)], BUYER, 1),
    ("other customer ignored", [qrule(1), qrule(2, customer_id=101)], BUYER, 1),
    ("other group ignored", [qrule(1), qrule(2, group_id=2)], BUYER, 1),
    ("guest gets everyone", [qrule(1), qrule(2, group_id=GROUP)], Buyer(), 1),
    ("unrelated category ignored", [qrule(1), qrule(2, category_id=99)], BUYER, 1),
    ("other product ignored", [qrule(2, product_id=2)], BUYER, None),
]


@pytest.mark.parametrize(
    ("rules", "buyer", "expected_id"),
    [case[1:] for case in SPECIFICITY],
    ids=[case[0] for case in SPECIFICITY],
)
def test_quantity_rule_for(rules, buyer, expected_id):
    found = quantity_rule_for(compile_rules(quantity_rules=rules), PRODUCT, buyer)
    assert (found.id if found else None) == expected_id
    reversed_rules = compile_rules(quantity_rules=list(reversed(rules)))
    assert quantity_rule_for(reversed_rules, PRODUCT, buyer) == found


PACKS = qrule(1, group_id=GROUP, min_quantity=6, max_quantity=60, step=6)


@pytest.mark.parametrize(
    ("rules", "quantity", "stock", "expected"),
    [
        ([PACKS], 6, None, []),
        ([PACKS], 12, None, []),
        ([PACKS], 60, None, []),
        ([PACKS], 5, None, [("min", 6), ("step", 6)]),
        ([PACKS], 7, None, [("step", 6)]),
        ([PACKS], 66, None, [("max", 60)]),
        ([PACKS], 61, None, [("max", 60), ("step", 6)]),
        ([PACKS], 12, 10, [("stock", 10)]),
        ([PACKS], 12, 12, []),
        ([PACKS], 0, None, [("invalid", 1)]),
        ([PACKS], -6, 100, [("invalid", 1)]),
        ([], 1, None, []),
        ([], 10_000, None, []),
        ([], 3, 2, [("stock", 2)]),
        ([], 1, 0, [("stock", 0)]),
        ([], 1, -4, [("stock", 0)]),  # oversold stock is shown as none left
        ([], 0, None, [("invalid", 1)]),
        ([qrule(2, max_quantity=2)], 3, None, [("max", 2)]),
        ([qrule(2, max_quantity=2)], 2, None, []),
        ([qrule(2, min_quantity=3)], 2, None, [("min", 3)]),
        # the more specific customer rule replaces the group's packs of 6
        ([PACKS, qrule(2, customer_id=CUSTOMER, step=1)], 7, None, []),
        # another group's rule is not enforced on this buyer
        ([qrule(3, group_id=2, min_quantity=50)], 1, None, []),
    ],
)
def test_check_quantity(rules, quantity, stock, expected):
    violations = check_quantity(
        compile_rules(quantity_rules=rules), PRODUCT, BUYER, quantity, stock=stock
    )
    found = [(v.code, v.product_name, v.limit, v.quantity) for v in violations]
    assert found == [(code, "Widget", limit, quantity) for code, limit in expected]
