"""The customer half of the catalogue survey (:mod:`pricing.engine.survey`): each customer's
own rules, judged for that customer in their group (with their company's rules, when they buy for
a company) on the products in their scope, and each company's rules the same way, for a member of
that company (without rules of their own) in the company's group. A *negotiator* is
``("customer", id)`` or ``("company", id)``.

A customer's ladder for a product is their group's candidates plus their own. Under
``priority`` a customer's catalogue-wide rule ("x % off everything") would cost a ladder for
every product; outside the customer's narrower rules it is instead compared with the group's
and the guest's ladders (:meth:`CustomerVisits._judge_wide`), which the group half of the
survey has built already.
"""

from __future__ import annotations

from decimal import Decimal

from .ladders import (
    GROUP_PAYS_MORE,
    TIER_INVERSION,
    candidate_entries,
    customer_found,
    first,
    first_from,
    may_exceed,
    price_floor,
    steps_of,
)
from .money import to_cents
from .types import LOWEST, Buyer, PriceRuleData, ProductSnapshot
from .windows import RUNNING, window_state

_NOWHERE = ProductSnapshot(id=-1, base_price=Decimal("0.00"))


class _CustomerVisit:
    """One customer's buyer, judged rules, catalogue-wide candidates and narrower scopes."""

    __slots__ = ("buyer", "everywhere", "judged", "narrow", "visited")

    def __init__(self, buyer, judged, everywhere, narrow) -> None:
        self.buyer = buyer
        self.judged = judged
        self.everywhere = everywhere
        self.narrow = narrow
        self.visited: set[int] = set()


