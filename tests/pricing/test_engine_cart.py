"""Cart discounts, their allocation across lines, and tax per line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from pricing.engine import (
    Buyer,
    CartDiscountData,
    CartLineInput,
    PriceRuleData,
    ProductSnapshot,
    Reason,
    allocate,
    best_cart_discount,
    compile_rules,
    price_cart,
)

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
BUYER = Buyer(customer_id=100, group_id=1)


def discount(discount_id: int, kind: str, value: str, **fields) -> CartDiscountData:
    return CartDiscountData(
        id=discount_id, name=f"Discount {discount_id}", kind=kind, value=D(value), **fields
    )


TEN_PERCENT = discount(1, "percent", "10")
FIFTEEN_OFF = discount(2, "amount", "15.00")


@pytest.mark.parametrize(
    ("discounts", "subtotal", "buyer", "expected_id", "expected_amount"),
    [
        ([], "100.00", BUYER, None, "0.00"),
        ([TEN_PERCENT, FIFTEEN_OFF], "100.00", BUYER, 2, "15.00"),  # largest wins
        ([TEN_PERCENT, FIFTEEN_OFF], "200.00", BUYER, 1, "20.00"),
        ([TEN_PERCENT, FIFTEEN_OFF], "150.00", BUYER, 1, "15.00"),  # tie -> lower id
        ([FIFTEEN_OFF, discount(1, "amount", "15.00")], "150.00", BUYER, 1, "15.00"),
        ([discount(1, "amount", "50.00")], "30.00", BUYER, 1, "30.00"),  # capped at subtotal
        ([discount(1, "percent", "100")], "30.00", BUYER, 1, "30.00"),
        ([discount(1, "percent", "10")], "0.25", BUYER, 1, "0.03"),  # 0.025 half up
        ([discount(1, "percent", "10")], "0.04", BUYER, None, "0.00"),  # worth nothing
        ([discount(1, "amount", "5", min_subtotal=D("50"))], "50.00", BUYER, 1, "5.00"),
        ([discount(1, "amount", "5", min_subtotal=D("50"))], "49.99", BUYER, None, "0.00"),
        ([discount(1, "amount", "5", group_ids=frozenset({1}))], "10.00", BUYER, 1, "5.00"),
        ([discount(1, "amount", "5", group_ids=frozenset({1, 2}))], "10.00", BUYER, 1, "5.00"),
        ([discount(1, "amount", "5", group_ids=frozenset({2}))], "10.00", BUYER, None, "0.00"),
        ([discount(1, "amount", "5", group_ids=frozenset({1}))], "10.00", Buyer(), None, "0.00"),
        ([discount(1, "amount", "5")], "10.00", Buyer(), 1, "5.00"),  # empty groups = everyone
        ([discount(1, "amount", "5", starts_at=AT)], "10.00", BUYER, 1, "5.00"),
        ([discount(1, "amount", "5", starts_at=AT + SECOND)], "10.00", BUYER, None, "0.00"),
        ([discount(1, "amount", "5", ends_at=AT)], "10.00", BUYER, None, "0.00"),
        ([discount(1, "amount", "5", ends_at=AT + SECOND)], "10.00", BUYER, 1, "5.00"),
        ([discount(1, "amount", "5")], "0.00", BUYER, None, "0.00"),
        # group-and-subtotal discount beats the smaller everyone discount only above its threshold
        (
            [
                discount(1, "percent", "5"),
                discount(2, "percent", "10", group_ids=frozenset({1}), min_subtotal=D("500")),
            ],
            "400.00",
            BUYER,
            1,
            "20.00",
        ),
        (
            [
                discount(1, "percent", "5"),
                discount(2, "percent", "10", group_ids=frozenset({1}), min_subtotal=D("500")),
            ],
            "500.00",
            BUYER,
            2,
            "50.00",
        ),
    ],
)
def test_best_cart_discount(discounts, subtotal, buyer, expected_id, expected_amount):
    found, amount = best_cart_discount(
        compile_rules(cart_discounts=discounts), buyer, D(subtotal), AT
    )
    assert (found.id if found else None) == expected_id
    assert amount == D(expected_amount)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        ("10.00", ["10.00", "10.00", "10.00"], ["3.34", "3.33", "3.33"]),
        ("0.01", ["1.00", "1.00"], ["0.01", "0.00"]),
        ("0.02", ["1.00", "2.00", "3.00"], ["0.00", "0.01", "0.01"]),
        ("5.00", ["20.00", "80.00"], ["1.00", "4.00"]),
        ("1.00", ["0.00", "3.00"], ["0.00", "1.00"]),
        ("0.00", ["1.00", "2.00"], ["0.00", "0.00"]),
        ("9.99", ["9.99"], ["9.99"]),
        ("0.00", [], []),
    ],
)
def test_allocate(amount, weights, expected):
    shares = allocate(D(amount), [D(w) for w in weights])
    assert shares == [D(e) for e in expected]
    assert sum(shares, D("0")) == (D(amount) if weights else 0)


def _product(product_id: int, price: str) -> ProductSnapshot:
    return ProductSnapshot(
        id=product_id, base_price=D(price), category_path=(10,), name=f"P{product_id}"
    )


def test_price_cart_allocates_discount_and_taxes_each_line():
    rules = compile_rules(
        price_rules=[
            PriceRuleData(1, "Group price", "percent_off", D("10"), group_id=1, product_id=1)
        ],
        cart_discounts=[discount(1, "amount", "10.00")],
    )
    lines = [
        CartLineInput(_product(1, "11.11"), 1, D("0.2000")),  # 10.00 after 10% (9.999 -> 10.00)
        CartLineInput(_product(2, "10.00"), 1, D("0.0550")),
        CartLineInput(_product(3, "5.00"), 2, D("0")),
    ]
    cart = price_cart(rules, lines, BUYER, AT)
    assert [line.line_total for line in cart.lines] == [D("10.00"), D("10.00"), D("10.00")]
    assert cart.subtotal == D("30.00")
    assert (cart.discount.id, cart.discount_amount) == (1, D("10.00"))
    assert [line.discount_share for line in cart.lines] == [D("3.34"), D("3.33"), D("3.33")]
    # tax on (line total - share), half up per line: 6.66 x 20% = 1.332; 6.67 x 5.5% = 0.36685
    assert [line.tax for line in cart.lines] == [D("1.33"), D("0.37"), D("0.00")]
    assert cart.net_total == D("20.00")
    assert cart.tax_total == D("1.70")
    assert cart.gross_total == D("21.70")
    assert cart.lines[0].quote.rule.id == 1
    assert Reason.of("cart_discount", discount_id=1, name="Discount 1", amount=D("10.00")) in (
        cart.reasons
    )


@pytest.mark.parametrize(
    ("prices_quantities", "discount_value", "rate"),
    [
        ([("3.33", 1), ("3.33", 1), ("3.34", 1)], "1.00", "0.2"),
        ([("0.99", 7), ("12.49", 3), ("100.00", 1), ("0.01", 1)], "13.37", "0.196"),
        ([("19.99", 3)], "5.00", "0.07"),
    ],
)
def test_price_cart_totals_add_up(prices_quantities, discount_value, rate):
    rules = compile_rules(cart_discounts=[discount(1, "amount", discount_value)])
    lines = [
        CartLineInput(_product(i, price), qty, D(rate))
        for i, (price, qty) in enumerate(prices_quantities, start=1)
    ]
    cart = price_cart(rules, lines, BUYER, AT)
    assert (
        sum(line.discount_share for line in cart.lines) == cart.discount_amount == D(discount_value)
    )
    assert cart.subtotal == sum(line.line_total for line in cart.lines)
    assert cart.net_total == cart.subtotal - cart.discount_amount
    assert cart.tax_total == sum(line.tax for line in cart.lines)
    assert cart.gross_total == cart.net_total + cart.tax_total
    for line in cart.lines:
        assert line.tax == ((line.line_total - line.discount_share) * D(rate)).quantize(
            D("0.01"), "ROUND_HALF_UP"
        )


def test_empty_cart():
    cart = price_cart(compile_rules(cart_discounts=[TEN_PERCENT]), [], BUYER, AT)
    assert (cart.lines, cart.subtotal, cart.discount, cart.gross_total) == (
        (),
        D("0.00"),
        None,
        D("0.00"),
    )


def test_cart_without_discount():
    cart = price_cart(compile_rules(), [CartLineInput(_product(1, "2.50"), 4, D("0.2"))], BUYER, AT)
    assert (cart.subtotal, cart.discount, cart.discount_amount) == (D("10.00"), None, D("0.00"))
    assert (cart.tax_total, cart.gross_total) == (D("2.00"), D("12.00"))
    assert Reason("no_cart_discount") in cart.reasons


def test_unknown_discount_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        compile_rules(cart_discounts=[discount(1, "bogus", "1")])
