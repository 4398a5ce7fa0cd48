"""The admin price simulator: everything behind one price, and what would surprise a buyer.

`simulate()` takes a product, a buyer (a group, a customer or a company), a quantity, a moment
and an optional cart subtotal, and returns a `Simulation`: the quote and its explanation, every
candidate rule with the quantities at which it wins, the tier table, the quantity rule in
force and its violations, the cart discounts, net and gross amounts, and warnings. All prices
come from the engine with the same compiled rules the storefront uses; this module only
arranges them. The admin view (`pricing.admin`) parses the form and renders the result.

Where each rule wins and the rule conflicts it warns about are worked out in
`pricing.rule_conflicts`.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.money import format_money, format_rate
from customers.models import Company, CustomerGroup
from shop.catalog import selectors as catalog_selectors

from . import engine, explain, labels, rule_conflicts, services
from .models import PriceRule, QuantityRule
from .rule_conflicts import QuantityRange


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
    company: Company | None = None  # the company priced: the customer's, or the one picked

    @property
    def subtotal_after_discount(self) -> Decimal:
        return self.subtotal - self.discount_amount

    @property
    def explanation(self) -> list[str]:
        return explain.render(self.quote.reasons)

    @property
    def base_gross(self) -> Decimal:
        return services.with_tax(self.quote.base_unit_price, self.tax_rate)

    @property
    def tax_percent(self) -> str:
        """0.2000 -> "20%", 0.0550 -> "5.5%"."""
        return format_rate(self.tax_rate)

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
    company: Company | None = None,
    subtotal: Decimal | None = None,
) -> Simulation:
    """Price ``quantity`` of ``product`` for a customer (in their own group, with their
    company's rules), a company (any member without rules of their own, in the company's
    group) or a group (the default group when none is given) at ``at``. ``subtotal`` is the
    cart subtotal in the buyer's terms (gross for groups that see gross prices) for the cart
    discount; the line total when omitted. ``quantity`` must be at least 1."""
    data = services.pricing_data()
    rules = data.rules
    if company is not None:
        group = company.group
    buyer, group = services.buyer_for(customer=customer, group=group, data=data)
    if company is not None:
        buyer = replace(buyer, company_id=company.pk)
    elif buyer.company_id is not None:
        company = Company.objects.filter(pk=buyer.company_id).first()
    snapshot = services.snapshot_of(product, data)
    result = engine.quote(rules, snapshot, buyer, quantity, at)

    quantity_rule = engine.quantity_rule_for(rules, snapshot, buyer)
    stock = product.stock if product.track_stock else None
    violations = [
        services.violation_message(violation, group=group)
        for violation in engine.check_quantity(rules, snapshot, buyer, quantity, stock=stock)
    ]

    in_window = [c.rule for c in result.candidates if _in_window(c.rule, at)]
    ranges = rule_conflicts.winning_ranges(rules, snapshot, buyer, at, in_window)
    records = _price_rule_records([c.rule.id for c in result.candidates])
    candidates = tuple(
        CandidateRow(
            rule=c.rule,
            record=records.get(c.rule.id),
            sentence=_sentence(records.get(c.rule.id)),
            unit_price=c.unit_price,
            applies=c.applies,
            reason=explain.reason_text(c.reason) if c.reason else "",
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

    unit_gross = services.with_tax(result.unit_price, rate)
    total_gross = unit_gross * quantity  # what a gross-price buyer is charged for the line
    subtotal_is_this_line = subtotal is None
    if subtotal is None:
        subtotal = total_gross if group.prices_include_tax else result.total
    # Cart discounts compare their threshold with the subtotal in the buyer's terms; the
    # group's minimum order with the net subtotal.
    best, best_amount = engine.best_cart_discount(rules, buyer, subtotal, at)
    discounts = _discount_rows(rules, buyer, subtotal, at, best)
    net_subtotal = engine.net_of(subtotal, rate) if group.prices_include_tax else subtotal
    minimum = group.min_order_subtotal
    shortfall = minimum - net_subtotal if minimum and net_subtotal < minimum else Decimal("0.00")

    warnings = [
        *_visibility_warnings(product, group),
        *rule_conflicts.conflict_warnings(candidates, ranges, tiers, quantity_rule),
    ]
    return Simulation(
        product=product,
        group=group,
        customer=customer,
        company=company,
        quantity=quantity,
        at=at,
        quote=result,
        winner=records.get(result.rule.id) if result.rule else None,
        candidates=candidates,
        country=settings.SHOP_DEFAULT_COUNTRY,
        tax_rate=rate,
        prices_include_tax=group.prices_include_tax,
        unit_gross=unit_gross,
        total_gross=total_gross,
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


def _in_window(rule: engine.PriceRuleData, at: datetime) -> bool:
    return engine.window_state(rule, at) == engine.RUNNING


def _visibility_warnings(product, group) -> list[str]:
    tree = catalog_selectors.category_tree(group=group)
    if catalog_selectors.product_detail(slug=product.slug, group=group, tree=tree) is not None:
        return []
    if not product.is_active:
        return [_("%(product)s is inactive: no buyer can see or order it.") % _p(product)]
    return [
        _("%(product)s is hidden from the %(group)s group (product or category visibility).")
        % {**_p(product), "group": group.name}
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
        "group", "customer", "company", "product", "category"
    )
    return {rule.pk: rule for rule in rows}


def _quantity_rule_record(rule: engine.QuantityRuleData | None) -> QuantityRule | None:
    if rule is None:
        return None
    return (
        QuantityRule.objects.filter(pk=rule.id)
        .select_related("group", "customer", "company", "product", "category")
        .first()
    )


def _sentence(record: PriceRule | None) -> str:
    return labels.price_rule_sentence(record) if record is not None else ""


def _p(product) -> dict:
    return {"product": f"{product.name} ({product.sku})"}
