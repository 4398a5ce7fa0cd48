"""Listings sorted by the price each viewer pays: their unit price at quantity 1, under the
configured strategy, in their display basis (gross or net), ties by name then id.

A listing's order is computed in Python from one query of plain tuples (every product priced
by the engine) and kept in process, keyed by everything that decides it, so a warm page reads
only the listing's state and the rows it shows, and one buyer's order never serves another:
- the viewer's pricing context (`pricing.context.viewer_key`: the compiled rules, the rule
  windows passed, the group, the display basis, the customer and the company only when they
  have rules of their own);
- the listing (a category, a search text), the language (names break ties);
- the listing's state (the catalogue version: see `catalog_selectors.listing_state`) and the
  direction.
"""

import threading
from array import array
from collections import OrderedDict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from shop.catalog import selectors as catalog_selectors

from . import engine
from .context import forget_facts, viewer_key
from .display import in_display_basis, price_basis
from .loaders import PricingData
from .services import buyer_for, pricing_data, snapshot_of

MAX_ORDERS = 128  # listings x groups x directions kept per process (about 80 kB per 10,000)

_lock = threading.Lock()
_orders: OrderedDict[tuple, array] = OrderedDict()


def price_sorted(
    products,
    *,
    listing: tuple,
    customer=None,
    group=None,
    descending=False,
    at=None,
    country: str | None = None,
) -> catalog_selectors.ProductsInOrder:
    """`products` (an unordered listing queryset) in the viewer's price order, for a Paginator.

    `listing` names the listing (e.g. ``("category", 12)``, ``("search", "pan")``); the
    queryset must be the one that name always gives for this group."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    basis = price_basis(customer=customer, group=group, country=country)
    at = at or timezone.now()
    key = (
        viewer_key(customer=customer, group=group, country=country, at=at),
        listing,
        get_language(),
        catalog_selectors.listing_state(products),
        descending,
    )
    with _lock:
        ids = _orders.get(key)
        if ids is not None:
            _orders.move_to_end(key)
    if ids is None:
        rows = catalog_selectors.price_inputs(products)
        ids = price_order(rows, data=data, buyer=buyer, basis=basis, at=at, descending=descending)
        with _lock:
            _orders[key] = ids
            while len(_orders) > MAX_ORDERS:
                _orders.popitem(last=False)
    return catalog_selectors.ProductsInOrder(products, ids)


def price_order(rows, *, data: PricingData, buyer, basis, at, descending: bool) -> array:
    """The ids of `rows` (`catalog_selectors.PriceInput`) by displayed unit price."""
    entries: list[tuple[Decimal, str, int]] = []
    for row in rows:
        unit, _rule = engine.unit_price(data.rules, snapshot_of(row, data), buyer, 1, at)
        amount = in_display_basis(unit, row, basis)
        entries.append((-amount if descending else amount, row.name, row.pk))
    entries.sort()
    return array("q", (pk for _amount, _name, pk in entries))


def forget_orders() -> None:
    """Drop every order kept in this process (tests that start like a new process)."""
    with _lock:
        _orders.clear()
    forget_facts()
