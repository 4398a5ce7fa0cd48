"""Building blocks of the catalogue survey (:mod:`pricing.engine.survey`): its findings, the
catalogue indexed by scope, a buyer's *ladder* for a product (the winner and unit price from
each quantity threshold on: the winner only changes at 1 and each candidate's
``min_quantity``), and the findings proven from a rule alone, without visiting products.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .calculator import _sort_key
from .compiled import (
    KIND_AMOUNT,
    KIND_FIXED,
    KIND_PERCENT,
    WHAT_CATALOGUE,
    WHAT_PRODUCT,
    WHO_COMPANY,
    WHO_CUSTOMER,
    CompiledPriceRule,
)
from .indexes import negotiated_items
from .money import to_cents
from .ruleset import RuleSet
from .types import LOWEST, Buyer, PriceRuleData, ProductSnapshot
from .windows import RUNNING, window_state

_ZERO = Decimal("0.00")

FREE = "free"
GROUP_PAYS_MORE = "group_pays_more"
TIER_INVERSION = "tier_inversion"
NEVER_WINS = "never_wins"
SHADOWED = "shadowed"
CODES = (FREE, GROUP_PAYS_MORE, TIER_INVERSION, NEVER_WINS, SHADOWED)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule does to buyers, with an example (the first product and buyer found).

    ``price``/``other_price``: the buyer's unit price and what it is compared with (the guest's
    price, the tier just below, the base price). ``other_rule_id``: the rule that shadows this
    one, or wins just below the inverted tier. ``at``: the moment judged."""

    rule_id: int
    code: str
    at: datetime
    product_id: int | None = None
    buyer: Buyer | None = None
    quantity: int | None = None
    price: Decimal | None = None
    other_price: Decimal | None = None
    other_rule_id: int | None = None


class Catalogue:
    """Products indexed for the survey: by id, by category subtree, cheapest per subtree."""

    def __init__(self, products: Iterable[ProductSnapshot]) -> None:
        self.products = tuple(products)
        self.by_id = {product.id: product for product in self.products}
        self.by_category: dict[int, list[ProductSnapshot]] = {}
        for product in self.products:
            for category_id in product.category_path:
                self.by_category.setdefault(category_id, []).append(product)
        self.category_paths: dict[int, tuple[int, ...]] = {}
        for product in self.products:
            path = product.category_path
            for depth, category_id in enumerate(path, start=1):
                self.category_paths.setdefault(category_id, path[:depth])
        self.cheapest = min(self.products, key=_base, default=None)
        self.dearest = max(self.products, key=_base, default=None)
        self.cheapest_in = {
            category_id: min(products, key=_base)
            for category_id, products in self.by_category.items()
        }
        self.dearest_in = {
            category_id: max(products, key=_base)
            for category_id, products in self.by_category.items()
        }

    def in_scope(self, rule: PriceRuleData) -> Sequence[ProductSnapshot]:
        if rule.product_id is not None:
            product = self.by_id.get(rule.product_id)
            return (product,) if product is not None else ()
        if rule.category_id is not None:
            return self.by_category.get(rule.category_id, ())
        return self.products

    def cheapest_in_scope(self, rule: PriceRuleData) -> ProductSnapshot | None:
        if rule.product_id is not None:
            return self.by_id.get(rule.product_id)
        if rule.category_id is not None:
            return self.cheapest_in.get(rule.category_id)
        return self.cheapest

    def dearest_in_scope(self, rule: PriceRuleData) -> ProductSnapshot | None:
        if rule.product_id is not None:
            return self.by_id.get(rule.product_id)
        if rule.category_id is not None:
            return self.dearest_in.get(rule.category_id)
        return self.dearest

    def probe(self, rule: PriceRuleData) -> ProductSnapshot:
        """A product standing for the rule's whole scope, to gather the rules covering it."""
        if rule.product_id is not None and rule.product_id in self.by_id:
            return self.by_id[rule.product_id]
        path = self.category_paths.get(rule.category_id, ()) if rule.category_id else ()
        return ProductSnapshot(id=-1, base_price=_ZERO, category_path=path)


def _base(product: ProductSnapshot) -> Decimal:
    return product.base_price


