"""The admin price simulator: everything behind one price, and what would surprise a buyer.

`simulate()` takes a product, a buyer (a group or a customer), a quantity, a moment and an
optional cart subtotal, and returns a `Simulation`: the quote and its explanation, every
candidate rule with the quantities at which it wins, the tier table, the quantity rule in
force and its violations, the cart discounts, net and gross amounts, and warnings. All prices
come from the engine with the same compiled rules the storefront uses; this module only
arranges them. The admin view (`pricing.admin`) parses the form and renders the result.

Where a rule wins: the applicable rules only change at quantity thresholds (1 and every
candidate's ``min_quantity``), so the winner at each threshold holds until the next one.
Quoting at the thresholds therefore tells exactly which rule wins at every quantity.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.money import format_money
from customers.models import CustomerGroup
from shop import selectors as shop_selectors

from . import engine, labels, services
from .models import PriceRule, QuantityRule


@dataclass(frozen=True)
class QuantityRange:
    start: int
    end: int | None  # inclusive; None = and above

    def __str__(self) -> str:
        if self.end is None:
            return _("%(start)s and more") % {"start": self.start}
        if self.end == self.start:
            return str(self.start)
        return f"{self.start}–{self.end}"

    def contains_orderable(self, rule: engine.QuantityRuleData | None) -> bool:
        """Does the range hold a quantity the quantity rule allows (min, max, pack size)?"""
        if rule is None:
            return True
        low = max(self.start, rule.min_quantity)
        high = self.end
        if rule.max_quantity is not None:
            high = rule.max_quantity if high is None else min(high, rule.max_quantity)
        step = max(rule.step, 1)
        first = -(-low // step) * step  # the first multiple of step >= low
        return high is None or first <= high


@dataclass(frozen=True)
class CandidateRow:
    """One rule that targets this buyer and product, as the simulator table shows it."""

    rule: engine.PriceRuleData
    record: PriceRule | None  # the row, for names and the admin link
    sentence: str
    unit_price: Decimal
    applies: bool  # at the simulated quantity and moment
    reason: str  # why it does not apply (engine wording)
    is_winner: bool
    in_window: bool
    wins_at: tuple[QuantityRange, ...]  # at the simulated moment

    @property
    def wins_at_text(self) -> str:
        if not self.in_window:
            return _("not at this date")
        if not self.wins_at:
            return _("never")
        return ", ".join(str(r) for r in self.wins_at)


@dataclass(frozen=True)
class TierRow:
    start: int
    end: int | None
    unit_net: Decimal
    unit_gross: Decimal

    @property
    def quantities(self) -> str:
        return str(QuantityRange(self.start, self.end))


@dataclass(frozen=True)
class DiscountRow:
    discount: engine.CartDiscountData
    groups: str
    amount: Decimal
    applies: bool
    reason: str
    is_best: bool


@dataclass(frozen=True)
class Simulation:
    product: object
    group: CustomerGroup
    customer: object | None
    quantity: int
    at: datetime
    quote: engine.Quote
    winner: PriceRule | None
    candidates: tuple[CandidateRow, ...]
    country: str
    tax_rate: Decimal
    prices_include_tax: bool  # how this buyer sees prices in the shop
    unit_gross: Decimal
    total_gross: Decimal
    tiers: tuple[TierRow, ...]
    quantity_rule: engine.QuantityRuleData | None
    quantity_rule_record: QuantityRule | None
    violations: tuple[str, ...]
    subtotal: Decimal
    subtotal_is_this_line: bool
    discount: engine.CartDiscountData | None
    discount_amount: Decimal
    discounts: tuple[DiscountRow, ...]
    min_order_shortfall: Decimal
    warnings: tuple[str, ...]

    @property
    def subtotal_after_discount(self) -> Decimal:
        return self.subtotal - self.discount_amount

    @property
    def explanation(self) -> tuple[str, ...]:
        return self.quote.explanation

    @property
    def base_gross(self) -> Decimal:
        return services.with_tax(self.quote.base_unit_price, self.tax_rate)

    @property
    def tax_percent(self) -> str:
        """0.2000 -> "20%", 0.0550 -> "5.5%"."""
        return f"{labels.plain_number(self.tax_rate * 100)}%"

    @property
    def quantity_rule_sentence(self) -> str:
        record = self.quantity_rule_record
        return labels.quantity_rule_sentence(record) if record is not None else ""


def simulate(
    *,
    product,
    quantity: int,
    at: datetime,
    group: CustomerGroup | None = None,
    customer=None,
    subtotal: Decimal | None = None,
) -> Simulation:
    """Price ``quantity`` of ``product`` for a customer (in their own group) or a group (the
    default group when neither is given) at ``at``. ``subtotal`` is the cart subtotal (net)
    for the cart discount; the line total when omitted. ``quantity`` must be at least 1."""
    data = services.pricing_data()
    rules = data.rules
    buyer, group = services.buyer_for(customer=customer, group=group)
    snapshot = services.snapshot_of(product, data)
    result = engine.quote(rules, snapshot, buyer, quantity, at)

    quantity_rule = engine.quantity_rule_for(rules, snapshot, buyer)
    violations = services.check_quantity(product, quantity, customer=customer, group=group)

    in_window = [c.rule for c in result.candidates if _in_window(c.rule, at)]
    ranges = _winning_ranges(rules, snapshot, buyer, at, in_window)
    records = _price_rule_records([c.rule.id for c in result.candidates])
    candidates = tuple(
        CandidateRow(
            rule=c.rule,
            record=records.get(c.rule.id),
            sentence=_sentence(records.get(c.rule.id)),
            unit_price=c.unit_price,
            applies=c.applies,
            reason=c.reason,
            is_winner=result.rule is not None and c.rule.id == result.rule.id,
            in_window=_in_window(c.rule, at),
            wins_at=tuple(r for r, winner in ranges if winner == c.rule.id),
        )
        for c in result.candidates
    )

    rate = services.tax_rate(product, data=data)
    tiers = engine.tier_table(rules, snapshot, buyer, at)
    tier_rows = tuple(
        TierRow(
            start=start,
            end=tiers[i + 1][0] - 1 if i + 1 < len(tiers) else None,
            unit_net=price,
            unit_gross=services.with_tax(price, rate),
        )
        for i, (start, price) in enumerate(tiers)
    )

    subtotal_is_this_line = subtotal is None
    if subtotal is None:
        subtotal = result.total
    best, best_amount = engine.best_cart_discount(rules, buyer, subtotal, at)
    discounts = _discount_rows(rules, buyer, subtotal, at, best)
    minimum = group.min_order_subtotal
    shortfall = minimum - subtotal if minimum and subtotal < minimum else Decimal("0.00")

    warnings = [
        *_visibility_warnings(product, group),
        *_tier_warnings(tiers),
        *_never_wins_warnings(candidates, ranges, quantity_rule),
        *_unreachable_tier_warnings(candidates, quantity_rule),
    ]
    return Simulation(
        product=product,
        group=group,
        customer=customer,
        quantity=quantity,
        at=at,
        quote=result,
        winner=records.get(result.rule.id) if result.rule else None,
        candidates=candidates,
        country=settings.SHOP_DEFAULT_COUNTRY,
        tax_rate=rate,
        prices_include_tax=group.prices_include_tax,
        unit_gross=services.with_tax(result.unit_price, rate),
        total_gross=services.with_tax(result.total, rate),
        tiers=tier_rows,
        quantity_rule=quantity_rule,
        quantity_rule_record=_quantity_rule_record(quantity_rule),
        violations=tuple(violations),
        subtotal=subtotal,
        subtotal_is_this_line=subtotal_is_this_line,
        discount=best,
        discount_amount=best_amount,
        discounts=discounts,
        min_order_shortfall=shortfall,
        warnings=tuple(warnings),
    )


# --- where each rule wins -------------------------------------------------------------------


def _in_window(rule: engine.PriceRuleData, at: datetime) -> bool:
    return engine.window_state(rule, at) == engine.RUNNING


def _winning_ranges(
    rules: engine.RuleSet,
    snapshot: engine.ProductSnapshot,
    buyer: engine.Buyer,
    at: datetime,
    in_window: list[engine.PriceRuleData],
) -> list[tuple[QuantityRange, int | None]]:
    """``[(range, winning rule id or None for the base price)]`` covering every quantity,
    consecutive ranges with the same winner merged."""
    thresholds = sorted({1, *(max(1, rule.min_quantity) for rule in in_window)})
    ranges: list[tuple[QuantityRange, int | None]] = []
    for i, start in enumerate(thresholds):
        end = thresholds[i + 1] - 1 if i + 1 < len(thresholds) else None
        result = engine.quote(rules, snapshot, buyer, start, at)
        winner = result.rule.id if result.rule is not None else None
        if ranges and ranges[-1][1] == winner:
            ranges[-1] = (QuantityRange(ranges[-1][0].start, end), winner)
        else:
            ranges.append((QuantityRange(start, end), winner))
    return ranges


# --- warnings -------------------------------------------------------------------------------


def _visibility_warnings(product, group) -> list[str]:
    tree = shop_selectors.category_tree(group=group)
    if shop_selectors.product_detail(slug=product.slug, group=group, tree=tree) is not None:
        return []
    if not product.is_active:
        return [_("%(product)s is inactive: no buyer can see or order it.") % _p(product)]
    return [
        _("%(product)s is hidden from the %(group)s group (product or category visibility).")
        % {**_p(product), "group": group.name}
    ]


def _tier_warnings(tiers: list[tuple[int, Decimal]]) -> list[str]:
    """A tier ladder is expected to go down: flag every step where buying more costs more."""
    warnings = []
    for (before_qty, before), (after_qty, after) in zip(tiers, tiers[1:], strict=False):
        if after > before:
            warnings.append(
                _(
                    "Buying more costs more per unit: from %(quantity)s the unit price rises "
                    "from %(before)s (at %(before_quantity)s) to %(after)s."
                )
                % {
                    "quantity": after_qty,
                    "before_quantity": before_qty,
                    "before": format_money(before),
                    "after": format_money(after),
                }
            )
    return warnings


def _never_wins_warnings(candidates, ranges, quantity_rule) -> list[str]:
    by_id = {row.rule.id: row.rule for row in candidates}
    warnings = []
    for row in candidates:
        if not row.in_window:
            continue
        if not row.wins_at:
            beaten_by = sorted(
                {
                    winner
                    for r, winner in ranges
                    if winner is not None and (r.end is None or r.end >= row.rule.min_quantity)
                }
            )
            warnings.append(
                _("%(rule)s can never win for this buyer and product: beaten by %(others)s.")
                % {
                    "rule": _rule_name(row.rule),
                    "others": ", ".join(_rule_name(by_id[i]) for i in beaten_by),
                }
            )
        elif not any(r.contains_orderable(quantity_rule) for r in row.wins_at):
            warnings.append(
                _(
                    "%(rule)s only wins at quantities the quantity rule does not allow "
                    "(%(quantities)s)."
                )
                % {"rule": _rule_name(row.rule), "quantities": row.wins_at_text}
            )
    return warnings


def _unreachable_tier_warnings(candidates, quantity_rule) -> list[str]:
    if quantity_rule is None or quantity_rule.max_quantity is None:
        return []
    return [
        _("%(rule)s starts at %(quantity)s but the quantity rule allows at most %(maximum)s.")
        % {
            "rule": _rule_name(row.rule),
            "quantity": row.rule.min_quantity,
            "maximum": quantity_rule.max_quantity,
        }
        for row in candidates
        if row.rule.min_quantity > quantity_rule.max_quantity
    ]


# --- cart discounts -------------------------------------------------------------------------


def _discount_rows(rules, buyer, subtotal, at, best) -> tuple[DiscountRow, ...]:
    """Every active cart discount with its amount for this subtotal, or why it does not
    apply. Each amount comes from the engine, on a rule set holding that discount alone."""
    group_names = dict(CustomerGroup.objects.values_list("pk", "name"))
    rows = []
    for discount in rules.cart_discounts:
        alone = engine.RuleSet(cart_discounts=(discount,))
        found, amount = engine.best_cart_discount(alone, buyer, subtotal, at)
        reason = ""
        if found is None:
            reason = _discount_reason(discount, buyer, subtotal, at, group_names)
        rows.append(
            DiscountRow(
                discount=discount,
                groups=labels.discount_groups(
                    group_names.get(i, f"#{i}") for i in discount.group_ids
                ),
                amount=amount,
                applies=found is not None,
                reason=reason,
                is_best=best is not None and discount.id == best.id,
            )
        )
    return tuple(rows)


def _discount_reason(discount, buyer, subtotal, at, group_names) -> str:
    window = engine.window_state(discount, at)
    if window == engine.NOT_STARTED:
        return _("starts %(when)s") % {"when": labels.moment(discount.starts_at)}
    if window == engine.ENDED:
        return _("ended %(when)s") % {"when": labels.moment(discount.ends_at)}
    if discount.group_ids and buyer.group_id not in discount.group_ids:
        return _("not for this group")
    if subtotal < discount.min_subtotal:
        return _("needs a subtotal of %(amount)s") % {"amount": format_money(discount.min_subtotal)}
    return _("worth nothing for this subtotal")


# --- rows for names and links ---------------------------------------------------------------


def _price_rule_records(ids) -> dict[int, PriceRule]:
    if not ids:
        return {}
    rows = PriceRule.objects.filter(pk__in=ids).select_related(
        "group", "customer", "product", "category"
    )
    return {rule.pk: rule for rule in rows}


def _quantity_rule_record(rule: engine.QuantityRuleData | None) -> QuantityRule | None:
    if rule is None:
        return None
    return (
        QuantityRule.objects.filter(pk=rule.id)
        .select_related("group", "customer", "product", "category")
        .first()
    )


def _sentence(record: PriceRule | None) -> str:
    return labels.price_rule_sentence(record) if record is not None else ""


def _rule_name(rule) -> str:
    return f"#{rule.id} “{rule.name}”"


def _p(product) -> dict:
    return {"product": f"{product.name} ({product.sku})"}