class CustomerVisits:
    """The customer half of ``pricing.engine.survey._Survey`` (a mixin: the survey provides
    ``rules``, ``catalogue``, ``customers``, ``default_group``, ``at``, ``states``, ``proven``,
    ``customer_rules``, ``shared``, ``profiles``, ``deep`` and the ladder methods)."""

    def _negotiator_buyer(self, key: tuple[str, int]) -> Buyer:
        kind, negotiator_id = key
        if kind == "customer":
            group_id = self.customers.get(negotiator_id, self.default_group)
            company_id = self.customer_companies.get(negotiator_id)
            return Buyer(customer_id=negotiator_id, group_id=group_id, company_id=company_id)
        group_id = self.companies.get(negotiator_id, self.default_group)
        return Buyer(company_id=negotiator_id, group_id=group_id)

    def _visit_customer(self, key: tuple[str, int], own: list[PriceRuleData]) -> None:
        """Each of the customer's rules on its products, for the customer in their group. Under
        ``priority`` a catalogue-wide rule is judged product by product only where the
        customer's narrower rules apply; elsewhere its rivals are the same everywhere and
        :meth:`_judge_wide` compares it with the group's and the guest's ladders."""
        buyer = self._negotiator_buyer(key)
        judged = {rule.id: self.states[rule.id] for rule in own}
        everywhere = own_found(self.rules.price_index, _NOWHERE, buyer)
        narrow: dict[int, ProductSnapshot] = {}
        negotiated = list(self.customer_rules.get(key, ()))
        if key[0] == "customer" and buyer.company_id is not None:
            negotiated += self.customer_rules.get(("company", buyer.company_id), ())
        for rule in negotiated:
            if rule.product_id is not None or rule.category_id is not None:
                narrow.update((product.id, product) for product in self.catalogue.in_scope(rule))
        visit = _CustomerVisit(buyer, judged, everywhere, narrow)
        for rule in sorted(own, key=_scope_size):
            if rule.id in self.proven:
                continue
            if self.deep and rule.product_id is None and rule.category_id is None:
                self._visit_products(rule, narrow.values(), visit)
                self._judge_wide(rule, visit)
            else:
                self._visit_products(rule, self.catalogue.in_scope(rule), visit)

    def _visit_products(self, rule, products, visit: _CustomerVisit) -> None:
        """The customer's ladder of each product where ``rule`` may win (until settled)."""
        state = self.states[rule.id]
        group_id = visit.buyer.group_id
        index = self.rules.price_index
        for product in products:
            if self._settled(rule, state):
                break
            if product.id in visit.visited:
                continue
            group_entries = self._group_entries(product, group_id)
            if product.id in visit.narrow:
                found = own_found(index, product, visit.buyer)
            else:
                found = visit.everywhere
            own_entries = candidate_entries(self.rules, product, found, self.at)
            if not self._may_win(rule, product, group_entries, own_entries, visit.buyer):
                continue
            visit.visited.add(product.id)
            entries = sorted(group_entries + own_entries, key=first)
            steps = steps_of(self.rules.strategy, product, entries)
            guest = self._guest_ladder(product) if self.deep else None
            targeted = _own_rule(visit.buyer)
            self._record(product, visit.buyer, steps, guest, targeted, visit.judged)

    def _judge_wide(self, rule: PriceRuleData, visit: _CustomerVisit) -> None:
        """A customer's catalogue-wide rule on the products outside their narrower rules, where
        their own candidates are their catalogue-wide rules. Under ``priority`` a customer's
        rule outranks a group's or everyone's of equal priority, whatever the prices, so it
        wins on a product iff no group candidate of higher priority applies at its
        ``min_quantity`` (unless one of their own rules outranks it or ties with it there:
        then product by product). A conflict needs a product where the rule is dearer than a
        guest's lowest price from its ``min_quantity`` on, or than the group's price just
        below it: only the products one sort per bound says may be are looked at."""
        crule = next(c for c, _what in visit.everywhere if c.id == rule.id)
        others = [
            c
            for c, _what in visit.everywhere
            if c.id != rule.id and window_state(c, self.at) == RUNNING
        ]
        quantity, priority = crule.min_quantity, rule.priority
        products = self.catalogue.products
        if any(
            (o.min_quantity <= quantity and o.priority > priority)
            or (o.min_quantity == quantity and o.priority == priority)
            for o in others
        ):
            outside = [p for p in products if p.id not in visit.narrow]
            self._visit_products(rule, outside, visit)
            return
        group_id = visit.buyer.group_id
        state = self.states[rule.id]
        if not any(
            self._wins_at(product, group_id, quantity, priority)
            for product in products
            if product.id not in visit.narrow
        ):
            self._beaten_wide(state, group_id, quantity, visit)
            return
        state.applies = state.won = True
        searches = [(GROUP_PAYS_MORE, (self.default_group, quantity, None))]
        if quantity > 1:  # their own rule may set the price just below: every product
            below = any(o.min_quantity < quantity for o in others)
            searches.append(
                (TIER_INVERSION, None if below else (group_id, quantity - 1, quantity - 1))
            )
        checked: set[int] = set()
        for code, bound in searches:
            if bound is None:
                candidates = range(len(products))
            else:
                orders = self.shared.setdefault(("orders", *bound), {})
                candidates = may_exceed(crule, self._bases(), self._floors(*bound), orders)
            for i in candidates:
                if code in state.findings:
                    break
                product = products[i]
                if i in checked or product.id in visit.narrow:
                    continue
                if self._wins_at(product, group_id, quantity, priority):
                    checked.add(i)
                    self._check_wide(rule, product, visit)

    def _wins_at(self, product, group_id: int, quantity: int, priority: int) -> bool:
        """No group candidate of a higher priority applies at ``quantity``."""
        entry = first_from(self._group_entries(product, group_id), quantity)
        return entry is None or -entry[0][0] <= priority

    def _check_wide(self, rule: PriceRuleData, product: ProductSnapshot, visit) -> None:
        """The conflicts of a customer's catalogue-wide rule on one product's ladder."""
        own = candidate_entries(self.rules, product, visit.everywhere, self.at)
        entries = sorted(self._group_entries(product, visit.buyer.group_id) + own, key=first)
        steps = steps_of(self.rules.strategy, product, entries)
        targeted = _own_rule(visit.buyer)
        guest = self._guest_ladder(product)
        self._conflicts(product, visit.buyer, steps, guest, targeted, {rule.id})

    def _beaten_wide(self, state, group_id: int, quantity: int, visit) -> None:
        """Where the rule loses at its ``min_quantity`` on every product, the group's first
        candidate there wins (it outranks the customer's own rules there too)."""
        products = self.catalogue.products
        key = ("first", group_id, quantity)
        if key not in self.profiles:
            self.profiles[key] = [
                first_from(self._group_entries(product, group_id), quantity) for product in products
            ]
        best = self.profiles[key]
        firsts: dict[int, int] = {}  # winner id -> first product outside the narrower rules
        for i, entry in enumerate(best):
            if products[i].id not in visit.narrow and entry[1].id not in firsts:
                firsts[entry[1].id] = i
                if len(firsts) == 2:
                    break
        for winner_id, i in firsts.items():
            state.applies = True
            if winner_id not in state.beaten_by and len(state.beaten_by) < 2:
                state.beaten_by[winner_id] = (products[i].id, visit.buyer, quantity, best[i][2])

    def _floors(self, group_id: int, low: int, high: int | None) -> list[Decimal]:
        """Per product, :func:`price_floor` of the group's candidates (at every moment)."""
        key = ("floor", group_id, low, high)
        if key not in self.shared:
            self.shared[key] = [
                price_floor(self._all_entries(product, group_id), base, low, high)
                for product, base in zip(self.catalogue.products, self._bases(), strict=True)
            ]
        return self.shared[key]

    def _bases(self) -> list[Decimal]:
        if "bases" not in self.shared:
            self.shared["bases"] = [to_cents(p.base_price) for p in self.catalogue.products]
        return self.shared["bases"]

    def _may_win(self, rule, product, group_entries, own_entries, buyer) -> bool:
        """Can ``rule`` win for the customer on ``product``? Its competitors only grow with the
        quantity, so it wins somewhere iff it wins at its own ``min_quantity``. When it cannot,
        note who beats it there instead of building the whole ladder."""
        mine = next((entry for entry in own_entries if entry[1].id == rule.id), None)
        if mine is None:
            return False
        quantity = rule.min_quantity
        rivals = [
            entry
            for entry in (
                first_from(group_entries, quantity),
                first_from(own_entries, quantity, skip_id=rule.id),
            )
            if entry is not None
        ]
        best = min(rivals, key=first, default=None)
        if best is not None and best[0] < mine[0]:
            winner, price = best[1], best[2]
        else:
            winner, price = None, mine[2]
        base = to_cents(product.base_price)
        if self.rules.strategy == LOWEST and price > base:
            winner, price = None, base
        elif winner is None:
            return True
        state = self.states[rule.id]
        state.applies = True
        winner_id = winner.id if winner is not None else None
        if winner_id not in state.beaten_by and len(state.beaten_by) < 2:
            state.beaten_by[winner_id] = (product.id, buyer, quantity, price)
        return False

    def _settled(self, rule: PriceRuleData, state) -> bool:
        """Nothing more to learn from this rule's other products (early exit). A rule from 1
        cannot invert a ladder: it wins from 1 on or nowhere, at one price."""
        if not state.won:
            return False
        if not self.deep:
            return True
        inverts = TIER_INVERSION in state.findings or rule.min_quantity <= 1
        return GROUP_PAYS_MORE in state.findings and inverts


