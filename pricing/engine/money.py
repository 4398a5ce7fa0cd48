"""The one rounding helper of the engine, and money formatting for explanations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Quantise ``amount`` to the cent, half up (2.345 -> 2.35, -2.345 -> -2.35)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(amount: Decimal) -> str:
    """An unrounded amount without exponent or needless trailing zeros (6.6670 -> 6.667)."""
    text = f"{amount.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def rounding_note(raw: Decimal, rounded: Decimal) -> str:
    """`` (8.3333 rounded to 8.33)`` when rounding changed the value, else ``""``."""
    if raw == rounded:
        return ""
    return f" ({plain(raw)} rounded to {rounded})"
