"""Listings in a kept order, so that a page costs the same at 1,000 and at 100,000 products.

The order of a listing (its product ids, and so its length) is read in one query of ids and
kept in process, keyed by everything that decides it: the listing (a category as the group's
tree has it, a search text), the group (visibility), the sort, the language (names) and the
catalogue version, which the database changes on every write that may change a listing (see
`CatalogueVersion`). A warm page then reads the version and the rows it shows, by id and still
through the listing's filters: no count, no sort of the whole listing. Prices are not kept:
each viewer's are computed on the rows shown (pricing.display), and price sorts keep their own
order (pricing.sorting).
"""

import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import get_language

from .models import CatalogueVersion, Product, ProductImage

MAX_KEPT_IDS = 2_000_000  # ids kept per process, all listings together (8 bytes each)
MAX_LISTINGS = 512  # searches are listings too: bound their number as well

_lock = threading.Lock()
_orders: OrderedDict[tuple, array] = OrderedDict()
_kept_ids = 0


def listed(products: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card needs: no description, and the first picture's thumbnail as a
    column (no image rows to load; the card fragment is usually cached anyway)."""
    first_thumbnail = (
        ProductImage.objects.filter(product_id=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )
    return products.defer("description").annotate(card_thumbnail=Subquery(first_thumbnail))


class ProductsInOrder:
    """A listing in an order decided once, for a Paginator: its count is known and only the
    rows of the slice shown are read (one query), still through the listing's filters."""

    def __init__(self, products: QuerySet[Product], ids: Sequence[int]):
        self.products = products
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.ids[index])
        rows = {product.pk: product for product in listed(self.products.filter(pk__in=ids))}
        return [rows[pk] for pk in ids if pk in rows]


def catalogue_state() -> str:
    """The catalogue version: one query by primary key, whatever the catalogue's size."""
    return CatalogueVersion.current()


def in_kept_order(
    products: QuerySet[Product], *, listing: tuple, group, rows: QuerySet[Product] | None = None
) -> ProductsInOrder:
    """`products` (a listing ordered as shown, for the group) in its kept order.

    `listing` names the listing and its order (e.g. ``("category", 12, "name")``); the
    queryset must be the one that name always gives for this group and language. The rows
    shown are read through `rows` (default: the listing's own filters): a search passes the
    visibility filters alone, since what it matched cannot change without a new version and
    matching again would cost the whole search."""
    key = (listing, group.pk if group is not None else None, get_language(), catalogue_state())
    with _lock:
        ids = _orders.get(key)
        if ids is not None:
            _orders.move_to_end(key)
    if ids is None:
        ids = array("q", products.values_list("pk", flat=True))
        _keep(key, ids)
    return ProductsInOrder(products.order_by() if rows is None else rows, ids)


def _keep(key: tuple, ids: array) -> None:
    global _kept_ids
    with _lock:
        previous = _orders.pop(key, None)
        _kept_ids -= len(previous) if previous is not None else 0
        _orders[key] = ids
        _kept_ids += len(ids)
        while _orders and (_kept_ids > MAX_KEPT_IDS or len(_orders) > MAX_LISTINGS):
            _key, dropped = _orders.popitem(last=False)
            _kept_ids -= len(dropped)


def forget_listings() -> None:
    """Drop every order kept in this process (tests that start like a new process)."""
    global _kept_ids
    with _lock:
        _orders.clear()
        _kept_ids = 0
