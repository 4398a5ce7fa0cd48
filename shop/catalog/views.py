import csv
import re
from itertools import islice
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.errors import Refusal
from customers.web import (
    default_country_for_request,
    group_for_request,
    private_page,
    too_many_attempts,
)
from pricing import display as pricing_display
from pricing import services as pricing_services
from pricing import sorting as pricing_sorting
from shop.page_cache.models import KeyRow
from shop.page_cache.pages import NOT_KEPT, kept_page

from . import selectors
from .alerts import selectors as alert_selectors
from .alerts import services as alert_services
from .alerts.forms import StockAlertForm
from .menu import menu_tree
from .models import Product
from .search import search_matches, search_products

SORT_LABELS = {
    "name": _("Name, A to Z"),
    "-name": _("Name, Z to A"),
    "price": _("Price, low to high"),
    "-price": _("Price, high to low"),
}
SEARCH_SORT_LABELS = {"relevance": _("Best match"), **SORT_LABELS}
MAX_QUERY_LENGTH = 200


def _customer(request):
    return request.user if request.user.is_authenticated else None


def _sort_labels(labels, customer) -> dict:
    """The sorts offered: not by price to someone who may not see prices."""
    if pricing_display.prices_hidden_for(customer):
        return {sort: label for sort, label in labels.items() if sort not in selectors.PRICE_SORTS}
    return labels


def _chosen_sort(request, labels, default) -> str:
    sort = request.GET.get("sort", default)
    return sort if sort in labels else default


def _by_price(listing, *, name, sort, customer, group, country):
    """The listing in the viewer's own price order (pricing.sorting), ready to paginate."""
    descending = selectors.PRICE_SORTS[sort]
    return pricing_sorting.price_sorted(
        listing,
        listing=name,
        customer=customer,
        group=group,
        descending=descending,
        country=country,
    )


def _price_note(rows) -> str:
    """The page's sentence on whose VAT its prices include, from its first shown price."""
    for _product, price in rows or ():
        if price.basis is not None:
            return price.basis.note
    return ""


# What a product page shows of its stock: read per request even when the page is kept whole.
STOCK_SHOWN = KeyRow(table=Product._meta.db_table, columns=("stock", "track_stock"), match="slug")


def _stock_shown(request, shown, slug):
    """What a kept product page adds to its key: whether it shows the product in stock, and
    with a count (`shown`, read with the page cache's versions); the count itself is brought
    up to date each time the page is served (`_stock_count_now`), so a sale does not make
    everyone's page anew. Not kept at all for a logged-in viewer of an out-of-stock product:
    the page shows their own alert."""
    if shown is None:
        return NOT_KEPT
    stock, tracked = shown[0], bool(shown[1])
    if tracked and stock <= 0 and request.user.is_authenticated:
        return NOT_KEPT
    return not tracked or stock > 0, tracked


STOCK_COUNT = re.compile(rb'<span class="stock-count">.*?</span>', re.S)


def _stock_count_now(request, shown, body: bytes) -> bytes:
    """The kept product page with the stock count of now (`shown`, as `_stock_shown`)."""
    stock, tracked = shown[0], bool(shown[1])
    if not tracked or stock <= 0:
        return body
    count = get_template("shop/catalog/_stock_count.html").render({"stock": stock}).strip()
    return STOCK_COUNT.sub(lambda _match: count.encode(), body, count=1)


# Prices depend on who is asking: never stored by a shared cache. The page cache keeps them per
# pricing context (shop.page_cache.pages).
@cache_control(private=True)
@kept_page()
def home(request):
    group = group_for_request(request)
    tree = menu_tree(request)
    featured = selectors.featured_products(group=group, tree=tree)
    rows = pricing_display.price_rows(
        featured,
        group=group,
        customer=_customer(request),
        country=default_country_for_request(request),
    )
    return render(
        request, "shop/catalog/home.html", {"rows": rows, "price_note": _price_note(rows)}
    )