def _scope_size(rule: PriceRuleData) -> int:
    """Narrow scopes first, so a broad rule's early exit can reuse their products."""
    if rule.product_id is not None:
        return 0
    return 1 if rule.category_id is not None else 2


def negotiator_of(rule: PriceRuleData) -> tuple[str, int] | None:
    """Whose negotiated rule this is: ``("customer", id)``, ``("company", id)`` or None."""
    if rule.customer_id is not None:
        return ("customer", rule.customer_id)
    if rule.company_id is not None:
        return ("company", rule.company_id)
    return None


def own_found(index, product: ProductSnapshot, buyer: Buyer) -> list:
    """The negotiated rules of the buyer's customer and of their company, for a product."""
    found = []
    if buyer.customer_id is not None:
        found += customer_found(index, product, buyer.customer_id)
    if buyer.company_id is not None:
        found += customer_found(index, product, buyer.company_id, who="companies")
    return found


def _own_rule(buyer: Buyer):
    if buyer.customer_id is not None:
        customer_id = buyer.customer_id

        def targeted(rule: PriceRuleData) -> bool:
            return rule.customer_id == customer_id

        return targeted
    company_id = buyer.company_id

    def targeted_company(rule: PriceRuleData) -> bool:
        return rule.company_id == company_id

    return targeted_company
