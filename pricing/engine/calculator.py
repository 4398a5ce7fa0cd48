"""Price one product for one buyer: the strategy, the rounding points, the explanation.

Which rules apply (the one place it is written down; pinned by tests/pricing/test_engine_prices.py)
---------------------------------------------------------------------------------------------------
A price rule *applies* to (buyer, product, quantity, time) when all of:

1. **time**: ``starts_at <= at < ends_at`` (start inclusive, end exclusive; ``None`` = open;
   :func:`pricing.engine.windows.window_state`);
2. **who**: its ``customer_id`` is the buyer's customer, or its ``company_id`` is the buyer's
   company, or it has neither and its ``group_id`` is the buyer's group or ``None``
   (everyone). Other customers', other companies' and other groups' rules are never
   candidates (a guest has no customer and no company);
3. **what**: its ``product_id`` is the product, or its ``category_id`` is one of the product's
   ``category_path`` (the product's category or an ancestor), or it has neither (whole
   catalogue);
4. **quantity**: ``quantity >= min_quantity``.

Rules passing 2 and 3 are *candidates* (shown in the explanation, with why they do not apply
when 1 or 4 fails).

Which rule wins: the strategy (``RuleSet.strategy``)
----------------------------------------------------
Both strategies sort the applicable rules by a key and take the first; who-specificity is
customer (3) > company (2) > group (1) > everyone (0), what-specificity product > deeper
category (higher index in ``category_path``) > shallower category > whole catalogue.

- ``lowest`` (the default): resulting unit price, lowest first; then priority (highest first),
  who-specificity, what-specificity, ``min_quantity`` (highest first), rule id (lowest first).
  The base price takes part too: a rule wins only when its price is at most the base price. So
  a buyer's applicable rules are a superset of a guest's and the result is their minimum with
  the base: a member of any group and company never pays more per unit than a guest.
- ``priority``: priority, who-specificity, what-specificity, ``min_quantity``, unit price, rule
  id, in that order (the rule of Comptoir's first version). A rule above the base price wins.

The rule id closes both keys: the result never depends on the order rules were given in.
No applicable rule: the product's base price.

Unit price and rounding points
------------------------------
``fixed_price`` -> value; ``percent_off`` -> base x (1 - value/100); ``amount_off`` ->
base - value; any negative result becomes 0. Money is quantised to the cent, half up, by
:func:`pricing.engine.money.to_cents`, at these points and no others.

In the engine:

1. the base price (normally already in cents) and each rule's **unit price**;
2. the **line total** = rounded unit price x quantity (exact, so already in cents);
3. the **cart discount** and the **tax per line**: see :mod:`pricing.engine.cart`.

The explanation
---------------
``Quote.reasons`` is the explanation as :class:`~pricing.engine.types.Reason` steps, rendered
in the reader's language by ``pricing.explain``. The codes, in order, and their values:

- ``strategy`` (strategy);
- ``base_price`` (price; raw, the unrounded price, or ``None``);
- per candidate, in the strategy's order: ``candidate`` (rule_id, name, who, what,
  category_id, min_quantity, price, raw) or ``not_applicable`` (rule_id, name, why:
  ``min_quantity`` with min_quantity and quantity, or ``not_started`` / ``ended`` with at);
- ``winner`` (rule_id, name, strategy, step, value, other: the first step of the key that
  separates the winner from the runner-up, ``only`` when it is alone), or ``base_lower``
  (price, rule_price: under ``lowest``, every rule is above the base price), or ``no_rule``;
- per applicable rule that lost: ``lost`` (rule_id, name, step, value, other, winner_id: the
  first step of the key where the winner, or the base price when winner_id is ``None``, is
  ahead);
- ``total`` (unit_price, quantity, total).

A quoted price (:class:`~pricing.engine.types.QuotedPrice`, from an accepted quote) is its own
source: when it is for the product and ``quantity >= min_quantity``, its unit price is the
price, no rule is a candidate, and the explanation is ``strategy``, ``base_price``, ``quoted``
(reference, price, min_quantity), ``total``. Below its quantity the rules price the line as
usual and ``quoted_too_few`` (reference, min_quantity, quantity) follows ``base_price``.

Steps are ``price``, ``priority``, ``who`` (values are who codes), ``what`` (values are
what-specificities: ``WHAT_PRODUCT``, a category level, ``WHAT_CATALOGUE``),
``min_quantity`` and ``id``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .compiled import KIND_FIXED, WHO_CODES
from .money import to_cents
from .ruleset import RuleSet
from .types import (
    LOWEST,
    Buyer,
    Candidate,
    PriceRuleData,
    ProductSnapshot,
    Quote,
    QuotedPrice,
    Reason,
)
from .windows import NOT_STARTED, RUNNING, window_state

_LOWEST_STEPS = ("price", "priority", "who", "what", "min_quantity", "id")
_PRIORITY_STEPS = ("priority", "who", "what", "min_quantity", "price", "id")
_NO_RULE = Reason("no_rule")


def strategy_steps(strategy: str) -> tuple[str, ...]:
    """The precedence steps of ``strategy``, first decisive first."""
    return _LOWEST_STEPS if strategy == LOWEST else _PRIORITY_STEPS


def _sort_key(strategy: str, crule, what: int, price: Decimal) -> tuple:
    if strategy == LOWEST:
        return (price, -crule.priority, -crule.who, -what, -crule.min_quantity, crule.id)
    return (-crule.priority, -crule.who, -what, -crule.min_quantity, price, crule.id)


def _step_value(step: str, value):
    """A key component as the explanation shows it (the keys hold negated values)."""
    if step == "who":
        return WHO_CODES[-value]
    if step in ("priority", "what", "min_quantity"):
        return -value
    return value


def _first_difference(steps: tuple[str, ...], ahead: tuple, behind: tuple) -> tuple:
    """(step, value ahead, value behind) at the first key component that separates them."""
    for step, a, b in zip(steps, ahead, behind, strict=True):
        if a != b:
            return step, _step_value(step, a), _step_value(step, b)
    raise ValueError("two rules with the same key")  # the rule id makes keys unique


def _check_quantity_arg(quantity: int) -> None:
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, got {quantity}")


def quote(
    rules: RuleSet,
    product: ProductSnapshot,
    buyer: Buyer,
    quantity: int,
    at: datetime,
    quoted: QuotedPrice | None = None,
) -> Quote:
    """The unit price and total ``buyer`` pays for ``quantity`` of ``product`` at ``at``;
    ``quoted``: the buyer's quoted price for this product, if any (see the module docstring).

    Raises ``ValueError`` when ``quantity < 1`` (validate with ``check_quantity`` first).
    """
    _check_quantity_arg(quantity)
    strategy = rules.strategy
    raw_base = product.base_price
    base = to_cents(raw_base)
    head = (
        Reason("strategy", (("strategy", strategy),)),
        Reason("base_price", (("price", base), ("raw", raw_base if raw_base != base else None))),
    )
    if quoted is not None and quoted.product_id == product.id:
        if quantity >= quoted.min_quantity:
            return _quoted(product, quantity, base, head, quoted)
        head = (
            *head,
            Reason.of(
                "quoted_too_few",
                reference=quoted.reference_label,
                min_quantity=quoted.min_quantity,
                quantity=quantity,
            ),
        )
    found = rules.price_index.gather(product, buyer)
    if not found:
        total = to_cents(base * quantity)  # exact: whole cents x units
        return Quote(
            product_id=product.id,
            quantity=quantity,
            base_unit_price=base,
            unit_price=base,
            total=total,
            rule=None,
            reasons=(*head, _NO_RULE, _total(base, quantity, total)),
        )

    # entry: (sort key, compiled rule, unit price, candidate or not-applicable reason, applies)
    entries = []
    for crule, what in found:
        if crule.kind == KIND_FIXED:
            raw, price = None, crule.fixed_price
        else:
            raw, price = crule.unit_price(base)
        applies = False
        state = window_state(crule, at)
        if state != RUNNING:
            reason = crule.starts_reason if state == NOT_STARTED else crule.ended_reason
        elif quantity < crule.min_quantity:
            reason = crule.too_few_reason(quantity)
        else:
            applies = True
            reason = crule.fixed_reason if raw is None else crule.candidate_reason(raw, price)
        entries.append((_sort_key(strategy, crule, what, price), crule, price, reason, applies))
    entries.sort(key=_first)

    applicable = [entry for entry in entries if entry[4]]
    steps = strategy_steps(strategy)
    reasons = [*head, *(entry[3] for entry in entries)]
    lost: dict[int, Reason] = {}
    winner = applicable[0] if applicable else None
    if winner is not None and strategy == LOWEST and winner[2] > base:
        reasons.append(Reason.of("base_lower", price=base, rule_price=winner[2]))
        for entry in applicable:
            lost[entry[1].id] = _lost(entry, "price", entry[2], base, None)
        winner = None
    elif winner is not None:
        runner_up = applicable[1] if len(applicable) > 1 else None
        step, value, other = ("only", None, None)
        if runner_up is not None:
            step, value, other = _first_difference(steps, winner[0], runner_up[0])
        crule = winner[1]
        reasons.append(
            Reason(
                "winner",
                (
                    *crule.name_params,
                    ("strategy", strategy),
                    ("step", step),
                    ("value", value),
                    ("other", other),
                ),
            )
        )
        for entry in applicable[1:]:
            step, ahead, behind = _first_difference(steps, winner[0], entry[0])
            lost[entry[1].id] = _lost(entry, step, behind, ahead, crule.id)
    else:
        reasons.append(_NO_RULE)
    reasons += lost.values()

    if winner is None:
        unit, rule = base, None
    else:
        unit, rule = winner[2], winner[1].rule
    total = to_cents(unit * quantity)  # exact: whole cents x units
    reasons.append(_total(unit, quantity, total))
    candidates = tuple(
        Candidate(entry[1].rule, entry[2], entry[4], lost.get(entry[1].id))
        if entry[4]
        else Candidate(entry[1].rule, entry[2], False, entry[3])
        for entry in entries
    )
    return Quote(
        product_id=product.id,
        quantity=quantity,
        base_unit_price=base,
        unit_price=unit,
        total=total,
        rule=rule,
        reasons=tuple(reasons),
        candidates=candidates,
    )


def _quoted(
    product: ProductSnapshot, quantity: int, base: Decimal, head: tuple, quoted: QuotedPrice
) -> Quote:
    unit = to_cents(quoted.unit_price)
    total = to_cents(unit * quantity)  # exact: whole cents x units
    reason = Reason.of(
        "quoted", reference=quoted.reference_label, price=unit, min_quantity=quoted.min_quantity
    )
    return Quote(
        product_id=product.id,
        quantity=quantity,
        base_unit_price=base,
        unit_price=unit,
        total=total,
        rule=None,
        reasons=(*head, reason, _total(unit, quantity, total)),
        quoted=quoted,
    )


def unit_price(
    rules: RuleSet, product: ProductSnapshot, buyer: Buyer, quantity: int, at: datetime
) -> tuple[Decimal, PriceRuleData | None]:
    """``(unit price, winning rule or None)`` exactly as :func:`quote` gives them, without
    building the explanation: for listings that price every product (sorting by price)."""
    _check_quantity_arg(quantity)
    strategy = rules.strategy
    base = to_cents(product.base_price)
    best_key = best = None
    best_price = base
    for crule, what in rules.price_index.gather(product, buyer):
        if quantity < crule.min_quantity or window_state(crule, at) != RUNNING:
            continue
        price = crule.fixed_price if crule.kind == KIND_FIXED else crule.unit_price(base)[1]
        key = _sort_key(strategy, crule, what, price)
        if best_key is None or key < best_key:
            best_key, best, best_price = key, crule, price
    if best is None or (strategy == LOWEST and best_price > base):
        return base, None
    return best_price, best.rule


def _lost(entry: tuple, step: str, value, other, winner_id: int | None) -> Reason:
    return Reason(
        "lost",
        (
            *entry[1].name_params,
            ("step", step),
            ("value", value),
            ("other", other),
            ("winner_id", winner_id),
        ),
    )


def _total(unit: Decimal, quantity: int, total: Decimal) -> Reason:
    return Reason("total", (("unit_price", unit), ("quantity", quantity), ("total", total)))


def _first(entry: tuple) -> tuple:
    return entry[0]


def tier_table(
    rules: RuleSet, product: ProductSnapshot, buyer: Buyer, at: datetime
) -> list[tuple[int, Decimal]]:
    """``[(from_quantity, unit_price), ...]`` ascending: what the buyer pays from each tier on.

    Tiers start at quantity 1 and at each distinct ``min_quantity`` among the rules that apply
    to this buyer and product at ``at``; consecutive equal prices are collapsed.
    ``[(1, price)]`` when there are no tiers. Agrees with :func:`quote` at every quantity.
    """
    strategy = rules.strategy
    base = to_cents(product.base_price)
    entries = []
    for crule, what in rules.price_index.gather(product, buyer):
        if window_state(crule, at) != RUNNING:
            continue
        price = crule.unit_price(base)[1]
        entries.append((_sort_key(strategy, crule, what, price), crule.min_quantity, price))
    entries.sort(key=_first)

    table: list[tuple[int, Decimal]] = []
    for quantity in sorted({1, *(entry[1] for entry in entries)}):
        price = next((e[2] for e in entries if e[1] <= quantity), base)
        if strategy == LOWEST and price > base:
            price = base
        if not table or table[-1][1] != price:
            table.append((quantity, price))
    return table
