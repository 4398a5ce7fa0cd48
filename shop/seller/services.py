"""Writes of the shop's details."""

from django.core.cache import cache

from .models import SINGLETON_ID, ShopDetails
from .selectors import CACHE_KEY


def shop_details_save(*, details: ShopDetails) -> ShopDetails:
    """Save the one row and drop the cached copy every page reads."""
    details.pk = SINGLETON_ID
    details.save()
    cache.delete(CACHE_KEY)
    return details
