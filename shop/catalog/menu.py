"""The category menu: the categories the viewer's group may see, read once per request and
shared by the page's view and the menu every page shows (see shop.context_processors). Kept
per catalogue version, which the request reads with its other versions in one query."""

from customers.web import group_for_request
from shop.page_cache.pages import versions_for

from . import selectors
from .selectors import CategoryTree


def menu_tree(request) -> CategoryTree:
    tree = getattr(request, "_shop_category_tree", None)
    if tree is None:
        version = versions_for(request).catalogue  # first: it reads a guest's group too
        tree = selectors.category_tree(group=group_for_request(request), version=version)
        request._shop_category_tree = tree
    return tree
