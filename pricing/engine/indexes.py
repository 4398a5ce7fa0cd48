"""The buckets a rule set files its rules in: by who a rule is for (customer, company, group,
everyone) inside each scope (product, category, catalogue), sorted by rule id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .compiled import WHAT_CATALOGUE, WHAT_PRODUCT, by_id
from .types import (
    Buyer,
    ProductSnapshot,
)

_NO_BUCKETS: Mapping[int, tuple] = MappingProxyType({})


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


_WHO_SLOTS = {"c": "customers", "k": "companies", "g": "groups"}


def _scope_key(rule) -> tuple[str, int | None, str, int | None]:
    """(what kind, what id, who kind, who id): the one bucket a rule is filed under."""
    if rule.product_id is not None:
        what = ("p", rule.product_id)
    elif rule.category_id is not None:
        what = ("c", rule.category_id)
    else:
        what = ("*", None)
    if rule.customer_id is not None:
        return (*what, "c", rule.customer_id)
    if rule.company_id is not None:
        return (*what, "k", rule.company_id)
    if rule.group_id is not None:
        return (*what, "g", rule.group_id)
    return (*what, "*", None)


class ScopeIndex:
    """Rules filed by what (product / category / catalogue), then by who (internal)."""

    __slots__ = ("catalogue", "categories", "products")

    def __init__(self, items: Iterable = ()) -> None:
        """``items`` are objects with ``.rule`` (for scope) and ``.id``; sorted by id per bucket."""
        lists: dict[tuple, list] = {}
        for item in items:
            lists.setdefault(_scope_key(item.rule), []).append(item)
        self.products: dict[int, WhoBuckets] = {}
        self.categories: dict[int, WhoBuckets] = {}
        self.catalogue = WhoBuckets()
        for (what_kind, what_id, who_kind, who_id), bucket in lists.items():
            if what_kind == "p":
                buckets = self.products.setdefault(what_id, WhoBuckets())
            elif what_kind == "c":
                buckets = self.categories.setdefault(what_id, WhoBuckets())
            else:
                buckets = self.catalogue
            buckets.put(who_kind, who_id, tuple(sorted(bucket, key=by_id)))

    def with_changes(self, removed: Iterable, added: Iterable) -> ScopeIndex:
        """A new index without the ``removed`` rules (their data as it was filed) and with the
        ``added`` items. Only the touched buckets are copied; the rest is shared, so this index
        stays valid for the quotes still reading it."""
        changes: dict[tuple, tuple[set, list]] = {}
        for rule in removed:
            changes.setdefault(_scope_key(rule), (set(), []))[0].add(rule.id)
        for item in added:
            changes.setdefault(_scope_key(item.rule), (set(), []))[1].append(item)
        new = ScopeIndex()
        new.products, new.categories = self.products, self.categories
        new.catalogue = self.catalogue
        copied: set[tuple] = set()
        for (what_kind, what_id, who_kind, who_id), (gone, items) in changes.items():
            if what_kind == "*":
                if "*" not in copied:
                    new.catalogue = self.catalogue.copy()
                    copied.add("*")
                buckets = new.catalogue
            else:
                table = new.products if what_kind == "p" else new.categories
                original = self.products if what_kind == "p" else self.categories
                if table is original:
                    table = dict(original)
                    if what_kind == "p":
                        new.products = table
                    else:
                        new.categories = table
                if (what_kind, what_id) not in copied:
                    held = table.get(what_id)
                    table[what_id] = held.copy() if held is not None else WhoBuckets()
                    copied.add((what_kind, what_id))
                buckets = table[what_id]
            kept = [item for item in buckets.get(who_kind, who_id) if item.id not in gone]
            buckets.put(who_kind, who_id, tuple(sorted(kept + items, key=by_id)))
        return new

    def gather(self, product: ProductSnapshot, buyer: Buyer) -> list[tuple[object, int]]:
        """Every item targeting this buyer and product, with its what-specificity."""
        levels: list[tuple[WhoBuckets, int]] = []
        buckets = self.products.get(product.id)
        if buckets is not None:
            levels.append((buckets, WHAT_PRODUCT))
        categories = self.categories
        if categories:
            for depth, category_id in enumerate(product.category_path, start=1):
                buckets = categories.get(category_id)
                if buckets is not None:
                    levels.append((buckets, depth))
        levels.append((self.catalogue, WHAT_CATALOGUE))

        customer_id = buyer.customer_id
        company_id = buyer.company_id
        group_id = buyer.group_id
        found: list[tuple[object, int]] = []
        for buckets, what in levels:
            if buckets.everyone:
                found += [(item, what) for item in buckets.everyone]
            if group_id is not None and buckets.groups:
                found += [(item, what) for item in buckets.groups.get(group_id, ())]
            if company_id is not None and buckets.companies:
                found += [(item, what) for item in buckets.companies.get(company_id, ())]
            if customer_id is not None and buckets.customers:
                found += [(item, what) for item in buckets.customers.get(customer_id, ())]
        return found
