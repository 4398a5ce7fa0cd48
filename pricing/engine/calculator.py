"""Price one product for one buyer: the resolution order, the rounding points, the explanation.

Resolution order (the one place it is written down; pinned by tests/pricing/test_engine_prices.py)
---------------------------------------------------------------------------------------------------
A price rule *applies* to (buyer, product, quantity, time) when all of:

1. **time**: ``starts_at <= at < ends_at`` (start inclusive, end exclusive; ``None`` = open;
   :func:`pricing.engine.windows.window_state`);
2. **who**: its ``customer_id`` is the buyer's customer, or it has no customer and its
   ``group_id`` is the buyer's group or ``None`` (everyone). Other customers' and other
   groups' rules are never candidates;
3. **what**: its ``product_id`` is the product, or its ``category_id`` is one of the product's
   ``category_path`` (the product's category or an ancestor), or it has neither (whole
   catalogue);
4. **quantity**: ``quantity >= min_quantity``.

Rules passing 2 and 3 are *candidates* (shown in the explanation, with why they do not apply
when 1 or 4 fails). Among applicable rules the winner is the first by:

1. ``priority``, highest first;
2. who-specificity, highest first: customer (2) > group (1) > everyone (0);
3. what-specificity, highest first: product > deeper category (higher index in
   ``category_path``) > shallower category > whole catalogue;
4. ``min_quantity``, highest first (the best tier reached);
5. resulting unit price, lowest first;
6. rule id, lowest first (a total order: the result never depends on rule order).

No applicable rule: the product's base price.

Unit price and rounding points
------------------------------
``fixed_price`` -> value; ``percent_off`` -> base x (1 - value/100); ``amount_off`` ->
base - value; any negative result becomes 0. Money is quantised to the cent, half up, by
:func:`pricing.engine.money.to_cents`, at these points and no others.

In the engine:

1. the base price (normally already in cents) and each rule's **unit price**;
2. the **line total** = rounded unit price x quantity (exact, so already in cents);
3. the **cart discount** (in :mod:`pricing.engine.cart`), capped at the subtotal; its split
   across the lines is in whole cents too (floored, the cents left over by largest remainder,
   so the shares add up to it exactly);
4. the **tax per line** (in :mod:`pricing.engine.cart`), on the line total after its share of
   the cart discount.

In :mod:`pricing.services`, for amounts shown with tax:

5. ``tax_on``: the tax on one net amount. ``with_tax`` (net + ``tax_on``) gives the gross
   unit prices, line totals and tier prices that groups seeing prices with tax are shown
   (and the simulator's gross column); the shipping tax is ``tax_on`` of the shipping price.

A cart's gross total is not rebuilt from those display amounts: it is the net total plus the
per-line tax of point 4, and a gross-price group is shown the discount that makes its
displayed lines add up to it. ``core.money.format_money`` writes an amount to the cent the
same way; it is given amounts already rounded here. The explanation says when rounding
changed a value ("6.667 rounded to 6.67").
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .money import rounding_note, to_cents
from .ruleset import (
    KIND_FIXED,
    WHAT_CATALOGUE,
    WHAT_PRODUCT,
    WHO_LABELS,
    RuleSet,
)
from .types import Buyer, Candidate, ProductSnapshot, Quote
from .windows import NOT_STARTED, RUNNING, window_state

NO_RULE_LINE = "No rule applies: base price"
_TOO_FEW = "too_few"


def _what_name(what: int) -> str:
    if what == WHAT_PRODUCT:
        return "product"
    if what == WHAT_CATALOGUE:
        return "whole catalogue"
    return f"category at level {what}"


def _why_won(winner: tuple, runner_up: tuple | None) -> str:
    """The first precedence step that separates the winner from the runner-up."""
    if runner_up is None:
        return "only applicable rule"
    w, r = winner[0], runner_up[0]
    if w[0] != r[0]:
        return f"highest priority ({-w[0]})"
    if w[1] != r[1]:
        return f"more specific buyer ({WHO_LABELS[-w[1]]} over {WHO_LABELS[-r[1]]})"
    if w[2] != r[2]:
        return f"more specific product scope ({_what_name(-w[2])} over {_what_name(-r[2])})"
    if w[3] != r[3]:
        return f"higher minimum quantity ({-w[3]} over {-r[3]})"
    if w[4] != r[4]:
        return f"lower price ({w[4]} over {r[4]})"
    return f"lower id (#{w[5]} over #{r[5]})"


def _check_quantity_arg(quantity: int) -> None:
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, got {quantity}")


def quote(
    rules: RuleSet, product: ProductSnapshot, buyer: Buyer, quantity: int, at: datetime
) -> Quote:
    """The unit price and total ``buyer`` pays for ``quantity`` of ``product`` at ``at``.

    Raises ``ValueError`` when ``quantity < 1`` (validate with ``check_quantity`` first).
    """
    _check_quantity_arg(quantity)
    raw_base = product.base_price
    base = to_cents(raw_base)
    base_line = f"Base price {base}{rounding_note(raw_base, base)}"
    found = rules.price_index.gather(product, buyer)
    if not found:
        total = to_cents(base * quantity)  # exact: whole cents x units
        return Quote(
            product_id=product.id,
            quantity=quantity,
            base_unit_price=base,
            unit_price=base,
            total=total,
            rule=None,
            explanation=(base_line, NO_RULE_LINE, f"Total {base} x {quantity} = {total}"),
        )

    # entry: (sort key, compiled rule, unit price, unrounded price or None when fixed, state)
    entries = []
    for crule, what in found:
        if crule.kind == KIND_FIXED:
            price = crule.fixed_price
            raw = None
        else:
            raw, price = crule.unit_price(base)
        state = window_state(crule, at)
        if state == RUNNING and quantity < crule.min_quantity:
            state = _TOO_FEW
        key = (crule.neg_priority, crule.neg_who, -what, crule.neg_min_quantity, price, crule.id)
        entries.append((key, crule, price, raw, state))
    entries.sort(key=_first)

    lines = [base_line]
    candidates = []
    winner = runner_up = None
    for entry in entries:
        _key, crule, price, raw, state = entry
        if state == RUNNING:
            if raw is None:  # fixed price: line and candidate were built at compile time
                lines.append(crule.fixed_line)
                candidates.append(crule.fixed_candidate)
            else:
                note = rounding_note(raw, price) if raw != price else ""
                lines.append(f"{crule.candidate_prefix}{price}{note}")
                candidates.append(Candidate(crule.rule, price, True, ""))
            if winner is None:
                winner = entry
            elif runner_up is None:
                runner_up = entry
            continue
        if state == _TOO_FEW:
            reason = f"needs quantity {crule.min_quantity} (asked {quantity})"
        else:
            reason = crule.starts_reason if state == NOT_STARTED else crule.ended_reason
        lines.append(crule.skipped_prefix + reason)
        candidates.append(Candidate(crule.rule, price, False, reason))

    if winner is None:
        unit, rule = base, None
        lines.append(NO_RULE_LINE)
    else:
        unit, rule = winner[2], winner[1].rule
        lines.append(f"Winner {winner[1].label}: {_why_won(winner, runner_up)}")
    total = to_cents(unit * quantity)  # exact: whole cents x units
    lines.append(f"Total {unit} x {quantity} = {total}")
    return Quote(
        product_id=product.id,
        quantity=quantity,
        base_unit_price=base,
        unit_price=unit,
        total=total,
        rule=rule,
        explanation=tuple(lines),
        candidates=tuple(candidates),
    )


def _first(entry: tuple) -> tuple:
    return entry[0]


def tier_table(
    rules: RuleSet, product: ProductSnapshot, buyer: Buyer, at: datetime
) -> list[tuple[int, Decimal]]:
    """``[(from_quantity, unit_price), ...]`` ascending: what the buyer pays from each tier on.

    Tiers start at quantity 1 and at each distinct ``min_quantity`` among the rules that apply
    to this buyer and product at ``at``; consecutive equal prices are collapsed.
    ``[(1, price)]`` when there are no tiers.
    """
    base = to_cents(product.base_price)
    entries = []
    for crule, what in rules.price_index.gather(product, buyer):
        if crule.window_reason(at):
            continue
        price = crule.unit_price(base)[1]
        key = (crule.neg_priority, crule.neg_who, -what, crule.neg_min_quantity, price, crule.id)
        entries.append((key, crule.min_quantity, price))
    entries.sort(key=_first)

    table: list[tuple[int, Decimal]] = []
    for quantity in sorted({1, *(entry[1] for entry in entries)}):
        price = next((e[2] for e in entries if e[1] <= quantity), base)
        if not table or table[-1][1] != price:
            table.append((quantity, price))
    return table
