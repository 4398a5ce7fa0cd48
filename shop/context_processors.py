from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from customers.web import group_for_request
from shop.catalog.menu import menu_tree
from shop.page_cache.pages import CSRF_PLACEHOLDER, versions_for


def shop(request):
    """The shop's name and currency, the search box's query, the category menu and
    the key of the page frame (each read only when a template shows it: admin pages never do),
    the year for the footer (cheaper than `{% now %}` on every page). A page
    rendered for the page cache carries a placeholder for the CSRF token, which each
    visitor's own replaces (shop.page_cache.pages)."""
    kept = {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "page_cache_filling", False) else {}
    return {
        **kept,
        "shop_name": settings.SHOP_NAME,
        "shop_currency": settings.SHOP_CURRENCY,
        "current_year": str(timezone.localdate().year),
        "search_query": (
            request.GET.get("q", "")[:200] if request.path == reverse("catalog:search") else ""
        ),
        "tree": SimpleLazyObject(lambda: menu_tree(request)),
        "frame_key": SimpleLazyObject(lambda: frame_key(request)),
        "legal_path": SimpleLazyObject(lambda: legal_path(request)),
    }


def frame_key(request) -> str:
    """What the page frame's kept fragments (templates/base.html, the "frame" cache) show
    besides the parts filled per request: the language, the storefront's and the catalogue's
    versions (every product, category, content page and seller detail write changes one) and
    the group, whose categories the menu lists."""
    versions = versions_for(request)
    group = group_for_request(request)
    return f"{get_language()}:{versions.storefront}:{versions.catalogue}:{group.pk}"


def legal_path(request) -> str:
    """The address of the content page shown, which the footer marks as current; empty on any
    other page, so that they all share one footer."""
    match = request.resolver_match
    return request.path if match is not None and match.view_name == "pages:detail" else ""
