from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from customers.web import group_for_request
from pricing import services as pricing_services

from . import selectors
from .menu import menu_tree

SORT_LABELS = {
    "name": _("Name, A to Z"),
    "-name": _("Name, Z to A"),
    "price": _("Price, low to high"),
    "-price": _("Price, high to low"),
}
MAX_QUERY_LENGTH = 200


def _customer(request):
    return request.user if request.user.is_authenticated else None


# Prices depend on who is asking: never stored by a shared cache.
@cache_control(private=True)
def home(request):
    group = group_for_request(request)
    tree = menu_tree(request)
    featured = selectors.featured_products(group=group, tree=tree)
    return render(
        request,
        "shop/catalog/home.html",
        {
            "rows": pricing_services.price_rows(featured, group=group, customer=_customer(request)),
        },
    )


@cache_control(private=True)
def category_detail(request, slug):
    group = group_for_request(request)
    tree = menu_tree(request)
    category = tree.get_by_slug(slug)
    if category is None:
        raise Http404(_("No such category."))
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORT_ORDERS:
        sort = selectors.DEFAULT_SORT
    products = selectors.category_products(category=category, tree=tree, group=group, sort=sort)
    page = Paginator(products, settings.SHOP_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "shop/catalog/category.html",
        {
            "category": category,
            "ancestors": tree.ancestors(category),
            "subcategories": tree.children.get(category.pk, []),
            "page": page,
            "rows": pricing_services.price_rows(page, group=group, customer=_customer(request)),
            "sort": sort,
            "page_query": urlencode({"sort": sort}) + "&",
            "sort_labels": SORT_LABELS,
        },
    )


@cache_control(private=True)
def product_detail(request, slug):
    group = group_for_request(request)
    tree = menu_tree(request)
    product = selectors.product_detail(slug=slug, group=group, tree=tree)
    if product is None:
        raise Http404(_("No such product."))
    customer = _customer(request)
    [(product, price)] = pricing_services.price_rows([product], group=group, customer=customer)
    return render(
        request,
        "shop/catalog/product.html",
        {
            "product": product,
            "price": price,
            "tiers": pricing_services.display_tiers(product, customer=customer, group=group),
            "bounds": pricing_services.quantity_bounds(product, customer=customer, group=group),
            "ancestors": tree.ancestors(tree.by_id[product.category_id])
            + [tree.by_id[product.category_id]],
            "images": list(product.images.all()),
        },
    )


@cache_control(private=True)
def search(request):
    group = group_for_request(request)
    tree = menu_tree(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = rows = None
    if query:
        products = selectors.search_products(query=query, group=group, tree=tree)
        page = Paginator(products, settings.SHOP_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = pricing_services.price_rows(page, group=group, customer=_customer(request))
    return render(
        request,
        "shop/catalog/search.html",
        {
            "query": query,
            "page": page,
            "rows": rows,
            "page_query": urlencode({"q": query}) + "&",
        },
    )
