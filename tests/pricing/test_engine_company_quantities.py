"""Quantity rules negotiated with a company: customer > company > group > everyone, and only
for the company's members."""

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

PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), category_path=(10, 20), name="Widget")
CUSTOMER, COMPANY, GROUP = 100, 7, 1
MEMBER = Buyer(customer_id=CUSTOMER, group_id=GROUP, company_id=COMPANY)
NOT_A_MEMBER = Buyer(customer_id=101, group_id=GROUP)


def qrule(rule_id: int, **fields) -> QuantityRuleData:
    return QuantityRuleData(id=rule_id, name=f"Quantity {rule_id}", **fields)


SPECIFICITY = [
    ("company over group", [qrule(1, group_id=GROUP), qrule(2, company_id=COMPANY)], MEMBER, 2),
    ("company over everyone", [qrule(1), qrule(2, company_id=COMPANY)], MEMBER, 2),
    (
        "customer over company",
        [qrule(1, customer_id=CUSTOMER), qrule(2, company_id=COMPANY)],
        MEMBER,
        1,
    ),
    (
        "company before what",
        [qrule(1, group_id=GROUP, product_id=1), qrule(2, company_id=COMPANY)],
        MEMBER,
        2,
    ),
    (
        "product over category inside the company",
        [qrule(1, company_id=COMPANY, category_id=10), qrule(2, company_id=COMPANY, product_id=1)],
        MEMBER,
        2,
    ),
    ("other company ignored", [qrule(1), qrule(2, company_id=8)], MEMBER, 1),
    (
        "non-member ignores it",
        [qrule(1, group_id=GROUP), qrule(2, company_id=COMPANY)],
        NOT_A_MEMBER,
        1,
    ),
    ("guest ignores it", [qrule(1), qrule(2, company_id=COMPANY)], Buyer(), 1),
    ("company rule alone, non-member", [qrule(2, company_id=COMPANY)], NOT_A_MEMBER, None),
]


@pytest.mark.parametrize(
    ("rules", "buyer", "expected_id"),
    [case[1:] for case in SPECIFICITY],
    ids=[case[0] for case in SPECIFICITY],
)
def test_company_quantity_rule_specificity(rules, buyer, expected_id):
    found = quantity_rule_for(compile_rules(quantity_rules=rules), PRODUCT, buyer)
    assert (found.id if found else None) == expected_id
    reversed_rules = compile_rules(quantity_rules=list(reversed(rules)))
    assert quantity_rule_for(reversed_rules, PRODUCT, buyer) == found


BOXES_OF_SIX = qrule(1, group_id=GROUP, min_quantity=6, step=6)
COMPANY_PAIRS = qrule(2, company_id=COMPANY, min_quantity=2, max_quantity=20, step=2)


@pytest.mark.parametrize(
    ("buyer", "quantity", "expected"),
    [
        (MEMBER, 4, []),
        (MEMBER, 3, [("step", 2, "company")]),
        (MEMBER, 1, [("min", 2, "company"), ("step", 2, "company")]),
        (MEMBER, 22, [("max", 20, "company")]),
        (NOT_A_MEMBER, 4, [("min", 6, "group"), ("step", 6, "group")]),
        (NOT_A_MEMBER, 12, []),
    ],
)
def test_violations_say_the_rule_is_the_companys(buyer, quantity, expected):
    rules = compile_rules(quantity_rules=[BOXES_OF_SIX, COMPANY_PAIRS])
    violations = check_quantity(rules, PRODUCT, buyer, quantity)
    assert [(v.code, v.limit, v.rule_for) for v in violations] == expected


def test_stock_is_no_rule_of_anyone():
    rules = compile_rules(quantity_rules=[COMPANY_PAIRS])
    violations = check_quantity(rules, PRODUCT, MEMBER, 4, stock=2)
    assert [(v.code, v.rule_for) for v in violations] == [("stock", "")]


def test_a_rule_for_a_customer_and_a_company_is_refused():
    with pytest.raises(ValueError, match="both a customer and a company"):
        compile_rules(quantity_rules=[qrule(1, customer_id=CUSTOMER, company_id=COMPANY)])


def test_a_company_with_only_quantity_rules_counts_as_a_company_with_rules():
    rules = compile_rules(quantity_rules=[COMPANY_PAIRS])
    assert rules.company_ids == {COMPANY}
