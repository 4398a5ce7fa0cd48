"""Turn database rows into the engine's frozen dataclasses (a few queries, whatever the count)."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings

from core.trees import path_to
from customers import selectors as customer_selectors
from shop.catalog import selectors as catalog_selectors
from shop.tax import selectors as tax_selectors

from . import engine
from .models import CartDiscount, PriceRule, PricingChange, QuantityRule


@dataclass(frozen=True)
class PricingData:
    """Everything a quote needs besides the product row, compiled once per pricing version."""

    version: str
    rules: engine.RuleSet
    category_parents: dict[int, int | None]
    tax_rates: dict[tuple[str, str], Decimal]
    # The bump these rules include every change of (see PricingVersion.seq), and the default
    # group guests_rules_for_everyone compiled them with.
    seq: int = 0
    default_group_id: int | None = None

    def category_path(self, category_id: int | None) -> tuple[int, ...]:
        return path_to(category_id, self.category_parents)


PRICE_RULE_FIELDS = (
    "id",
    "name",
    "kind",
    "value",
    "priority",
    "min_quantity",
    "group_id",
    "customer_id",
    "product_id",
    "category_id",
    "starts_at",
    "ends_at",
    "company_id",
)
QUANTITY_RULE_FIELDS = (
    "id",
    "name",
    "group_id",
    "customer_id",
    "product_id",
    "category_id",
    "min_quantity",
    "max_quantity",
    "step",
    "company_id",
)


# Past this many changed rules since a process's version, it compiles everything again.
MAX_INCREMENTAL_CHANGES = 2000


def price_rules(*, guests_group_id: int | None = None) -> list[engine.PriceRuleData]:
    """Active price rules as engine data: plain tuples from the database, read in chunks, no
    model objects. Equal kinds, values, ids and times are one shared object: at 100,000 rules
    a copy each was a large part of a worker's memory. ``guests_group_id``: that group's
    rules are read as rules for everyone (:func:`guests_rules_for_everyone`, without building
    each such rule twice)."""
    rules = PriceRule.objects.filter(is_active=True)
    # One table per type: Decimal("5.00") == 5, and each must stay what it is.
    texts: dict[str, str] = {}
    amounts: dict[Decimal, Decimal] = {}
    ids: dict[int | None, int | None] = {}
    moments: dict = {None: None}
    return [
        engine.PriceRuleData(
            id_,
            name,
            texts.setdefault(kind, kind),
            amounts.setdefault(value, value),
            priority,
            min_quantity,
            None
            if group_id == guests_group_id and customer_id is None and company_id is None
            else ids.setdefault(group_id, group_id),
            ids.setdefault(customer_id, customer_id),
            ids.setdefault(product_id, product_id),
            ids.setdefault(category_id, category_id),
            moments.setdefault(starts_at, starts_at),
            moments.setdefault(ends_at, ends_at),
            ids.setdefault(company_id, company_id),
        )
        for (
            id_,
            name,
            kind,
            value,
            priority,
            min_quantity,
            group_id,
            customer_id,
            product_id,
            category_id,
            starts_at,
            ends_at,
            company_id,
        ) in rules.values_list(*PRICE_RULE_FIELDS).iterator(chunk_size=5000)
    ]


def guests_rules_for_everyone(
    rules: list[engine.PriceRuleData], default_group_id: int | None, strategy: str
) -> list[engine.PriceRuleData]:
    """Under ``lowest``, a rule for the default group (the group guests shop in) is compiled as a
    rule for everyone: what a guest may pay, every buyer may pay, so no group ever pays more
    than a guest. Under ``priority`` it stays a rule of that group. A customer's or a company's
    own rule is left as it is (it follows them, whatever group it names)."""
    if strategy != engine.LOWEST or default_group_id is None:
        return rules
    return [
        replace(rule, group_id=None)
        if rule.group_id == default_group_id
        and rule.customer_id is None
        and rule.company_id is None
        else rule
        for rule in rules
    ]


def quantity_rules() -> list[engine.QuantityRuleData]:
    rows = (
        QuantityRule.objects.filter(is_active=True)
        .values_list(*QUANTITY_RULE_FIELDS)
        .iterator(chunk_size=5000)
    )
    return [engine.QuantityRuleData(*row) for row in rows]


def cart_discount_data(discount: CartDiscount, group_ids) -> engine.CartDiscountData:
    return engine.CartDiscountData(
        id=discount.pk,
        name=discount.name,
        kind=discount.kind,
        value=discount.value,
        min_subtotal=discount.min_subtotal,
        group_ids=frozenset(group_ids),
        starts_at=discount.starts_at,
        ends_at=discount.ends_at,
    )


def cart_discounts() -> list[engine.CartDiscountData]:
    discount_groups: dict[int, set[int]] = {}
    through = CartDiscount.groups.through
    for discount_id, group_id in through.objects.filter(cartdiscount__is_active=True).values_list(
        "cartdiscount_id", "customergroup_id"
    ):
        discount_groups.setdefault(discount_id, set()).add(group_id)
    return [
        cart_discount_data(d, discount_groups.get(d.pk, ()))
        for d in CartDiscount.objects.filter(is_active=True)
    ]


def load_pricing_data(version: str, seq: int = 0) -> PricingData:
    """Active rules (windows are checked at quote time), category tree and tax rates, all
    compiled again."""
    strategy = settings.SHOP_PRICING_STRATEGY
    default_group_id = customer_selectors.default_group_id()
    guests_group_id = default_group_id if strategy == engine.LOWEST else None
    rules = engine.compile_rules(
        price_rules=price_rules(guests_group_id=guests_group_id),
        quantity_rules=quantity_rules(),
        cart_discounts=cart_discounts(),
        strategy=strategy,
    )
    return PricingData(
        version=version,
        rules=rules,
        category_parents=catalog_selectors.category_parent_map(),
        tax_rates=tax_selectors.tax_rate_table(),
        seq=seq,
        default_group_id=default_group_id,
    )


def _changed_rows(since, relation: str, fields, make) -> tuple[set[int], list]:
    """The ids of the rules logged in `since` and the current rows of those still active, in
    one query whatever the change (a deleted rule is an id without a row), so the first
    request after a change makes as many queries as a full compile."""
    columns = [f"{relation}__{name}" for name in fields]
    ids: set[int] = set()
    rows: dict[int, object] = {}
    # No filter on the relation: it would turn the join into an inner one and drop the deletes.
    for logged_id, is_active, *row in since.values_list(
        f"{relation}_id", f"{relation}__is_active", *columns
    ):
        if logged_id is None:
            continue
        ids.add(logged_id)
        if is_active:
            rows[logged_id] = make(*row)
    return ids, list(rows.values())


def update_pricing_data(data: PricingData, version: str, seq: int) -> PricingData | None:
    """`data` brought to `version`: only the rules logged as changed since `data.seq` are read
    again and replaced in a copy of its rule set (`data` itself is never changed: requests may
    still be reading it); the cart discounts, category tree and tax rates, small, are read
    again whole. None when compiling everything again is needed or cheaper: another default
    group, or too many changes."""
    since = PricingChange.objects.filter(seq__gt=data.seq, seq__lte=seq)
    price_ids, prices = _changed_rows(since, "price_rule", PRICE_RULE_FIELDS, engine.PriceRuleData)
    quantity_ids, quantities = _changed_rows(
        since, "quantity_rule", QUANTITY_RULE_FIELDS, engine.QuantityRuleData
    )
    if len(price_ids) + len(quantity_ids) > MAX_INCREMENTAL_CHANGES:
        return None
    strategy = data.rules.strategy
    default_group_id = customer_selectors.default_group_id()
    if default_group_id != data.default_group_id:
        return None
    rules = data.rules.with_changes(
        price_rules=guests_rules_for_everyone(prices, default_group_id, strategy),
        removed_price_rule_ids=price_ids - {rule.id for rule in prices},
        quantity_rules=quantities,
        removed_quantity_rule_ids=quantity_ids - {rule.id for rule in quantities},
        cart_discounts=cart_discounts(),
    )
    return PricingData(
        version=version,
        rules=rules,
        category_parents=catalog_selectors.category_parent_map(),
        tax_rates=tax_selectors.tax_rate_table(),
        seq=seq,
        default_group_id=default_group_id,
    )
