"""The buckets a rule set files its rules in: by what a rule covers (product, category,
catalogue), then by who it is for (customer, company, group, everyone), sorted by rule id.

Most *what* keys hold a few rules (a product's own rules): those are one tuple ordered by
(who-specificity, id) and filtered for the buyer, since a dictionary per kind of buyer per
product was most of the index's memory at 100,000 rules. A key holding more than
:data:`FLAT_UP_TO` rules (the whole catalogue, a large category) splits them by who
(:class:`WhoBuckets`) so a quote never scans other buyers' rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .compiled import (
    WHAT_CATALOGUE,
    WHAT_PRODUCT,
    WHO_COMPANY,
    WHO_CUSTOMER,
    WHO_EVERYONE,
    WHO_GROUP,
    by_id,
)
from .types import (
    Buyer,
    ProductSnapshot,
)

FLAT_UP_TO = 16
_NO_BUCKETS: Mapping[int, tuple] = MappingProxyType({})
_WHO_SLOTS = {"c": "customers", "k": "companies", "g": "groups"}
_WHO_KINDS = {WHO_CUSTOMER: "c", WHO_COMPANY: "k", WHO_GROUP: "g"}


class WhoBuckets:
    """Rules of one *what* key, split by who they target (internal)."""

    __slots__ = ("companies", "customers", "everyone", "groups")

    def __init__(self) -> None:
        self.everyone: tuple = ()
        self.groups: Mapping[int, tuple] = _NO_BUCKETS
        self.companies: Mapping[int, tuple] = _NO_BUCKETS
        self.customers: Mapping[int, tuple] = _NO_BUCKETS

    def get(self, who_kind: str, who_id) -> tuple:
        if who_kind == "*":
            return self.everyone
        return getattr(self, _WHO_SLOTS[who_kind]).get(who_id, ())

    def put(self, who_kind: str, who_id, items: tuple) -> None:
        """File ``items`` (sorted by id) under who; an empty tuple removes the bucket."""
        if who_kind == "*":
            self.everyone = items
            return
        slot = _WHO_SLOTS[who_kind]
        mapping = getattr(self, slot)
        if mapping is _NO_BUCKETS:
            if not items:
                return
            mapping = {}
            setattr(self, slot, mapping)
        if items:
            mapping[who_id] = items
        else:
            mapping.pop(who_id, None)

    def copy(self) -> WhoBuckets:
        clone = WhoBuckets()
        clone.everyone = self.everyone
        for slot in _WHO_SLOTS.values():
            mapping = getattr(self, slot)
            setattr(clone, slot, dict(mapping) if mapping else _NO_BUCKETS)
        return clone


def _what_key(rule) -> tuple[str, int | None]:
    if rule.product_id is not None:
        return ("p", rule.product_id)
    if rule.category_id is not None:
        return ("c", rule.category_id)
    return ("*", None)


def _who_key(rule) -> tuple[str, int | None]:
    if rule.customer_id is not None:
        return ("c", rule.customer_id)
    if rule.company_id is not None:
        return ("k", rule.company_id)
    if rule.group_id is not None:
        return ("g", rule.group_id)
    return ("*", None)


def _flat_order(item) -> tuple[int, int]:
    return (item.who, item.id)


def _bucket_of(items: list):
    """The bucket of one *what* key: a tuple when small, else :class:`WhoBuckets`; None when
    there is nothing to file."""
    if not items:
        return None
    if len(items) <= FLAT_UP_TO:
        return tuple(sorted(items, key=_flat_order))
    lists: dict[tuple, list] = {}
    for item in items:
        lists.setdefault(_who_key(item.rule), []).append(item)
    buckets = WhoBuckets()
    for (who_kind, who_id), bucket in lists.items():
        buckets.put(who_kind, who_id, tuple(sorted(bucket, key=by_id)))
    return buckets


def _changed_bucket(held, gone: list, added: list):
    """``held`` without the ``gone`` rules (their data as filed) and with the ``added`` items,
    as a new bucket (``held`` is left as it is)."""
    if not isinstance(held, WhoBuckets):
        gone_ids = {rule.id for rule in gone}
        return _bucket_of([item for item in held or () if item.id not in gone_ids] + added)
    changes: dict[tuple, tuple[set, list]] = {}
    for rule in gone:
        changes.setdefault(_who_key(rule), (set(), []))[0].add(rule.id)
    for item in added:
        changes.setdefault(_who_key(item.rule), (set(), []))[1].append(item)
    buckets = held.copy()
    for (who_kind, who_id), (gone_ids, items) in changes.items():
        kept = [item for item in buckets.get(who_kind, who_id) if item.id not in gone_ids]
        buckets.put(who_kind, who_id, tuple(sorted(kept + items, key=by_id)))
    return buckets


def _buyer_items(bucket, group_id, company_id, customer_id) -> list:
    """The items of one *what* key targeting the buyer: everyone's, then the group's, the
    company's and the customer's, each by id."""
    if isinstance(bucket, tuple):
        return [
            item
            for item in bucket
            if (who := item.who) == WHO_EVERYONE
            or (who == WHO_GROUP and item.rule.group_id == group_id)
            or (who == WHO_COMPANY and item.rule.company_id == company_id)
            or (who == WHO_CUSTOMER and item.rule.customer_id == customer_id)
        ]
    found = list(bucket.everyone)
    if group_id is not None and bucket.groups:
        found += bucket.groups.get(group_id, ())
    if company_id is not None and bucket.companies:
        found += bucket.companies.get(company_id, ())
    if customer_id is not None and bucket.customers:
        found += bucket.customers.get(customer_id, ())
    return found


def negotiated_items(bucket, who: int, who_id: int) -> tuple:
    """The items of one *what* key (a bucket or None) that one customer (``who`` is
    ``WHO_CUSTOMER``) or one company (``WHO_COMPANY``) negotiated, by id."""
    if bucket is None:
        return ()
    if isinstance(bucket, tuple):
        field = "customer_id" if who == WHO_CUSTOMER else "company_id"
        return tuple(i for i in bucket if i.who == who and getattr(i.rule, field) == who_id)
    return bucket.get(_WHO_KINDS[who], who_id)


class ScopeIndex:
    """Rules filed by what (product / category / catalogue), then by who (internal).

    ``products`` and ``categories`` map an id to its bucket; ``catalogue`` is the bucket of
    the rules for the whole catalogue (None when there are none)."""

    __slots__ = ("catalogue", "categories", "products")

    def __init__(self, items: Iterable = ()) -> None:
        """``items`` are objects with ``.rule`` (for scope), ``.id`` and ``.who``."""
        lists: dict[tuple, list] = {}
        for item in items:
            lists.setdefault(_what_key(item.rule), []).append(item)
        self.products: dict[int, object] = {}
        self.categories: dict[int, object] = {}
        self.catalogue = None
        for (what_kind, what_id), bucket in lists.items():
            filed = _bucket_of(bucket)
            if what_kind == "p":
                self.products[what_id] = filed
            elif what_kind == "c":
                self.categories[what_id] = filed
            else:
                self.catalogue = filed

    def with_changes(self, removed: Iterable, added: Iterable) -> ScopeIndex:
        """A new index without the ``removed`` rules (their data as it was filed) and with the
        ``added`` items. Only the touched buckets are rebuilt; the rest is shared, so this
        index stays valid for the quotes still reading it."""
        changes: dict[tuple, tuple[list, list]] = {}
        for rule in removed:
            changes.setdefault(_what_key(rule), ([], []))[0].append(rule)
        for item in added:
            changes.setdefault(_what_key(item.rule), ([], []))[1].append(item)
        new = ScopeIndex()
        new.products, new.categories = self.products, self.categories
        new.catalogue = self.catalogue
        for (what_kind, what_id), (gone, items) in changes.items():
            if what_kind == "*":
                new.catalogue = _changed_bucket(self.catalogue, gone, items)
                continue
            if what_kind == "p":
                if new.products is self.products:
                    new.products = dict(self.products)
                table = new.products
            else:
                if new.categories is self.categories:
                    new.categories = dict(self.categories)
                table = new.categories
            bucket = _changed_bucket(table.get(what_id), gone, items)
            if bucket is None:
                table.pop(what_id, None)
            else:
                table[what_id] = bucket
        return new

    def gather(self, product: ProductSnapshot, buyer: Buyer) -> list[tuple[object, int]]:
        """Every item targeting this buyer and product, with its what-specificity."""
        levels: list[tuple[object, int]] = []
        bucket = self.products.get(product.id)
        if bucket is not None:
            levels.append((bucket, WHAT_PRODUCT))
        categories = self.categories
        if categories:
            for depth, category_id in enumerate(product.category_path, start=1):
                bucket = categories.get(category_id)
                if bucket is not None:
                    levels.append((bucket, depth))
        if self.catalogue is not None:
            levels.append((self.catalogue, WHAT_CATALOGUE))

        customer_id = buyer.customer_id
        company_id = buyer.company_id
        group_id = buyer.group_id
        found: list[tuple[object, int]] = []
        for bucket, what in levels:
            items = _buyer_items(bucket, group_id, company_id, customer_id)
            if items:
                found += [(item, what) for item in items]
        return found
