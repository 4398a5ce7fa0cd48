from django import template

from core.money import format_rate

register = template.Library()


@register.filter
def percent(rate):
    """A tax rate fraction as a percentage: 0.2000 -> "20%", 0.0550 -> "5.5%"."""
    return format_rate(rate)
