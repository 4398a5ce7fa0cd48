from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma

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
    whole, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{settings.SHOP_CURRENCY_SYMBOL}{intcomma(int(whole), use_l10n=False)}.{cents}"
