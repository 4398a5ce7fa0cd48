"""What each price rule does across a whole catalogue, in one pass: the engine side of the
pricing health check (``pricing.health`` words the findings).

The winner only changes at quantity thresholds (1 and each candidate's ``min_quantity``), so a
buyer's *ladder* for a product (the winner and unit price from each threshold on) says who wins
at every quantity. :func:`survey` builds the ladder of every product for every group, and for
each customer with rules the ladders of the products in the scope of their rules (or compares
their catalogue-wide rules with the group's and guest's ladders: ``customer_survey``), and
reads the findings off them:

- ``free``: the rule gives a unit price of 0.00 for some product in its scope (checked on the
  cheapest product in scope: every kind of rule is monotonic in the base price);
- ``group_pays_more`` (``priority`` only: under ``lowest`` a rule can only lower a price): a
  rule for a group or a customer wins for that buyer at a quantity where a guest pays less;
- ``tier_inversion`` (``priority`` only: under ``lowest`` the ladder never rises): the rule
  wins from a quantity at which the unit price is higher than just below it;
- ``never_wins``: the rule applies somewhere (or has no product in its scope) but wins nowhere;
- ``shadowed``: it never wins and wherever it applies the same one other rule wins (reported
  instead of ``never_wins``).

Whom a rule is judged for: rules for everyone or a group, for every group (a customer's
candidates add to their group's, so a public rule that wins for no group wins for nobody);
a customer's rules, for that customer in their group, with their company's rules when they buy
for one (a customer's ladder judges only the
customer's own rules); a company's rules likewise, for a member of the company (without rules of
their own) in its group. Time: a rule running at ``at`` is judged at ``at``, a scheduled one at
its start, an ended one not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from .customer_survey import CustomerVisits, negotiator_of
from .ladders import (
    CODES,
    GROUP_PAYS_MORE,
    NEVER_WINS,
    SHADOWED,
    TIER_INVERSION,
    Catalogue,
    Finding,
    Step,
    all_entries,
    beaten_everywhere,
    free_finding,
    price_at,
    running,
    steps_of,
)
from .ruleset import RuleSet
from .types import PRIORITY, Buyer, PriceRuleData, ProductSnapshot
from .windows import ENDED, NOT_STARTED, RUNNING, window_state


class _RuleState:
    __slots__ = ("applies", "beaten_by", "findings", "won")

    def __init__(self) -> None:
        self.applies = False
        self.won = False
        self.beaten_by: dict[int | None, tuple] = {}  # winner id (None: base) -> example
        self.findings: dict[str, Finding] = {}


class _Survey(CustomerVisits):
    """One moment, the rules asked about at that moment."""

    def __init__(
        self,
        rules,
        catalogue,
        groups,
        customers,
        default_group,
        at,
        asked,
        shared,
        companies,
        customer_companies,
    ):
        self.rules = rules
        self.catalogue = catalogue
        self.groups = groups
        self.customers = customers
        self.companies = companies
        self.customer_companies = customer_companies
        self.default_group = default_group
        self.at = at
        self.asked = {rule.id: rule for rule in asked}
        self.states = {rule.id: _RuleState() for rule in asked}
        self.deep = rules.strategy == PRIORITY  # tier and group checks can find something
        self.shared = shared  # moment-free: (group, product) -> entries, floors, orders
        self.group_entries: dict[tuple[int, int], list] = {}
        self.ladders: dict[tuple[int, int], list[Step]] = {}
        self.profiles: dict[tuple, list] = {}  # per product, in catalogue order
        if "customer_rules" not in shared:
            by_negotiator: dict[tuple, list[PriceRuleData]] = {}
            for rule in rules.price_rules:
                key = negotiator_of(rule)
                if key is not None:
                    by_negotiator.setdefault(key, []).append(rule)
            shared["customer_rules"] = by_negotiator
        self.customer_rules = shared["customer_rules"]
        self.proven: dict[int, Finding] = {}

    def run(self) -> list[Finding]:
        for rule in self.asked.values():
            finding = beaten_everywhere(
                self.rules, self.catalogue, rule, self._buyer(rule), self.at
            )
            if finding is not None:
                self.proven[rule.id] = finding
        public = [rule for rule in self.asked.values() if negotiator_of(rule) is None]
        by_negotiator: dict[tuple, list[PriceRuleData]] = {}
        for rule in self.asked.values():
            key = negotiator_of(rule)
            if key is not None:
                by_negotiator.setdefault(key, []).append(rule)
        for product in self._products_of(public):
            self._visit_groups(product)
        for key, own in sorted(by_negotiator.items()):
            self._visit_customer(key, own)
        return self._findings()

    def _products_of(self, rules: Sequence[PriceRuleData]) -> Iterable[ProductSnapshot]:
        if any(rule.product_id is None and rule.category_id is None for rule in rules):
            return self.catalogue.products
        seen: dict[int, ProductSnapshot] = {}
        for rule in rules:
            for product in self.catalogue.in_scope(rule):
                seen.setdefault(product.id, product)
        return seen.values()

    def _all_entries(self, product: ProductSnapshot, group_id: int) -> list:
        """A group's candidates for a product whatever their windows (shared by the moments)."""
        key = (group_id, product.id)
        every = self.shared.get(key)
        if every is None:
            found = self.rules.price_index.gather(product, Buyer(group_id=group_id))
            every = self.shared[key] = all_entries(self.rules, product, found)
        return every

    def _group_entries(self, product: ProductSnapshot, group_id: int) -> list:
        key = (group_id, product.id)
        entries = self.group_entries.get(key)
        if entries is None:
            entries = self._all_entries(product, group_id)
            entries = self.group_entries[key] = running(entries, self.at)
        return entries

    def _ladder(self, product: ProductSnapshot, group_id: int) -> list[Step]:
        key = (group_id, product.id)
        steps = self.ladders.get(key)
        if steps is None:
            entries = self._group_entries(product, group_id)
            steps = self.ladders[key] = steps_of(self.rules.strategy, product, entries)
        return steps

    def _guest_ladder(self, product: ProductSnapshot) -> list[Step]:
        return self._ladder(product, self.default_group)

    def _visit_groups(self, product: ProductSnapshot) -> None:
        guest = self._guest_ladder(product) if self.deep else None
        for group_id in self.groups:
            steps = self._ladder(product, group_id)
            other = guest if group_id != self.default_group else None
            self._record(product, Buyer(group_id=group_id), steps, other, _group_rule(group_id))

    def _record(self, product, buyer, steps, guest, targeted, judged=None) -> None:
        """Wins, losses and conflicts of the ``judged`` rules (id -> state; all asked rules by
        default) on one ladder."""
        states = self.states if judged is None else judged
        for quantity, price, winner, losers in steps:
            if winner is not None and winner.id in states:
                state = states[winner.id]
                state.applies = state.won = True
            winner_id = winner.id if winner is not None else None
            for loser in losers:
                state = states.get(loser.id)
                if state is not None:
                    state.applies = True
                    if winner_id not in state.beaten_by and len(state.beaten_by) < 2:
                        state.beaten_by[winner_id] = (product.id, buyer, quantity, price)
        if self.deep:
            self._conflicts(product, buyer, steps, guest, targeted, states)

    def _conflicts(self, product, buyer, steps, guest, targeted, judged) -> None:
        """``tier_inversion`` and ``group_pays_more`` of the ``judged`` rules on one ladder."""
        previous = None
        for step in steps:
            winner = step[2]
            if winner is not None and winner.id in judged:
                if previous is not None and step[1] > previous[1]:
                    self._find(
                        winner.id,
                        TIER_INVERSION,
                        product,
                        buyer,
                        step[0],
                        step[1],
                        previous[1],
                        previous[2].id if previous[2] is not None else None,
                    )
                if guest is not None and targeted(winner.rule):
                    self._compare_with_guest(winner, product, buyer, steps, step, guest)
            previous = step

    def _compare_with_guest(self, winner, product, buyer, steps, step, guest) -> None:
        """Where the buyer's own rule wins (from ``step`` to the next threshold), does a guest
        pay less at some quantity?"""
        start = step[0]
        following = [s[0] for s in steps if s[0] > start]
        end = following[0] if following else None
        quantities = [start, *(g[0] for g in guest if g[0] > start and (end is None or g[0] < end))]
        for quantity in quantities:
            guest_price = price_at(guest, quantity)[0]
            if step[1] > guest_price:
                self._find(
                    winner.id, GROUP_PAYS_MORE, product, buyer, quantity, step[1], guest_price
                )
                return

    def _find(self, rule_id, code, product, buyer, quantity, price, other_price, other=None):
        findings = self.states[rule_id].findings
        if code not in findings:
            findings[code] = Finding(
                rule_id=rule_id,
                code=code,
                at=self.at,
                product_id=product.id,
                buyer=buyer,
                quantity=quantity,
                price=price,
                other_price=other_price,
                other_rule_id=other,
            )

    def _findings(self) -> list[Finding]:
        found = []
        for rule_id, state in sorted(self.states.items()):
            rule = self.asked[rule_id]
            free = free_finding(self.catalogue, rule, self.at)
            if free is not None:
                found.append(free)
            found += [state.findings[code] for code in CODES if code in state.findings]
            if rule_id in self.proven:
                found.append(self.proven[rule_id])
            elif not state.won:
                found.append(self._never_wins(rule, state))
        return found

    def _buyer(self, rule: PriceRuleData) -> Buyer:
        key = negotiator_of(rule)
        if key is not None:
            return self._negotiator_buyer(key)
        return Buyer(group_id=rule.group_id)

    def _never_wins(self, rule: PriceRuleData, state: _RuleState) -> Finding:
        if len(state.beaten_by) == 1:
            ((winner_id, example),) = state.beaten_by.items()
            if winner_id is not None:
                product_id, buyer, quantity, price = example
                return Finding(
                    rule.id, SHADOWED, self.at, product_id, buyer, quantity, None, price, winner_id
                )
        if state.beaten_by:
            winner_id, (product_id, buyer, quantity, price) = next(iter(state.beaten_by.items()))
            return Finding(
                rule.id, NEVER_WINS, self.at, product_id, buyer, quantity, None, price, winner_id
            )
        return Finding(rule.id, NEVER_WINS, self.at)