# A ladder step: (from quantity, unit price, winning compiled rule or None for the base price,
# the applicable compiled rules that lost).
Step = tuple[int, Decimal, object, list]


def ladder(rules: RuleSet, product: ProductSnapshot, buyer: Buyer, at: datetime) -> list[Step]:
    """The winner and unit price from each quantity threshold on (agrees with ``quote``)."""
    found = rules.price_index.gather(product, buyer)
    return steps_of(rules.strategy, product, candidate_entries(rules, product, found, at))


def candidate_entries(rules: RuleSet, product: ProductSnapshot, found, at: datetime) -> list:
    """``[(sort key, compiled rule, unit price)]`` of the ``(rule, what)`` pairs running at
    ``at``, in the strategy's order."""
    return running(all_entries(rules, product, found), at)


def all_entries(rules: RuleSet, product: ProductSnapshot, found) -> list:
    """:func:`candidate_entries` whatever their time windows (the same at every moment)."""
    strategy = rules.strategy
    base = to_cents(product.base_price)
    entries = []
    for crule, what in found:
        price = crule.fixed_price if crule.kind == KIND_FIXED else crule.unit_price(base)[1]
        entries.append((_sort_key(strategy, crule, what, price), crule, price))
    entries.sort(key=first)
    return entries


def running(entries: list, at: datetime) -> list:
    """The entries whose rule runs at ``at`` (the order kept)."""
    return [
        entry
        for entry in entries
        if (entry[1].starts_at is None and entry[1].ends_at is None)
        or window_state(entry[1], at) == RUNNING
    ]


def steps_of(strategy: str, product: ProductSnapshot, entries: list) -> list[Step]:
    base = to_cents(product.base_price)
    if not entries:
        return [(1, base, None, [])]
    capped = strategy == LOWEST
    steps: list[Step] = []
    for quantity in sorted({1, *(entry[1].min_quantity for entry in entries)}):
        winner = price = None
        losers = []
        for _key, crule, crule_price in entries:
            if crule.min_quantity <= quantity:
                if winner is None:
                    winner, price = crule, crule_price
                else:
                    losers.append(crule)
        if winner is None:
            steps.append((quantity, base, None, losers))
            continue
        if capped and price > base:
            losers.append(winner)
            winner, price = None, base
        steps.append((quantity, price, winner, losers))
    return steps


def first_from(entries: list, quantity: int, skip_id: int | None = None):
    """The first entry applicable at ``quantity`` (other than rule ``skip_id``), or None."""
    for entry in entries:
        if entry[1].min_quantity <= quantity and entry[1].id != skip_id:
            return entry
    return None


def customer_found(index, product: ProductSnapshot, customer_id: int, who="customers") -> list:
    """The ``(rule, what)`` pairs of one customer's own rules for a product (of one company's
    with ``who="companies"`` and the company's id)."""
    who_code = WHO_CUSTOMER if who == "customers" else WHO_COMPANY
    found = [
        (item, WHAT_PRODUCT)
        for item in negotiated_items(index.products.get(product.id), who_code, customer_id)
    ]
    for depth, category_id in enumerate(product.category_path, start=1):
        bucket = index.categories.get(category_id)
        found += [(item, depth) for item in negotiated_items(bucket, who_code, customer_id)]
    found += [
        (item, WHAT_CATALOGUE) for item in negotiated_items(index.catalogue, who_code, customer_id)
    ]
    return found


def first(entry: tuple):
    return entry[0]


def price_at(steps: list[Step], quantity: int) -> tuple[Decimal, object]:
    """(unit price, winner) of a ladder at ``quantity``."""
    found = steps[0]
    for step in steps:
        if step[0] > quantity:
            break
        found = step
    return found[1], found[2]


def free_finding(catalogue: Catalogue, rule: PriceRuleData, at: datetime) -> Finding | None:
    """``free`` when the rule gives 0.00 on the cheapest product in scope (every kind is
    monotonic in the base price)."""
    product = catalogue.cheapest_in_scope(rule)
    if product is None:
        return None
    base = to_cents(product.base_price)
    if CompiledPriceRule(rule).unit_price(base)[1] != _ZERO:
        return None
    return Finding(
        rule.id,
        FREE,
        at,
        product.id,
        Buyer(customer_id=rule.customer_id, group_id=rule.group_id),
        rule.min_quantity,
        _ZERO,
        base,
    )


