from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(value):
    """An amount in the shop currency, formatted by `core.money` (formatting only)."""
    return format_money(value)
