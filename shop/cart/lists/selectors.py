"""Reads of the saved lists, each in a constant number of queries: a customer's lists (and
their colleagues' shared ones) with their sizes, and one list priced now for whoever opens it
(their own prices, never the owner's or anyone else's)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from customers.companies import selectors as company_selectors
from pricing import carts as pricing_carts
from shop.catalog import selectors as catalog_selectors

from .models import SavedList, SavedListLine


def readable_lists(user) -> QuerySet[SavedList]:
    """The lists ``user`` may open: their own, and those colleagues share with the company the
    user buys for, while the colleague is still a member of it (from current membership, so a
    list stops being shared the moment its owner leaves)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return SavedList.objects.none()
    readable = Q(owner=user)
    company_id = company_selectors.company_id_for(user)
    if company_id is not None:
        readable |= Q(
            shared_with_company_id=company_id, owner__company_membership__company_id=company_id
        )
    return SavedList.objects.filter(readable)


def lists_for(*, user, for_write: bool = True) -> list[SavedList]:
    """By name, each with `line_count`: the user's own lists (``for_write``), or every list they
    may open, their colleagues' shared ones included (with their owner)."""
    if for_write:
        lists = SavedList.objects.filter(owner=user)
    else:
        lists = readable_lists(user).select_related("owner")
    return list(lists.annotate(line_count=Count("lines")).order_by(Lower("name"), "id"))


def recent_lists(*, user, limit: int) -> list[SavedList]:
    """The user's own lists changed last, each with `line_count`."""
    return list(
        SavedList.objects.filter(owner=user)
        .annotate(line_count=Count("lines"))
        .order_by("-updated_at", "-id")[:limit]
    )


def list_choices(*, owner, request=None) -> list[tuple[int, str]]:
    """(id, name) of the customer's lists, for "add to list" menus: those the `request` read
    already (`remember_choices`: a kept page reads them with its versions), else in plain SQL,
    without building an ORM query each time (every product page a customer opens asks)."""
    read = getattr(request, "_saved_list_choices", None)
    if read is not None and read[0] == owner.pk:
        return read[1]
    table = SavedList._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name FROM {table} WHERE owner_id = %s ORDER BY LOWER(name), id",
            [owner.pk],
        )
        return [(pk, name) for pk, name in cursor.fetchall()]


def remember_choices(request, *, owner_id: int, choices: list[tuple[int, str]]) -> None:
    """The `list_choices` of the customer `owner_id`, read by the caller for this request."""
    request._saved_list_choices = (owner_id, choices)


def saved_list_get(*, user, pk, for_write: bool) -> SavedList | None:
    """The list ``pk`` if ``user`` may change it (``for_write``: their own) or open it (their
    own or shared with them); None otherwise, or for a malformed id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if user is None or not getattr(user, "is_authenticated", False) or pk < 1 or pk > 2**63 - 1:
        return None
    if for_write:
        return SavedList.objects.filter(owner=user, pk=pk).first()
    return readable_lists(user).select_related("owner").filter(pk=pk).first()


def is_shared(saved_list: SavedList) -> bool:
    """Whether colleagues see the list now: shared with the company its owner buys for."""
    company_id = saved_list.shared_with_company_id
    return company_id is not None and company_id == company_selectors.company_id_for(
        saved_list.owner
    )


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
