from django import template

from core.money import format_money, format_number

register = template.Library()


@register.filter
def money(value):
    """An amount in the shop currency, formatted by `core.money` (formatting only)."""
    return format_money(value)


@register.filter
def number(value):
    """A quantity or count with the reader's grouping and digits (`core.money`)."""
    return format_number(value)