def beaten_everywhere(
    rules: RuleSet, catalogue: Catalogue, rule: PriceRuleData, buyer: Buyer, at: datetime
) -> Finding | None:
    """Proof without visiting products that the rule never wins: under ``lowest`` a fixed
    price above every base price in scope, or one other rule that applies wherever this one
    does (buyers, products, from a lower or equal quantity, at this moment) and is ahead of
    it at both ends of the scope's base price range and at every kink (amount off) between.
    """
    low = catalogue.cheapest_in_scope(rule)
    high = catalogue.dearest_in_scope(rule)
    if low is None or high is None:
        return None
    quantity = rule.min_quantity
    probe = catalogue.probe(rule)
    found = rules.price_index.gather(probe, buyer)
    crule, own_what = next(((c, what) for c, what in found if c.id == rule.id), (None, None))
    if crule is None:
        return None
    lowest, highest = to_cents(low.base_price), to_cents(high.base_price)
    if rules.strategy == LOWEST and crule.kind == KIND_FIXED and crule.fixed_price > highest:
        return Finding(
            rule.id, NEVER_WINS, at, high.id, buyer, quantity, crule.fixed_price, highest
        )
    for other, what in found:
        if other.id == rule.id or other.min_quantity > quantity:
            continue
        if window_state(other, at) != RUNNING:
            continue
        bases = {lowest, highest}
        bases |= {
            c.value for c in (crule, other) if c.kind == KIND_AMOUNT and lowest < c.value < highest
        }
        if all(_ahead(rules.strategy, other, what, crule, own_what, base) for base in bases):
            return Finding(rule.id, SHADOWED, at, low.id, buyer, quantity, None, None, other.id)
    return None


def _ahead(strategy: str, other, other_what, crule, own_what, base: Decimal) -> bool:
    other_key = _sort_key(strategy, other, other_what, other.unit_price(base)[1])
    return other_key < _sort_key(strategy, crule, own_what, crule.unit_price(base)[1])


_CENT = Decimal("0.01")


def may_exceed(crule, bases: Sequence[Decimal], prices: Sequence[Decimal], orders: dict):
    """Indices ``i`` where ``crule``'s unit price on base ``bases[i]`` may exceed ``prices[i]``:
    a superset of those where it does (its rounding allowed for), from one sort per kind of
    rule (cached in ``orders``), so a search stops where the rest cannot be dearer."""
    kind = crule.kind
    if kind not in orders:
        if kind == KIND_FIXED:
            keys = list(prices)
        elif kind == KIND_PERCENT:  # dearer: price / base below the rule's factor
            pairs = zip(bases, prices, strict=True)
            keys = [float(p) / float(b) if b > 0 else float("inf") for b, p in pairs]
        else:  # dearer: base - price above the amount off
            keys = [p - b for b, p in zip(bases, prices, strict=True)]
        orders[kind] = (keys, sorted(range(len(keys)), key=keys.__getitem__))
    keys, order = orders[kind]
    if kind == KIND_FIXED:
        limit = crule.fixed_price
    elif kind == KIND_PERCENT:
        limit = float(crule.factor) + 1e-9
    else:
        limit = _CENT - crule.value
    for i in order:
        if keys[i] >= limit:
            return
        yield i


def price_floor(entries: list, base: Decimal, low: int, high: int | None) -> Decimal:
    """A lower bound of the unit price (``priority``: no cap) from quantity ``low`` to
    ``high`` (None: on) at any moment: the lowest price of the candidates some moment may let
    win there (those no always-running candidate ahead of them applies before), and the base
    price unless an always-running candidate applies from ``low``."""
    floor = None
    always = None  # the lowest min_quantity of the always-running candidates seen (ahead)
    for _key, crule, price in entries:
        quantity = crule.min_quantity
        if (high is None or quantity <= high) and (always is None or always > max(low, quantity)):
            floor = price if floor is None else min(floor, price)
        windowless = crule.starts_at is None and crule.ends_at is None
        if windowless and (always is None or quantity < always):
            always = quantity
            if always <= low:  # it applies wherever the rest would: none of them can win
                return floor
    return base if floor is None else min(floor, base)
