"""Money as people read it. The pricing engine computes and rounds (`pricing.engine.to_cents`);
this module only formats, in the currency the settings name. Locale-aware formatting will
replace the body of `format_money` alone."""

from decimal import Decimal, InvalidOperation

from django.conf import settings

from pricing.engine.money import to_cents


def format_money(amount, *, currency: str | None = None) -> str:
    """`€1,234.50` in the shop's currency (another ISO code is written before the amount);
    an empty string for a missing or unreadable amount."""
    if amount is None or amount == "":
        return ""
    try:
        value = to_cents(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    currency = currency or settings.SHOP_CURRENCY
    symbol = settings.SHOP_CURRENCY_SYMBOL if currency == settings.SHOP_CURRENCY else currency + " "
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


def format_rate(rate) -> str:
    """A rate kept as a fraction, as a percentage: 0.2000 -> "20%", 0.0550 -> "5.5%"."""
    try:
        value = (Decimal(rate) * 100).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value:f}%"
