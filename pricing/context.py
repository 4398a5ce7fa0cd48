"""Whose prices a page shows: everything that decides the prices, labels and tiers one viewer
sees, as a key that two viewers share only when they would see exactly the same.

The key holds the compiled pricing data (version token and strategy) and how many rule windows
(starts and ends) have passed, since a rule starting or ending changes prices without a version
bump; the group; the display basis (whose VAT, gross or net, and whether the country is the
viewer's own: `display.PriceBasis`); the customer and the company only when they have rules of
their own; and whether prices are hidden from this viewer. Listings kept in price order
(`pricing.sorting`) and whole pages kept by the storefront's page cache are keyed by it.
"""

import threading
from bisect import bisect_right
from datetime import datetime

from django.utils import timezone

from .display import price_basis, prices_hidden_for
from .loaders import PricingData
from .services import buyer_for, pricing_data

_lock = threading.Lock()
_rule_facts: dict[str, tuple] = {}


def viewer_key(*, customer=None, group=None, country: str | None = None, at=None) -> tuple:
    """The pricing context of a viewer at `at` (now by default), hashable and short."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    basis = price_basis(customer=customer, group=group, country=country)
    boundaries, customers_with_rules = _facts(data)
    return (
        data.version,
        data.rules.strategy,
        bisect_right(boundaries, at or timezone.now()),
        group.pk,
        basis.cache_key,
        int(basis.known),
        buyer.customer_id if buyer.customer_id in customers_with_rules else None,
        buyer.company_id if buyer.company_id in data.rules.company_ids else None,
        int(prices_hidden_for(customer)),
    )


def seconds_until_next_window(at: datetime | None = None) -> float | None:
    """How long the prices shown now stay right at the latest: until the next start or end of a
    rule's window (None when no window lies ahead)."""
    at = at or timezone.now()
    boundaries, _customers = _facts(pricing_data())
    index = bisect_right(boundaries, at)
    if index == len(boundaries):
        return None
    return (boundaries[index] - at).total_seconds()


def _facts(data: PricingData) -> tuple[list, frozenset]:
    """The sorted window boundaries of the price rules and the customers who have price or
    quantity rules of their own, computed once per compiled rule set (the companies with rules
    of their own are `RuleSet.company_ids`)."""
    facts = _rule_facts.get("facts")
    if facts is None or facts[0] is not data.rules:
        prices, quantities = data.rules.price_rules, data.rules.quantity_rules
        moments = {m for rule in prices for m in (rule.starts_at, rule.ends_at) if m is not None}
        customers = frozenset(
            rule.customer_id for rule in (*prices, *quantities) if rule.customer_id is not None
        )
        facts = (data.rules, sorted(moments), customers)
        with _lock:
            _rule_facts["facts"] = facts
    return facts[1], facts[2]


def forget_facts() -> None:
    """Drop the facts kept in this process (tests that start like a new process)."""
    _rule_facts.clear()
