"""The one rounding helper of the engine."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Quantise ``amount`` to the cent, half up (2.345 -> 2.35, -2.345 -> -2.35)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
