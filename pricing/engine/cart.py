"""Cart totals: line quotes, the single best cart discount, its allocation, tax per line.

Two ways of adding up a cart, chosen by ``prices_include_tax`` (the buyer's group sees gross
or net prices). In both, the buyer's own figures are exact: the line total they see is the
unit price they see x quantity, the cart discount is computed on, and compared with, the
subtotal they see, and what they pay is those lines minus that discount. Every amount is
rounded to the cent, half up (:func:`pricing.engine.money.to_cents`), at the points below and
no others (the unit price itself: :mod:`pricing.engine.calculator`).

Net prices (``prices_include_tax=False``)
    line total = net unit x quantity; subtotal = sum of line totals; the cart discount is
    computed on that net subtotal; each line's share of it is allocated; **tax per line** =
    to_cents((line total - share) x rate); gross = net + tax.

Gross prices (``prices_include_tax=True``)
    shown unit = to_cents(net unit x (1 + rate)) (the price the catalogue shows); shown line
    total = shown unit x quantity, exactly; the cart discount is computed on the gross
    subtotal and allocated across the lines in gross; then, per line, the **one rounding
    point from gross to net**: net = to_cents(gross / (1 + rate)) and tax = gross - net, for
    the line after its discount share (what is paid) and for the line before it (the net
    line total a manager reads; the net discount share is their difference). So net + tax is
    the gross of each line, and tax is within a cent of net x rate.

Totals are sums of lines: net_total, tax_total and gross_total; ``subtotal`` and
``discount_amount`` are net in both modes, ``display_subtotal`` and ``display_discount`` are in
the buyer's terms. A percent discount is a percentage of the subtotal in the buyer's terms; an
amount discount takes its value off that subtotal (so it is an amount incl. VAT for gross
buyers); thresholds (``min_subtotal``) are compared with it too. The discount is rounded when
computed and split pro-rata to the lines by the largest-remainder method (:func:`allocate`),
so the shares are whole cents and add up to it exactly.

``CartQuote.reasons``, in order: ``subtotal`` (net) or ``gross_subtotal`` (gross), each with
amount; ``cart_discount`` (discount_id, name, amount in the buyer's terms) or
``no_cart_discount``; then ``net_total``, ``tax_total``, ``gross_total`` for net prices, or
``gross_total``, ``tax_included``, ``net_total`` for gross prices, each with its amount.

``CartQuote.next_discount`` is the discount the buyer reaches soonest by spending more (see
:func:`next_cart_discount`), with ``next_discount_shortfall`` in the buyer's terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from .calculator import quote
from .money import CENT, ZERO, to_cents
from .ruleset import RuleSet
from .types import (
    Buyer,
    CartDiscountData,
    CartLineInput,
    CartLineQuote,
    CartQuote,
    Quote,
    QuotedPrice,
    Reason,
)
from .windows import RUNNING, window_state

_HUNDRED = Decimal(100)
_ONE = Decimal(1)


def _discount_amount(discount: CartDiscountData, subtotal: Decimal) -> Decimal:
    amount = discount.value
    if discount.kind == "percent":
        amount = subtotal * amount / _HUNDRED
    return to_cents(min(max(amount, ZERO), subtotal))


def _offered_to(discount: CartDiscountData, buyer: Buyer, at: datetime) -> bool:
    """Running now and meant for the buyer's group (empty groups: everyone)."""
    if window_state(discount, at) != RUNNING:
        return False
    return not discount.group_ids or buyer.group_id in discount.group_ids


def best_cart_discount(
    rules: RuleSet, buyer: Buyer, subtotal: Decimal, at: datetime
) -> tuple[CartDiscountData | None, Decimal]:
    """The single largest discount that applies to this subtotal (no stacking), and its amount.

    A discount applies when ``at`` is in its window (start inclusive, end exclusive), its groups
    are empty or include the buyer's group, ``subtotal >= min_subtotal`` and it is worth more
    than zero. The amount is capped at the subtotal and rounded to the cent, half up. Equal
    amounts: the lower id wins. ``(None, 0.00)`` when nothing applies.
    """
    best: CartDiscountData | None = None
    best_amount = ZERO
    if subtotal <= 0:
        return None, ZERO
    for discount in rules.cart_discounts:  # sorted by id: strict ">" keeps the lower id on ties
        if not _offered_to(discount, buyer, at) or subtotal < discount.min_subtotal:
            continue
        amount = _discount_amount(discount, subtotal)
        if amount > best_amount:
            best, best_amount = discount, amount
    return best, best_amount


