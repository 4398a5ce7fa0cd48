from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings

register = template.Library()
CENT = Decimal("0.01")


@register.filter
def money(value):
    """Format an amount in the shop currency: `€1,234.50`. Formatting only, no pricing."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{settings.SHOP_CURRENCY_SYMBOL}{abs(amount):,.2f}"
