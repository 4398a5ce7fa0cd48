from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from shop.catalog.menu import menu_tree


def shop(request):
    """The shop's name and currency, the search box's query and the category menu (read only when a
    template shows it: admin pages never do)."""
    return {
        "shop_name": settings.SHOP_NAME,
        "shop_currency": settings.SHOP_CURRENCY,
        "search_query": (
            request.GET.get("q", "")[:200] if request.path == reverse("catalog:search") else ""
        ),
        "tree": SimpleLazyObject(lambda: menu_tree(request)),
    }
