"""The cart discounts' conflicts: the largest single discount wins, so one that another
discount for the same buyers always matches from a lower or equal threshold can never win."""

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_money

from .. import engine
from ..engine import survey
from .warnings import NEVER_WINS, RuleWarning


def cart_discount_warnings(
    discounts: Sequence[engine.CartDiscountData],
    *,
    only_ids: set[int] | None = None,
    at: datetime | None = None,
) -> list[RuleWarning]:
    """``never_wins`` for each discount asked about that another one running when it runs (at
    ``at``, or at its start when scheduled) always matches for every one of its buyers: the
    same or more off, from the same or a lower subtotal. Equal discounts: the lower id wins."""
    at = at or timezone.now()
    warnings = []
    for discount in sorted(discounts, key=_by_id):
        if only_ids is not None and discount.id not in only_ids:
            continue
        moment = survey.judged_at(discount, at)
        if moment is None:
            continue
        other = next(
            (o for o in sorted(discounts, key=_by_id) if _dominates(o, discount, moment)), None
        )
        if other is not None:
            warnings.append(
                RuleWarning(
                    rule_id=discount.id,
                    code=NEVER_WINS,
                    message=_(
                        "Cart discount “%(name)s” never wins: “%(other)s” gives at least as "
                        "much to the same buyers from a subtotal of %(threshold)s."
                    )
                    % {
                        "name": discount.name,
                        "other": other.name,
                        "threshold": format_money(other.min_subtotal),
                    },
                    other_rule_id=other.id,
                    at=moment if moment != at else None,
                )
            )
    return warnings


def _by_id(discount) -> int:
    return discount.id


def _dominates(other: engine.CartDiscountData, discount: engine.CartDiscountData, at) -> bool:
    if other.id == discount.id or engine.window_state(other, at) != engine.RUNNING:
        return False
    same_buyers = not other.group_ids or (
        discount.group_ids and discount.group_ids <= other.group_ids
    )
    if not same_buyers or other.min_subtotal > discount.min_subtotal:
        return False
    if other.kind == discount.kind:
        ahead = other.value > discount.value or (
            other.value == discount.value
            and (other.min_subtotal < discount.min_subtotal or other.id < discount.id)
        )
        return ahead
    if other.kind == "percent":  # a percentage grows with the subtotal: compare at the threshold
        return discount.min_subtotal * other.value / 100 >= discount.value > 0
    return discount.value == 0
