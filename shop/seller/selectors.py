"""The shop's details, read on almost every page (footer), so cached until they are saved."""

from django.conf import settings
from django.core.cache import cache

from .models import SINGLETON_ID, ShopDetails

CACHE_KEY = "shop-details"


def shop_details() -> ShopDetails:
    """The saved details, or unsaved defaults (the shop's name) before a manager enters them."""
    details = cache.get(CACHE_KEY)
    if details is None:
        details = ShopDetails.objects.filter(pk=SINGLETON_ID).first() or ShopDetails(
            pk=SINGLETON_ID, legal_name=settings.SHOP_NAME
        )
        cache.set(CACHE_KEY, details, timeout=None)
    return details
