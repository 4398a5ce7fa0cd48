"""Filters for product cards: formatting and cache keys only, never a price computation."""

from django import template
from django.core.files.storage import default_storage
from django.utils.translation import get_language

register = template.Library()


@register.filter
def media_url(name):
    """The public URL of a stored file name (an annotated column rather than a FieldFile)."""
    return default_storage.url(name) if name else ""


@register.filter
def card_cache_key(product, price):
    """Everything a product card shows, the displayed price included, so a cached card is
    only ever reused where it would render exactly the same."""
    return (
        f"{get_language()}:{product.pk}:{product.updated_at.timestamp()}:"
        f"{int(product.in_stock)}:{getattr(product, 'card_thumbnail', '')}:"
        f"{price.amount}:{price.base_amount}:{int(price.includes_tax)}:"
        f"{price.kind}:{int(price.hidden)}:{price.tax_label}"
    )