def next_cart_discount(
    rules: RuleSet, buyer: Buyer, subtotal: Decimal, at: datetime
) -> tuple[CartDiscountData | None, Decimal]:
    """The discount the buyer reaches soonest by spending more, and how much more.

    Among the discounts offered to the buyer now whose ``min_subtotal`` is above ``subtotal``,
    the one with the lowest threshold that would win (:func:`best_cart_discount`) at exactly
    that threshold; a discount that would still lose to the one the buyer has is not offered.
    At the threshold itself the discount applies, so it is no longer "next". ``(None, 0.00)``
    for an empty cart or when nothing is left to reach.
    """
    if subtotal <= 0:
        return None, ZERO
    thresholds = sorted(
        {
            discount.min_subtotal
            for discount in rules.cart_discounts
            if discount.min_subtotal > subtotal and _offered_to(discount, buyer, at)
        }
    )
    for threshold in thresholds:
        winner, _amount = best_cart_discount(rules, buyer, threshold, at)
        if winner is not None and winner.min_subtotal == threshold:
            return winner, threshold - subtotal
    return None, ZERO


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` (whole cents) pro-rata to ``weights`` into whole cents summing exactly.

    Largest remainder: every share is floored to the cent, then the cents left over go one by
    one to the largest remainders (ties: the earlier line).
    """
    total = sum(weights, ZERO)
    if not weights:
        return []
    if total <= 0 or amount == 0:
        return [ZERO for _ in weights]
    exact = [amount * weight / total for weight in weights]
    floors = [share.quantize(CENT, rounding=ROUND_FLOOR) for share in exact]
    left = int((amount - sum(floors, ZERO)) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors


def net_of(gross: Decimal, rate: Decimal) -> Decimal:
    """The net part of a gross amount: the one rounding point from gross to net."""
    return to_cents(gross / (_ONE + rate))


def _net_line(q: Quote, line: CartLineInput, share: Decimal) -> CartLineQuote:
    return CartLineQuote(
        product_id=line.product.id,
        quantity=line.quantity,
        quote=q,
        line_total=q.total,
        discount_share=share,
        tax_rate=line.tax_rate,
        tax=to_cents((q.total - share) * line.tax_rate),
        display_unit_price=q.unit_price,
        display_total=q.total,
        display_discount_share=share,
    )


def _gross_line(q: Quote, line: CartLineInput, unit: Decimal, share: Decimal) -> CartLineQuote:
    gross_before = unit * line.quantity
    gross = gross_before - share
    net_before, net = net_of(gross_before, line.tax_rate), net_of(gross, line.tax_rate)
    return CartLineQuote(
        product_id=line.product.id,
        quantity=line.quantity,
        quote=q,
        line_total=net_before,
        discount_share=net_before - net,
        tax_rate=line.tax_rate,
        tax=gross - net,
        display_unit_price=unit,
        display_total=gross_before,
        display_discount_share=share,
    )


def price_cart(
    rules: RuleSet,
    lines: Sequence[CartLineInput],
    buyer: Buyer,
    at: datetime,
    *,
    prices_include_tax: bool = False,
    quoted: Mapping[int, QuotedPrice] | None = None,
) -> CartQuote:
    """Quote every line, apply the best cart discount, allocate it, and tax each line, in the
    buyer's terms (see the module docstring for the two modes and their rounding points).
    ``quoted``: the buyer's quoted prices by product id (:func:`pricing.engine.calculator.quote`).

    Raises ``ValueError`` for a line quantity below 1 (check quantities first).
    """
    quoted = quoted or {}
    quotes = [
        quote(rules, line.product, buyer, line.quantity, at, quoted.get(line.product.id))
        for line in lines
    ]
    if prices_include_tax:
        units = [
            to_cents(q.unit_price * (_ONE + line.tax_rate))
            for q, line in zip(quotes, lines, strict=True)
        ]
        shown = [unit * line.quantity for unit, line in zip(units, lines, strict=True)]
    else:
        shown = [q.total for q in quotes]
    display_subtotal = sum(shown, ZERO)
    discount, display_discount = best_cart_discount(rules, buyer, display_subtotal, at)
    shares = allocate(display_discount, shown)
    if prices_include_tax:
        line_quotes = tuple(
            _gross_line(q, line, unit, share)
            for q, line, unit, share in zip(quotes, lines, units, shares, strict=True)
        )
    else:
        line_quotes = tuple(
            _net_line(q, line, share) for q, line, share in zip(quotes, lines, shares, strict=True)
        )
    subtotal = sum((line.line_total for line in line_quotes), ZERO)
    net_total = sum((line.net_total for line in line_quotes), ZERO)
    tax_total = sum((line.tax for line in line_quotes), ZERO)
    gross_total = net_total + tax_total
    next_discount, shortfall = next_cart_discount(rules, buyer, display_subtotal, at)
    return CartQuote(
        lines=line_quotes,
        subtotal=subtotal,
        discount=discount,
        discount_amount=subtotal - net_total,
        net_total=net_total,
        tax_total=tax_total,
        gross_total=gross_total,
        reasons=_reasons(
            prices_include_tax, display_subtotal, discount, display_discount, line_quotes
        ),
        prices_include_tax=prices_include_tax,
        display_subtotal=display_subtotal,
        display_discount=display_discount,
        next_discount=next_discount,
        next_discount_shortfall=shortfall,
    )


def _reasons(
    prices_include_tax: bool,
    display_subtotal: Decimal,
    discount: CartDiscountData | None,
    display_discount: Decimal,
    lines: tuple[CartLineQuote, ...],
) -> tuple[Reason, ...]:
    if discount is None:
        discount_reason = Reason("no_cart_discount")
    else:
        discount_reason = Reason.of(
            "cart_discount", discount_id=discount.id, name=discount.name, amount=display_discount
        )
    net_total = sum((line.net_total for line in lines), ZERO)
    tax_total = sum((line.tax for line in lines), ZERO)
    net = Reason.of("net_total", amount=net_total)
    gross = Reason.of("gross_total", amount=net_total + tax_total)
    if prices_include_tax:
        return (
            Reason.of("gross_subtotal", amount=display_subtotal),
            discount_reason,
            gross,
            Reason.of("tax_included", amount=tax_total),
            net,
        )
    return (
        Reason.of("subtotal", amount=display_subtotal),
        discount_reason,
        net,
        Reason.of("tax_total", amount=tax_total),
        gross,
    )
