"""Reads of the saved lists, each in a constant number of queries: a customer's lists with
their sizes, and one list priced now for its owner (their own prices, never anyone else's)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Lower

from pricing import carts as pricing_carts
from shop.catalog import selectors as catalog_selectors

from .models import SavedList, SavedListLine


def lists_for(*, owner) -> list[SavedList]:
    """The customer's lists by name, each with `line_count`."""
    return list(
        SavedList.objects.filter(owner=owner)
        .annotate(line_count=Count("lines"))
        .order_by(Lower("name"), "id")
    )


def list_choices(*, owner) -> list[tuple[int, str]]:
    """(id, name) of the customer's lists, for "add to list" menus."""
    return list(
        SavedList.objects.filter(owner=owner)
        .order_by(Lower("name"), "id")
        .values_list("pk", "name")
    )


def saved_list_get(*, owner, pk) -> SavedList | None:
    """The customer's own list (None for anyone else's, or a malformed id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if owner is None or not getattr(owner, "is_authenticated", False) or pk < 1 or pk > 2**63 - 1:
        return None
    return SavedList.objects.filter(owner=owner, pk=pk).first()


def list_lines(saved_list: SavedList) -> QuerySet[SavedListLine]:
    return (
        SavedListLine.objects.filter(saved_list=saved_list)
        .select_related("product")
        .order_by("added_at", "id")
    )


@dataclass(frozen=True)
class ListRow:
    line: SavedListLine
    priced: "pricing_carts.CartLine"


@dataclass(frozen=True)
class ListPage:
    saved_list: SavedList
    rows: list[ListRow]
    unavailable: list[SavedListLine]  # products the buyer can no longer order: no price shown
    quote: "pricing_carts.CartQuote"

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.unavailable

    @property
    def lines(self) -> list[SavedListLine]:
        return [row.line for row in self.rows] + self.unavailable


def saved_list_page(*, saved_list: SavedList, customer, group) -> ListPage:
    """The list priced now for this buyer, as their cart would price it (quantity tiers
    included, before any cart discount), with the quantity rules each line breaks."""
    lines = list(list_lines(saved_list))
    visible = set()
    if lines:
        visible = set(
            catalog_selectors.visible_products(
                group=group, ids=[line.product_id for line in lines]
            ).values_list("pk", flat=True)
        )
    available = [line for line in lines if line.product_id in visible]
    quote = pricing_carts.price_cart(
        [(line.product, line.quantity) for line in available], customer=customer, group=group
    )
    rows = [
        ListRow(line=line, priced=priced)
        for line, priced in zip(available, quote.lines, strict=True)
    ]
    unavailable = [line for line in lines if line.product_id not in visible]
    return ListPage(saved_list=saved_list, rows=rows, unavailable=unavailable, quote=quote)


def export_rows(*, saved_list: SavedList, group) -> list[tuple[str, int, str]]:
    """(sku, quantity, note) of the lines the buyer can still order."""
    lines = list(list_lines(saved_list))
    visible = (
        set(
            catalog_selectors.visible_products(
                group=group, ids=[line.product_id for line in lines]
            ).values_list("pk", flat=True)
        )
        if lines
        else set()
    )
    return [
        (line.product.sku, line.quantity, line.note) for line in lines if line.product_id in visible
    ]
