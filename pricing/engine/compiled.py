"""Rules compiled for quoting: each price or quantity rule with its precomputed amounts and
its place (who it is for, what it covers); the codes that order rules by specificity."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .money import to_cents
from .types import (
    PRICE_RULE_KINDS,
    PriceRuleData,
    QuantityRuleData,
    Reason,
)
from .windows import ENDED, NOT_STARTED

WHO_CUSTOMER, WHO_COMPANY, WHO_GROUP, WHO_EVERYONE = 3, 2, 1, 0
WHO_CODES = {
    WHO_CUSTOMER: "customer",
    WHO_COMPANY: "company",
    WHO_GROUP: "group",
    WHO_EVERYONE: "everyone",
}
# What-specificity: whole catalogue 0, a category at index i of the product's path i + 1
# (deeper is more specific), the product itself above any category.
WHAT_CATALOGUE = 0
WHAT_PRODUCT = 1_000_000

KIND_FIXED, KIND_PERCENT, KIND_AMOUNT = 0, 1, 2
_KIND_CODES = {"fixed_price": KIND_FIXED, "percent_off": KIND_PERCENT, "amount_off": KIND_AMOUNT}
_HUNDRED = Decimal(100)


def _amounts(kind: int, value) -> tuple[Decimal, Decimal | None, Decimal, Decimal]:
    """(value, percent factor, fixed unrounded, fixed rounded) of a rule: rules with the same
    value (same type and digits: 5 and 5.00 stay apart) share these objects."""
    return _shared_amounts(kind, type(value), str(value), value)


@lru_cache(maxsize=8192)
def _shared_amounts(kind: int, _type: type, _text: str, value) -> tuple:
    value = Decimal(value)
    factor = (_HUNDRED - value) / _HUNDRED if kind == KIND_PERCENT else None
    fixed_raw = value if value > 0 else Decimal(0)
    return value, factor, fixed_raw, to_cents(fixed_raw)


def who_of(rule: PriceRuleData | QuantityRuleData) -> int:
    """The who-specificity of a rule: one of the ``WHO_*`` constants."""
    if rule.customer_id is not None:
        return WHO_CUSTOMER
    if rule.company_id is not None:
        return WHO_COMPANY
    if rule.group_id is not None:
        return WHO_GROUP
    return WHO_EVERYONE


def _what_code(rule: PriceRuleData) -> str:
    if rule.product_id is not None:
        return "product"
    if rule.category_id is not None:
        return "category"
    return "catalogue"


class CompiledPriceRule:
    """A price rule with what a quote compares precomputed (internal).

    Kept lean: at 100,000 rules one of these per rule is a large part of a worker's memory.
    Equal values share one tuple of amounts (:func:`_amounts`); the explanation's parts
    (reasons, the fixed candidate) are built on first use and kept in one slot, for rules
    that are quoted."""

    __slots__ = (
        "_amounts",
        "_explained",
        "ends_at",
        "id",
        "kind",
        "min_quantity",
        "priority",
        "rule",
        "starts_at",
        "who",
    )

    def __init__(self, rule: PriceRuleData) -> None:
        kind = _KIND_CODES.get(rule.kind)
        if kind is None:
            raise ValueError(
                f"Price rule #{rule.id}: unknown kind {rule.kind!r} (expected {PRICE_RULE_KINDS})"
            )
        if rule.product_id is not None and rule.category_id is not None:
            raise ValueError(f"Price rule #{rule.id}: sets both a product and a category")
        if rule.customer_id is not None and rule.company_id is not None:
            raise ValueError(f"Price rule #{rule.id}: sets both a customer and a company")
        self.rule = rule
        self.id = rule.id
        self.priority = rule.priority
        self.who = who_of(rule)
        self.min_quantity = rule.min_quantity if rule.min_quantity > 1 else 1
        self.kind = kind
        # percent_off: base x (1 - value/100), with the factor computed exactly once.
        self._amounts = _amounts(kind, rule.value)
        self.starts_at = rule.starts_at
        self.ends_at = rule.ends_at
        self._explained = None

    @property
    def value(self) -> Decimal:
        return self._amounts[0]

    @property
    def factor(self) -> Decimal | None:
        return self._amounts[1]

    @property
    def fixed_raw(self) -> Decimal:
        return self._amounts[2]

    @property
    def fixed_price(self) -> Decimal:
        return self._amounts[3]

    # Built on first use; two threads racing build equal values, either may be kept.
    def _explanation(self) -> list:
        explained = self._explained
        if explained is None:
            explained = self._explained = [None, None, None, None, None]
        return explained

    @property
    def name_params(self) -> tuple:
        explained = self._explanation()
        params = explained[0]
        if params is None:
            params = explained[0] = (("rule_id", self.id), ("name", self.rule.name))
        return params

    @property
    def scope_params(self) -> tuple:
        explained = self._explanation()
        params = explained[1]
        if params is None:
            rule = self.rule
            params = explained[1] = (
                *self.name_params,
                ("who", WHO_CODES[self.who]),
                ("what", _what_code(rule)),
                ("category_id", rule.category_id),
                ("min_quantity", self.min_quantity),
            )
        return params

    @property
    def starts_reason(self) -> Reason:
        explained = self._explanation()
        reason = explained[2]
        if reason is None:
            reason = explained[2] = Reason(
                "not_applicable",
                (*self.name_params, ("why", NOT_STARTED), ("at", self.starts_at)),
            )
        return reason

    @property
    def ended_reason(self) -> Reason:
        explained = self._explanation()
        reason = explained[3]
        if reason is None:
            reason = explained[3] = Reason(
                "not_applicable", (*self.name_params, ("why", ENDED), ("at", self.ends_at))
            )
        return reason

    @property
    def fixed_reason(self) -> Reason:
        explained = self._explanation()
        reason = explained[4]
        if reason is None:
            reason = explained[4] = self.candidate_reason(self.fixed_raw, self.fixed_price)
        return reason

    def unit_price(self, base: Decimal) -> tuple[Decimal, Decimal]:
        """(unrounded, rounded to the cent) unit price for a base price; never negative."""
        kind = self.kind
        value, factor, fixed_raw, fixed_price = self._amounts
        if kind == KIND_FIXED:
            return fixed_raw, fixed_price
        raw = base * factor if kind == KIND_PERCENT else base - value
        if raw < 0:
            raw = Decimal(0)
        return raw, to_cents(raw)

    def candidate_reason(self, raw: Decimal, price: Decimal) -> Reason:
        """``candidate``: the rule gives ``price`` (``raw`` when rounding changed it)."""
        raw_or_none = raw if raw != price else None
        return Reason("candidate", (*self.scope_params, ("price", price), ("raw", raw_or_none)))

    def too_few_reason(self, quantity: int) -> Reason:
        return Reason(
            "not_applicable",
            (
                *self.name_params,
                ("why", "min_quantity"),
                ("min_quantity", self.min_quantity),
                ("quantity", quantity),
            ),
        )


# Read-only and shared by every bucket without rules for that kind of buyer: most products'
# rules target one or two kinds, and an empty dict per kind per product added up.


def by_id(item) -> int:
    return item.id


class CompiledQuantityRule:
    """A quantity rule with its who-specificity precomputed (internal)."""

    __slots__ = ("id", "rule", "who")

    def __init__(self, rule: QuantityRuleData) -> None:
        if rule.product_id is not None and rule.category_id is not None:
            raise ValueError(f"Quantity rule #{rule.id}: sets both a product and a category")
        if rule.customer_id is not None and rule.company_id is not None:
            raise ValueError(f"Quantity rule #{rule.id}: sets both a customer and a company")
        self.rule = rule
        self.id = rule.id
        self.who = who_of(rule)
