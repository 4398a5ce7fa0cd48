from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def percent(rate):
    """A tax rate fraction as a percentage: 0.2000 -> "20%", 0.0550 -> "5.5%"."""
    try:
        value = (Decimal(rate) * 100).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value:f}%"
