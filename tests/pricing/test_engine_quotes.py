"""Quoted prices as their own source in the engine: they replace the rules from the quoted
quantity on, the explanation names the quote, and below it the rules price as usual. Pure
engine tests: no database, no Django."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from pricing.engine import (
    Buyer,
    CartLineInput,
    PriceRuleData,
    ProductSnapshot,
    QuotedPrice,
    compile_rules,
    price_cart,
    quote,
)

AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PRODUCT = ProductSnapshot(id=1, base_price=D("10.00"), name="Widget")
OTHER = ProductSnapshot(id=2, base_price=D("20.00"), name="Gadget")
BUYER = Buyer(customer_id=100, group_id=1)
LABEL = "Quote Q-2026-0042, accepted 3 Dec 2026"
QUOTED = QuotedPrice(product_id=1, unit_price=D("7.50"), min_quantity=10, reference_label=LABEL)
RULES = compile_rules(
    [PriceRuleData(id=5, name="Trade", kind="fixed_price", value=D("9.00"), group_id=1)]
)


@pytest.mark.parametrize(
    ("quantity", "unit", "rule_id", "quoted"),
    [
        (9, D("9.00"), 5, None),  # below the quoted quantity: the rules
        (10, D("7.50"), None, QUOTED),  # at it: the quoted price
        (40, D("7.50"), None, QUOTED),  # above it too
    ],
)
def test_quoted_price_replaces_rules_from_its_quantity(quantity, unit, rule_id, quoted):
    result = quote(RULES, PRODUCT, BUYER, quantity, AT, QUOTED)
    assert result.unit_price == unit
    assert result.total == unit * quantity
    assert (result.rule.id if result.rule else None) == rule_id
    assert result.quoted == quoted


def test_quoted_price_explanation_names_the_quote():
    result = quote(RULES, PRODUCT, BUYER, 12, AT, QUOTED)
    codes = [reason.code for reason in result.reasons]
    assert codes == ["strategy", "base_price", "quoted", "total"]
    assert result.reasons[2].values == {
        "reference": LABEL,
        "price": D("7.50"),
        "min_quantity": 10,
    }
    assert result.candidates == ()


def test_below_quoted_quantity_explanation_says_why():
    result = quote(RULES, PRODUCT, BUYER, 3, AT, QUOTED)
    assert result.reasons[2].code == "quoted_too_few"
    assert result.reasons[2].values == {"reference": LABEL, "min_quantity": 10, "quantity": 3}
    assert "winner" in [reason.code for reason in result.reasons]


def test_quoted_price_of_another_product_is_ignored():
    assert quote(RULES, OTHER, BUYER, 50, AT, QUOTED) == quote(RULES, OTHER, BUYER, 50, AT)


def test_quoted_price_above_the_rules_still_wins():
    """The negotiated price is what was agreed: the engine does not second-guess it."""
    dear = QuotedPrice(product_id=1, unit_price=D("9.99"), min_quantity=1, reference_label=LABEL)
    assert quote(RULES, PRODUCT, BUYER, 1, AT, dear).unit_price == D("9.99")


def test_quoted_unit_price_rounded_to_the_cent():
    odd = QuotedPrice(product_id=1, unit_price=D("7.555"), min_quantity=1, reference_label=LABEL)
    result = quote(RULES, PRODUCT, BUYER, 2, AT, odd)
    assert (result.unit_price, result.total) == (D("7.56"), D("15.12"))


def test_cart_prices_quoted_lines_only():
    lines = [
        CartLineInput(product=PRODUCT, quantity=10, tax_rate=D("0.2")),
        CartLineInput(product=OTHER, quantity=1, tax_rate=D("0.2")),
    ]
    cart = price_cart(RULES, lines, BUYER, AT, quoted={1: QUOTED})
    assert [line.quote.unit_price for line in cart.lines] == [D("7.50"), D("9.00")]
    assert cart.subtotal == D("84.00")
    assert cart.gross_total == D("100.80")
    assert price_cart(RULES, lines, BUYER, AT).subtotal == D("99.00")
