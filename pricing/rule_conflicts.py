"""Where each price rule wins, and the rule conflicts the price simulator warns about.

The applicable rules only change at quantity thresholds (1 and every candidate's
``min_quantity``), so the winner at each threshold holds until the next one: quoting at the
thresholds tells exactly which rule wins at every quantity. From that, and the tier table and
quantity rule in force, come the warnings: buying more costs more, a rule never wins, a rule
only wins at quantities nobody may order, a tier starts above the maximum quantity.

`candidates` are the simulator's rows (`pricing.simulator.CandidateRow`): a rule, whether it is
in its window, the ranges where it wins.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import format_money

from . import engine


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


def winning_ranges(
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


def conflict_warnings(candidates, ranges, tiers, quantity_rule) -> list[str]:
    """Every conflict, in the order the simulator shows them."""
    return [
        *_tier_warnings(tiers),
        *_never_wins_warnings(candidates, ranges, quantity_rule),
        *_unreachable_tier_warnings(candidates, quantity_rule),
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


def _rule_name(rule) -> str:
    return f"#{rule.id} “{rule.name}”"