def _group_rule(group_id: int):
    def targeted(rule: PriceRuleData) -> bool:
        return rule.customer_id is None and rule.company_id is None and rule.group_id == group_id

    return targeted


def judged_at(rule, at: datetime) -> datetime | None:
    """When a rule is judged: ``at`` while it runs, its start when scheduled, never when ended."""
    state = window_state(rule, at)
    if state == RUNNING:
        return at
    if state == NOT_STARTED:
        return rule.starts_at
    assert state == ENDED
    return None


def survey(
    rules: RuleSet,
    catalogue: Catalogue,
    *,
    groups: Sequence[int],
    customers: Mapping[int, int],
    default_group: int,
    at: datetime,
    only_rule_ids: Collection[int] | None = None,
    companies: Mapping[int, int] | None = None,
    customer_companies: Mapping[int, int] | None = None,
) -> list[Finding]:
    """The findings for the rules of ``rules`` asked about (all when ``only_rule_ids`` is None).

    ``groups``: every group id (the default group included); ``customers``: customer id ->
    group id for the customers with rules (the default group when missing); ``companies``: the
    same for the companies with rules (a company's rules are judged for a member of it without
    rules of their own, in the company's group); ``customer_companies``: customer id -> company
    id for the customers with rules who buy for a company (their rules are judged against the
    company's, in the company's group: give ``customers`` the company's group). Ordered by rule id,
    then by code in :data:`CODES` order."""
    moments: dict[datetime, list[PriceRuleData]] = {}
    for rule in rules.price_rules:
        if only_rule_ids is not None and rule.id not in only_rule_ids:
            continue
        moment = judged_at(rule, at)
        if moment is not None:
            moments.setdefault(moment, []).append(rule)
    found: list[Finding] = []
    shared: dict = {}
    for moment, asked in sorted(moments.items(), key=_moment_key):
        found += _Survey(
            rules,
            catalogue,
            groups,
            customers,
            default_group,
            moment,
            asked,
            shared,
            companies or {},
            customer_companies or {},
        ).run()
    order = {code: i for i, code in enumerate(CODES)}
    found.sort(key=lambda finding: (finding.rule_id, order[finding.code]))
    return found


def _moment_key(item) -> datetime:
    return item[0]
