"""Cart totals: line quotes, the single best cart discount, its allocation, tax per line.

Rounding (see :mod:`pricing.engine.calculator`): unit price, then line total, then tax per
line, each to the cent half up. ``CartQuote.reasons``: ``subtotal``, ``cart_discount``
(discount_id, name, amount) or ``no_cart_discount``, ``net_total``, ``tax_total``,
``gross_total``, each with its amount. The cart discount is rounded to the cent when computed and is
split across lines pro-rata to their totals by the largest-remainder method, so the shares are
whole cents and add up to the discount exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from .calculator import quote
from .money import CENT, ZERO, to_cents
from .ruleset import RuleSet
from .types import Buyer, CartDiscountData, CartLineInput, CartLineQuote, CartQuote, Reason
from .windows import RUNNING, window_state

_HUNDRED = Decimal(100)


def _discount_amount(discount: CartDiscountData, subtotal: Decimal) -> Decimal:
    amount = discount.value
    if discount.kind == "percent":
        amount = subtotal * amount / _HUNDRED
    return to_cents(min(max(amount, ZERO), subtotal))


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
        if window_state(discount, at) != RUNNING:
            continue
        if discount.group_ids and buyer.group_id not in discount.group_ids:
            continue
        if subtotal < discount.min_subtotal:
            continue
        amount = _discount_amount(discount, subtotal)
        if amount > best_amount:
            best, best_amount = discount, amount
    return best, best_amount


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


def price_cart(
    rules: RuleSet, lines: Sequence[CartLineInput], buyer: Buyer, at: datetime
) -> CartQuote:
    """Quote every line, apply the best cart discount, allocate it, and tax each line.

    subtotal = sum of line totals (net); net_total = subtotal - discount; tax per line =
    to_cents((line_total - discount_share) x rate); gross_total = net_total + tax_total.
    Raises ``ValueError`` for a line quantity below 1 (check quantities first).
    """
    quotes = [quote(rules, line.product, buyer, line.quantity, at) for line in lines]
    totals = [q.total for q in quotes]
    subtotal = sum(totals, ZERO)
    discount, discount_amount = best_cart_discount(rules, buyer, subtotal, at)
    shares = allocate(discount_amount, totals)

    line_quotes = []
    tax_total = ZERO
    for line, q, share in zip(lines, quotes, shares, strict=True):
        tax = to_cents((q.total - share) * line.tax_rate)
        tax_total += tax
        line_quotes.append(
            CartLineQuote(
                product_id=line.product.id,
                quantity=line.quantity,
                quote=q,
                line_total=q.total,
                discount_share=share,
                tax_rate=line.tax_rate,
                tax=tax,
            )
        )
    net_total = subtotal - discount_amount
    gross_total = net_total + tax_total

    if discount is None:
        discount_reason = Reason("no_cart_discount")
    else:
        discount_reason = Reason.of(
            "cart_discount", discount_id=discount.id, name=discount.name, amount=discount_amount
        )
    reasons = (
        Reason.of("subtotal", amount=subtotal),
        discount_reason,
        Reason.of("net_total", amount=net_total),
        Reason.of("tax_total", amount=tax_total),
        Reason.of("gross_total", amount=gross_total),
    )
    return CartQuote(
        lines=tuple(line_quotes),
        subtotal=subtotal,
        discount=discount,
        discount_amount=discount_amount,
        net_total=net_total,
        tax_total=tax_total,
        gross_total=gross_total,
        reasons=reasons,
    )
