"""How prices are chosen, in words: the configured strategy, its precedence and a worked example.

The example is a small made-up rule set (never the shop's data) priced live by the engine with
the configured strategy, so the page can never disagree with what the shop does.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.money import format_money

from . import engine, explain, labels
from .models import PriceRule

EXAMPLE_GROUP = 2
EXAMPLE_CATEGORY = 1
EXAMPLE_QUANTITY = 100
_EXAMPLE_AT = datetime(2026, 1, 1, tzinfo=UTC)


def priority_help_text(strategy: str) -> str:
    """What the priority field does under ``strategy`` (the rule form's help text)."""
    if strategy == engine.LOWEST:
        return _(
            "Strategy “lowest price”: the lowest unit price wins; priority only breaks a tie "
            "between rules giving the same price (higher first)."
        )
    return _(
        "Strategy “priority”: the applicable rule with the highest priority wins, whatever "
        "its price; equal priorities are decided by the most specific buyer, then product."
    )


def strategy_summary(strategy: str) -> str:
    if strategy == engine.LOWEST:
        return _(
            "Among the rules that apply to a buyer, a product, a quantity and a moment, the "
            "lowest unit price wins. The base price takes part too: a rule wins only when its "
            "price is at most the base price, and a rule for the default group (the group guests "
            "shop in) counts for every buyer. So a member of any group never pays more per unit "
            "than a guest."
        )
    return _(
        "Among the rules that apply to a buyer, a product, a quantity and a moment, the rule "
        "with the highest priority wins, even when another rule or the base price is lower. "
        "A group or customer rule can therefore cost more than the public price: the Pricing "
        "health page lists where that happens."
    )


def step_text(step: str, strategy: str) -> str:
    texts = {
        "price": _("the lower unit price")
        if strategy == engine.PRIORITY
        else _("the lowest unit price (at most the base price)"),
        "priority": _("the higher priority"),
        "who": _(
            "the more specific buyer: one customer, then a company, then a group, then everyone"
        ),
        "what": _(
            "the more specific product scope: the product, then a deeper category, then a "
            "shallower one, then the whole catalogue"
        ),
        "min_quantity": _("the higher “from quantity” (the larger tier)"),
        "id": _("the lower rule number (the older rule)"),
    }
    return texts[step]


@dataclass(frozen=True)
class ExampleRule:
    rule: engine.PriceRuleData
    buyers: str
    scope: str
    effect: str


@dataclass(frozen=True)
class WorkedExample:
    product: engine.ProductSnapshot
    rules: tuple[ExampleRule, ...]
    quote: engine.Quote
    question: str

    @property
    def explanation(self) -> list[str]:
        return explain.render(self.quote.reasons)


def example_rules() -> tuple[engine.PriceRuleData, ...]:
    return (
        engine.PriceRuleData(
            id=1,
            name=_("Pens from 100"),
            kind="fixed_price",
            value=Decimal("1.20"),
            min_quantity=EXAMPLE_QUANTITY,
            product_id=1,
        ),
        engine.PriceRuleData(
            id=2, name=_("VIP 10 %"), kind="percent_off", value=Decimal("10"), group_id=2
        ),
        engine.PriceRuleData(
            id=3,
            name=_("Office sale 15 %"),
            kind="percent_off",
            value=Decimal("15"),
            priority=1,
            category_id=EXAMPLE_CATEGORY,
        ),
    )


def worked_example(strategy: str | None = None) -> WorkedExample:
    """A VIP buys 100 gel pens (base 2.00): three made-up rules, priced by the engine."""
    strategy = strategy or settings.SHOP_PRICING_STRATEGY
    product = engine.ProductSnapshot(
        id=1, base_price=Decimal("2.00"), category_path=(EXAMPLE_CATEGORY,), name=_("Gel pen")
    )
    rules = example_rules()
    compiled = engine.compile_rules(rules, strategy=strategy)
    buyer = engine.Buyer(group_id=EXAMPLE_GROUP)
    result = engine.quote(compiled, product, buyer, EXAMPLE_QUANTITY, _EXAMPLE_AT)
    return WorkedExample(
        product=product,
        rules=tuple(_described(rule) for rule in rules),
        quote=result,
        question=_(
            "A member of the VIP group buys %(quantity)s × %(product)s (base price "
            "%(base)s, in the Office category)."
        )
        % {
            "quantity": EXAMPLE_QUANTITY,
            "product": product.name,
            "base": format_money(product.base_price),
        },
    )


def _described(rule: engine.PriceRuleData) -> ExampleRule:
    buyers = _("VIP group") if rule.group_id else _("Everyone")
    if rule.product_id:
        scope = _("Gel pen")
    elif rule.category_id:
        scope = _("%(category)s (and below)") % {"category": _("Office")}
    else:
        scope = _("Whole catalogue")
    record = PriceRule(kind=rule.kind, value=rule.value)
    return ExampleRule(rule=rule, buyers=buyers, scope=scope, effect=labels.price_effect(record))
