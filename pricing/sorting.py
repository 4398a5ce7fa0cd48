"""Listings sorted by the price each viewer pays: their unit price at quantity 1, under the
configured strategy, in their display basis (gross or net), ties by name then id.

A listing's order is computed in Python from one query of plain tuples (every product priced
by the engine) and kept in process, keyed by everything that decides it, so a warm page reads
only the listing's state and the rows it shows, and one buyer's order never serves another:
- the compiled pricing data (its version token and strategy) and how many rule windows (starts
  and ends) have passed, since a rule starting or ending changes prices without a version bump;
- the listing (a category, a search text), the group (visibility, its rules), the display
  basis (whose VAT, gross or net: `display.PriceBasis`), the customer and the company only
  when they have rules of their own, the language (names break ties);
- the listing's state (count, latest edit, sums of ids and of their squares: see
  `listing_state`) and the direction.
"""

import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from shop.catalog import selectors as catalog_selectors

from . import engine
from .display import in_display_basis, price_basis
from .loaders import PricingData
from .services import buyer_for, pricing_data, snapshot_of

MAX_ORDERS = 128  # listings x groups x directions kept per process (about 80 kB per 10,000)

_lock = threading.Lock()
_orders: OrderedDict[tuple, array] = OrderedDict()
_rule_facts: dict[str, object] = {}


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
    boundaries, customers_with_rules = _facts(data)
    key = (
        data.version,
        data.rules.strategy,
        bisect_right(boundaries, at),
        listing,
        group.pk,
        basis.cache_key,
        buyer.customer_id if buyer.customer_id in customers_with_rules else None,
        buyer.company_id if buyer.company_id in data.rules.company_ids else None,
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


def _facts(data: PricingData) -> tuple[list, frozenset]:
    """The sorted window boundaries of the price rules and the customers who have rules of
    their own, computed once per compiled rule set (the companies with rules of their own are
    `RuleSet.company_ids`)."""
    facts = _rule_facts.get("facts")
    if facts is None or facts[0] is not data.rules:
        rules = data.rules.price_rules
        moments = {m for rule in rules for m in (rule.starts_at, rule.ends_at) if m is not None}
        customers = frozenset(r.customer_id for r in rules if r.customer_id is not None)
        facts = (data.rules, sorted(moments), customers)
        _rule_facts["facts"] = facts
    return facts[1], facts[2]


def forget_orders() -> None:
    """Drop every order kept in this process (tests that start like a new process)."""
    with _lock:
        _orders.clear()
    _rule_facts.clear()
