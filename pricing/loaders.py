"""Turn database rows into the engine's frozen dataclasses (a few queries, whatever the count)."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings

from core.trees import path_to
from customers import selectors as customer_selectors
from shop.catalog import selectors as catalog_selectors
from shop.tax import selectors as tax_selectors

from . import engine
from .models import CartDiscount, PriceRule, QuantityRule


@dataclass(frozen=True)
class PricingData:
    """Everything a quote needs besides the product row, compiled once per pricing version."""

    version: str
    rules: engine.RuleSet
    category_parents: dict[int, int | None]
    tax_rates: dict[tuple[str, str], Decimal]

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


def price_rules() -> list[engine.PriceRuleData]:
    """Active price rules as engine data (plain tuples from the database: no model objects)."""
    rows = PriceRule.objects.filter(is_active=True).values_list(*PRICE_RULE_FIELDS)
    return [engine.PriceRuleData(*row) for row in rows]


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
    rows = QuantityRule.objects.filter(is_active=True).values_list(*QUANTITY_RULE_FIELDS)
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


def load_pricing_data(version: str) -> PricingData:
    """Active rules (windows are checked at quote time), category tree and tax rates."""
    discount_groups: dict[int, set[int]] = {}
    through = CartDiscount.groups.through
    for discount_id, group_id in through.objects.filter(cartdiscount__is_active=True).values_list(
        "cartdiscount_id", "customergroup_id"
    ):
        discount_groups.setdefault(discount_id, set()).add(group_id)
    rules = engine.compile_rules(
        price_rules=guests_rules_for_everyone(
            price_rules(),
            customer_selectors.default_group_id(),
            settings.SHOP_PRICING_STRATEGY,
        ),
        quantity_rules=quantity_rules(),
        cart_discounts=[
            cart_discount_data(d, discount_groups.get(d.pk, ()))
            for d in CartDiscount.objects.filter(is_active=True)
        ],
        strategy=settings.SHOP_PRICING_STRATEGY,
    )
    return PricingData(
        version=version,
        rules=rules,
        category_parents=catalog_selectors.category_parent_map(),
        tax_rates=tax_selectors.tax_rate_table(),
    )
