"""Hypothesis properties of the pricing engine.

The reference below re-states both strategies as a naive scan over all rules; the indexed
engine must pick the same winner whatever the strategy, rules, buyer, product, quantity and time.
Under ``lowest``, a member of a group and a company (or a customer with negotiated rules) never
pays more per unit than a guest; a company's rule never reaches a buyer of another company or a
guest.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.engine import (
    LOWEST,
    PRIORITY,
    STRATEGIES,
    Buyer,
    CartDiscountData,
    CartLineInput,
    PriceRuleData,
    ProductSnapshot,
    compile_rules,
    price_cart,
    quote,
    tier_table,
    to_cents,
    unit_price,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORY_PATHS = [(), (1,), (1, 2), (1, 2, 3), (1, 4), (5, 6, 7)]
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

money = st.decimals(min_value=D("0"), max_value=D("10000"), places=2)
moments = st.integers(min_value=0, max_value=10).map(lambda h: T0 + timedelta(hours=h))
maybe_small_id = st.one_of(st.none(), st.integers(min_value=1, max_value=3))


@st.composite
def price_rules(draw, rule_id: int) -> PriceRuleData:
    kind = draw(st.sampled_from(["fixed_price", "percent_off", "amount_off"]))
    if kind == "percent_off":
        value = draw(st.decimals(min_value=D("0"), max_value=D("100"), places=3))
    else:
        value = draw(st.decimals(min_value=D("0"), max_value=D("2000"), places=3))
    scope = draw(st.sampled_from(["product", "category", "catalogue"]))
    starts_at = draw(st.one_of(st.none(), moments))
    ends_at = draw(st.one_of(st.none(), moments))
    negotiated = draw(st.sampled_from(["customer", "company", None]))
    negotiated_id = draw(maybe_small_id)
    return PriceRuleData(
        id=rule_id,
        name=f"Rule {rule_id}",
        kind=kind,
        value=value,
        priority=draw(st.integers(min_value=-1, max_value=2)),
        min_quantity=draw(st.sampled_from([1, 1, 2, 5, 10])),
        group_id=draw(maybe_small_id),
        customer_id=negotiated_id if negotiated == "customer" else None,
        company_id=negotiated_id if negotiated == "company" else None,
        product_id=draw(st.integers(min_value=1, max_value=3)) if scope == "product" else None,
        category_id=draw(st.integers(min_value=1, max_value=7)) if scope == "category" else None,
        starts_at=starts_at,
        ends_at=ends_at,
    )


@st.composite
def rule_lists(draw, max_size: int = 12) -> list[PriceRuleData]:
    ids = draw(st.lists(st.integers(min_value=1, max_value=500), max_size=max_size, unique=True))
    return [draw(price_rules(rule_id)) for rule_id in ids]


products = st.builds(
    ProductSnapshot,
    id=st.integers(min_value=1, max_value=3),
    base_price=money,
    category_path=st.sampled_from(CATEGORY_PATHS),
    name=st.just("Widget"),
)
buyers = st.builds(
    Buyer, customer_id=maybe_small_id, group_id=maybe_small_id, company_id=maybe_small_id
)
quantities = st.integers(min_value=1, max_value=20)
strategies = st.sampled_from(STRATEGIES)


def reference_winner(rules, product, buyer, quantity, at, strategy=PRIORITY):
    """The strategy of DESIGN.md, by brute force over every rule."""
    base = to_cents(product.base_price)
    best = None
    for rule in rules:
        if rule.starts_at is not None and at < rule.starts_at:
            continue
        if rule.ends_at is not None and at >= rule.ends_at:
            continue
        if rule.customer_id is not None:
            if rule.customer_id != buyer.customer_id:
                continue
            who = 3
        elif rule.company_id is not None:
            if rule.company_id != buyer.company_id:
                continue
            who = 2
        elif rule.group_id is not None:
            if rule.group_id != buyer.group_id:
                continue
            who = 1
        else:
            who = 0
        if rule.product_id is not None:
            if rule.product_id != product.id:
                continue
            what = 100
        elif rule.category_id is not None:
            if rule.category_id not in product.category_path:
                continue
            what = 1 + product.category_path.index(rule.category_id)
        else:
            what = 0
        if quantity < rule.min_quantity:
            continue
        if rule.kind == "fixed_price":
            unit = rule.value
        elif rule.kind == "percent_off":
            unit = base * (1 - rule.value / 100)
        else:
            unit = base - rule.value
        unit = to_cents(max(unit, D(0)))
        if strategy == LOWEST:
            key = (unit, -rule.priority, -who, -what, -rule.min_quantity, rule.id)
        else:
            key = (-rule.priority, -who, -what, -rule.min_quantity, unit, rule.id)
        if best is None or key < best[0]:
            best = (key, rule, unit)
    if best is None or (strategy == LOWEST and best[2] > base):
        return None, base
    return best[1], best[2]


@PROPERTY_SETTINGS
@given(rules=rule_lists(), product=products, buyer=buyers, quantity=quantities, at=moments)
def test_price_is_never_negative_and_whole_cents(rules, product, buyer, quantity, at):
    result = quote(compile_rules(rules), product, buyer, quantity, at)
    for amount in (result.unit_price, result.total, result.base_unit_price):
        assert amount >= 0
        assert amount == to_cents(amount)
        assert amount.as_tuple().exponent == -2
    assert result.total == result.unit_price * quantity
    assert all(
        c.unit_price >= 0 and c.unit_price == to_cents(c.unit_price) for c in result.candidates
    )


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(),
    product=products,
    buyer=buyers,
    quantity=quantities,
    at=moments,
    seed=st.integers(),
)
def test_winner_independent_of_rule_order(rules, product, buyer, quantity, at, seed):
    shuffled = list(rules)
    random.Random(seed).shuffle(shuffled)
    first = quote(compile_rules(rules), product, buyer, quantity, at)
    second = quote(compile_rules(shuffled), product, buyer, quantity, at)
    assert first.rule == second.rule
    assert first == second  # explanation and candidates too


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(),
    product=products,
    buyer=buyers,
    quantity=quantities,
    at=moments,
    strategy=strategies,
)
def test_engine_matches_reference(rules, product, buyer, quantity, at, strategy):
    result = quote(compile_rules(rules, strategy=strategy), product, buyer, quantity, at)
    expected_rule, expected_unit = reference_winner(rules, product, buyer, quantity, at, strategy)
    assert result.rule == expected_rule
    assert result.unit_price == expected_unit
    applicable = [c for c in result.candidates if c.applies]
    if expected_rule is not None:
        assert applicable[0].rule == expected_rule
    compiled = compile_rules(rules, strategy=strategy)
    assert unit_price(compiled, product, buyer, quantity, at) == (expected_unit, expected_rule)


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(),
    product=products,
    group_id=st.integers(min_value=1, max_value=3),
    customer_id=maybe_small_id,
    company_id=maybe_small_id,
    quantity=quantities,
    at=moments,
)
def test_lowest_members_never_pay_more_than_guests(
    rules, product, group_id, customer_id, company_id, quantity, at
):
    compiled = compile_rules(rules, strategy=LOWEST)
    guest = quote(compiled, product, Buyer(), quantity, at)
    member = Buyer(customer_id=customer_id, group_id=group_id, company_id=company_id)
    assert quote(compiled, product, member, quantity, at).unit_price <= guest.unit_price
    in_group = Buyer(customer_id=customer_id, group_id=group_id)
    assert quote(compiled, product, member, quantity, at).unit_price <= (
        quote(compiled, product, in_group, quantity, at).unit_price
    )
    assert guest.unit_price <= guest.base_unit_price
    tiers = dict(tier_table(compiled, product, Buyer(group_id=group_id), at))
    guest_tiers = dict(tier_table(compiled, product, Buyer(), at))
    for q in {1, *tiers, *guest_tiers}:
        assert quote(compiled, product, Buyer(group_id=group_id), q, at).unit_price <= (
            quote(compiled, product, Buyer(), q, at).unit_price
        )


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(),
    product=products,
    buyer=buyers,
    quantity=quantities,
    at=moments,
    strategy=strategies,
)
def test_every_candidate_but_the_winner_says_why_it_lost(
    rules, product, buyer, quantity, at, strategy
):
    result = quote(compile_rules(rules, strategy=strategy), product, buyer, quantity, at)
    codes = [r.code for r in result.reasons]
    assert codes[:2] == ["strategy", "base_price"] and codes[-1] == "total"
    assert result.reasons[0].values == {"strategy": strategy}
    for candidate in result.candidates:
        if result.rule is not None and candidate.rule == result.rule:
            assert candidate.reason is None
        elif candidate.applies:
            assert candidate.reason.code == "lost"
            assert candidate.reason in result.reasons
        else:
            assert candidate.reason.code == "not_applicable"


@PROPERTY_SETTINGS
@given(product=products, buyer=buyers, quantity=quantities, at=moments)
def test_no_rules_gives_base_price(product, buyer, quantity, at):
    result = quote(compile_rules(), product, buyer, quantity, at)
    assert result.rule is None
    assert result.unit_price == result.base_unit_price == to_cents(product.base_price)
    assert result.total == to_cents(product.base_price) * quantity


@PROPERTY_SETTINGS
@given(rules=rule_lists(), product=products, buyer=buyers, quantity=quantities, at=moments)
def test_same_inputs_same_quote(rules, product, buyer, quantity, at):
    compiled = compile_rules(rules)
    first = quote(compiled, product, buyer, quantity, at)
    assert quote(compiled, product, buyer, quantity, at) == first
    assert quote(compile_rules(rules), product, buyer, quantity, at) == first
    assert hash(first) == hash(quote(compiled, product, buyer, quantity, at))


@PROPERTY_SETTINGS
@given(rules=rule_lists(), product=products, buyer=buyers, at=moments, strategy=strategies)
def test_tier_table_matches_quotes(rules, product, buyer, at, strategy):
    compiled = compile_rules(rules, strategy=strategy)
    table = tier_table(compiled, product, buyer, at)
    assert table[0][0] == 1
    assert [q for q, _ in table] == sorted({q for q, _ in table})
    assert all(a[1] != b[1] for a, b in zip(table, table[1:], strict=False))
    for (start, unit), following in zip(table, [*table[1:], (21, None)], strict=True):
        for q in {start, following[0] - 1}:
            assert quote(compiled, product, buyer, q, at).unit_price == unit


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(max_size=6),
    items=st.lists(
        st.tuples(products, quantities, st.sampled_from(["0", "0.055", "0.2"])), max_size=5
    ),
    discount_kind=st.sampled_from(["percent", "amount"]),
    discount_value=st.decimals(min_value=D("0"), max_value=D("100"), places=2),
    buyer=buyers,
    at=moments,
)
def test_cart_totals_add_up(rules, items, discount_kind, discount_value, buyer, at):
    discount = CartDiscountData(id=1, name="Sale", kind=discount_kind, value=discount_value)
    compiled = compile_rules(rules, cart_discounts=[discount])
    lines = [CartLineInput(product, qty, D(rate)) for product, qty, rate in items]
    cart = price_cart(compiled, lines, buyer, at)
    assert 0 <= cart.discount_amount <= cart.subtotal
    assert sum((line.discount_share for line in cart.lines), D("0")) == cart.discount_amount
    assert all(0 <= line.discount_share <= line.line_total for line in cart.lines)
    assert cart.net_total == cart.subtotal - cart.discount_amount >= 0
    assert cart.gross_total == cart.net_total + cart.tax_total
    for amount in (cart.subtotal, cart.discount_amount, cart.tax_total, cart.gross_total):
        assert amount == to_cents(amount)


@PROPERTY_SETTINGS
@given(
    rules=rule_lists(),
    product=products,
    buyer=buyers,
    quantity=quantities,
    at=moments,
    strategy=strategies,
)
def test_a_company_rule_reaches_only_that_companys_members(
    rules, product, buyer, quantity, at, strategy
):
    compiled = compile_rules(rules, strategy=strategy)
    for who in (buyer, Buyer()):
        result = quote(compiled, product, who, quantity, at)
        for candidate in result.candidates:
            company_id = candidate.rule.company_id
            assert company_id is None or company_id == who.company_id
        if result.rule is not None and result.rule.company_id is not None:
            assert result.rule.company_id == who.company_id
    # The company's rules are all a member gets beyond the buyer without a company.
    alone = Buyer(customer_id=buyer.customer_id, group_id=buyer.group_id)
    ids = {c.rule.id for c in quote(compiled, product, buyer, quantity, at).candidates}
    ids_alone = {c.rule.id for c in quote(compiled, product, alone, quantity, at).candidates}
    assert ids - ids_alone == {
        r.id
        for r in rules
        if r.company_id is not None and r.company_id == buyer.company_id and r.id in ids
    }
    assert ids_alone <= ids
