from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from shop.catalog.menu import menu_tree
from shop.page_cache.pages import CSRF_PLACEHOLDER


def shop(request):
    """The shop's name and currency, the search box's query and the category menu (read only when a
    template shows it: admin pages never do). A page rendered for the page cache carries a
    placeholder for the CSRF token, which each visitor's own replaces (shop.page_cache.pages)."""
    kept = {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "page_cache_filling", False) else {}
    return {
        **kept,
        "shop_name": settings.SHOP_NAME,
        "shop_currency": settings.SHOP_CURRENCY,
        "search_query": (
            request.GET.get("q", "")[:200] if request.path == reverse("catalog:search") else ""
        ),
        "tree": SimpleLazyObject(lambda: menu_tree(request)),
    }