@cache_control(private=True)
@kept_page(params=("page", "sort"))
def category_detail(request, slug):
    group = group_for_request(request)
    tree = menu_tree(request)
    category = tree.get_by_slug(slug)
    if category is None:
        raise Http404(_("No such category."))
    customer = _customer(request)
    country = default_country_for_request(request)
    sort_labels = _sort_labels(SORT_LABELS, customer)
    sort = _chosen_sort(request, sort_labels, selectors.DEFAULT_SORT)
    if sort in selectors.PRICE_SORTS:
        listing = selectors.category_listing(category=category, tree=tree, group=group)
        name = ("category", category.pk)
        products = _by_price(
            listing, name=name, sort=sort, customer=customer, group=group, country=country
        )
    else:
        products = selectors.category_products(category=category, tree=tree, group=group, sort=sort)
    page = Paginator(products, settings.SHOP_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = pricing_display.price_rows(page, group=group, customer=customer, country=country)
    return render(
        request,
        "shop/catalog/category.html",
        {
            "category": category,
            "ancestors": tree.ancestors(category),
            "subcategories": tree.children.get(category.pk, []),
            "page": page,
            "rows": rows,
            "price_note": _price_note(rows),
            "sort": sort,
            "page_query": urlencode({"sort": sort}) + "&",
            "sort_labels": sort_labels,
        },
    )


def _product_page(request, product, *, group, tree, alert_form=None, status=200):
    customer = _customer(request)
    country = default_country_for_request(request)
    rows = pricing_display.price_rows([product], group=group, customer=customer, country=country)
    [(product, price)] = rows
    context = {
        "product": product,
        "price": price,
        "price_note": _price_note(rows),
        "tiers": pricing_display.display_tiers(
            product, customer=customer, group=group, country=country
        ),
        "bounds": pricing_services.quantity_bounds(product, customer=customer, group=group),
        "ancestors": tree.ancestors(tree.by_id[product.category_id])
        + [tree.by_id[product.category_id]],
        "images": list(product.images.all()),
    }
    if not product.in_stock:
        context["stock_alert"] = alert_selectors.pending_alert_for(product=product, user=customer)
        context["stock_alert_form"] = alert_form or StockAlertForm(auto_id="stock-alert-%s")
    return render(request, "shop/catalog/product.html", context, status=status)


def _visible_product(request, slug):
    group = group_for_request(request)
    tree = menu_tree(request)
    product = selectors.product_detail(slug=slug, group=group, tree=tree)
    if product is None:
        raise Http404(_("No such product."))
    return product, group, tree


@cache_control(private=True)
@kept_page(extra=_stock_shown, row=STOCK_SHOWN, saved_lists=True, live=_stock_count_now)
def product_detail(request, slug):
    product, group, tree = _visible_product(request, slug)
    return _product_page(request, product, group=group, tree=tree)


@private_page
@require_POST
def stock_alert_request(request, slug):
    """ "Email me when it is back" on the page of an out-of-stock product."""
    product, group, tree = _visible_product(request, slug)
    if product.in_stock:
        messages.error(request, alert_services.NOT_OUT_OF_STOCK)
        return redirect(product)
    customer = _customer(request)
    data = {"email": customer.email} if customer is not None else request.POST
    form = StockAlertForm(data, auto_id="stock-alert-%s")
    email = form.cleaned_data["email"] if form.is_valid() else ""
    refusal = too_many_attempts(request, action="stock_alert", email=email)
    if refusal:
        form.add_error(None, refusal)
        return _product_page(request, product, group=group, tree=tree, alert_form=form, status=429)
    if not form.is_valid():
        return _product_page(request, product, group=group, tree=tree, alert_form=form, status=400)
    try:
        alert_services.stock_alert_request(
            product=product, email=email, user=customer, language=get_language()
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(product)
    messages.success(
        request,
        _("Thank you. We will email you once %(product)s is back in stock.")
        % {"product": product.name},
    )
    return redirect(product)


@cache_control(private=True)
@kept_page(params=("q", "page", "sort"))
def search(request):
    group = group_for_request(request)
    tree = menu_tree(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    customer = _customer(request)
    country = default_country_for_request(request)
    sort_labels = _sort_labels(SEARCH_SORT_LABELS, customer)
    sort = _chosen_sort(request, sort_labels, "relevance")
    page = rows = None
    if query:
        if sort in selectors.PRICE_SORTS:
            listing = search_matches(query=query, group=group, tree=tree)
            name = ("search", query)
            products = _by_price(
                listing, name=name, sort=sort, customer=customer, group=group, country=country
            )
        else:
            products = search_products(query=query, group=group, tree=tree, sort=sort)
        page = Paginator(products, settings.SHOP_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = pricing_display.price_rows(page, group=group, customer=customer, country=country)
    return render(
        request,
        "shop/catalog/search.html",
        {
            "query": query,
            "page": page,
            "rows": rows,
            "price_note": _price_note(rows),
            "sort": sort,
            "sort_labels": sort_labels,
            "page_query": urlencode({"q": query, "sort": sort}) + "&",
        },
    )


PRICE_LIST_CHUNK = 500
PRICE_LIST_COLUMNS = (
    _("SKU"),
    _("Product"),
    _("Category"),
    _("Your unit price"),
    _("Prices"),
    _("Tiers"),
)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed reply."""

    def write(self, value):
        return value


def _price_list_lines(*, customer, group, header: list[str], basis: str):
    """The CSV lines of the buyer's price list, priced a chunk of products at a time so that
    a 10,000-product catalogue is never held in memory at once."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    products = (
        selectors.visible_products(group=group)
        .select_related("category")
        .order_by("sku")
        .iterator(chunk_size=PRICE_LIST_CHUNK)
    )
    while chunk := list(islice(products, PRICE_LIST_CHUNK)):
        yield "".join(_price_list_chunk(writer, chunk, customer=customer, group=group, basis=basis))


def _price_list_chunk(writer, chunk, *, customer, group, basis) -> list[str]:
    """One chunk priced with one read of the pricing version, as a request would (the lines
    are written after the request's own pricing snapshot has closed)."""
    token = pricing_services.request_snapshot.set({})
    try:
        lines = []
        for product, price in pricing_display.price_rows(chunk, customer=customer, group=group):
            tiers = pricing_display.display_tiers(product, customer=customer, group=group)
            tier_text = "; ".join(f"{quantity}+: {unit:.2f}" for quantity, unit in tiers)
            row = [product.sku, product.name, product.category.name, f"{price.amount:.2f}"]
            lines.append(writer.writerow([*row, basis, tier_text]))
        return lines
    finally:
        pricing_services.request_snapshot.reset(token)


@private_page
def price_list(request):
    """The trade buyer's own unit prices and tiers for everything they can buy, as CSV."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    group = group_for_request(request)
    if not group.portal_access:
        return redirect("wholesale_apply")
    # Translated now: the lines are written after the view has returned.
    header = [str(name) for name in PRICE_LIST_COLUMNS]
    basis = str(_("incl. VAT") if group.prices_include_tax else _("excl. VAT"))
    lines = _price_list_lines(customer=request.user, group=group, header=header, basis=basis)
    response = StreamingHttpResponse(lines, content_type="text/csv")
    filename = f"price-list-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
