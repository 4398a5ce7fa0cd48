"""The engine's explanation in words, in the reader's language.

The engine explains a price as structured :class:`pricing.engine.Reason` steps (their codes are
listed in :mod:`pricing.engine.calculator` and :mod:`pricing.engine.cart`); this module renders
them with gettext, and turns them into JSON for an order line to keep (``as_json``) and back
(``from_json``), so a stored explanation can be rendered again in another language.
"""

from datetime import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.money import format_money

from . import engine

_MONEY_STEPS = ("price",)
_DATETIME_KEYS = ("at",)


def strategy_name(strategy: str) -> str:
    if strategy == engine.LOWEST:
        return pgettext("pricing strategy", "lowest price")
    return pgettext("pricing strategy", "priority")


def _who(code: str) -> str:
    return {
        "customer": pgettext("rule target", "this customer"),
        "company": pgettext("rule target", "the buyer's company"),
        "group": pgettext("rule target", "the buyer's group"),
        "everyone": pgettext("rule target", "everyone"),
    }[code]


def _what_level(level: int) -> str:
    if level == engine.WHAT_PRODUCT:
        return pgettext("rule scope", "the product")
    if level == engine.WHAT_CATALOGUE:
        return pgettext("rule scope", "the whole catalogue")
    return _("a category at level %(level)s") % {"level": level}


def _scope(values: dict) -> str:
    if values["what"] == "product":
        what = pgettext("rule scope", "the product")
    elif values["what"] == "category":
        what = _("category #%(id)s") % {"id": values["category_id"]}
    else:
        what = pgettext("rule scope", "the whole catalogue")
    return _("%(who)s, %(what)s, from %(quantity)s") % {
        "who": _who(values["who"]),
        "what": what,
        "quantity": values["min_quantity"],
    }


def _rule(values: dict) -> str:
    return _("#%(id)s “%(name)s”") % {"id": values["rule_id"], "name": values["name"]}


def _priced(price, raw) -> str:
    if raw is None:
        return format_money(price)
    return _("%(price)s (%(raw)s rounded to %(price)s)") % {
        "price": format_money(price),
        "raw": f"{Decimal(raw).normalize():f}",
    }


def _step_value(step: str, value) -> str:
    if step in _MONEY_STEPS:
        return format_money(value)
    if step == "who":
        return _who(value)
    if step == "what":
        return _what_level(value)
    if step == "id":
        return f"#{value}"
    return str(value)


def _because(step: str, value, other) -> str:
    """Why the rule ahead is ahead at ``step`` (its value, then the one behind)."""
    texts = {
        "price": _("lower price (%(value)s over %(other)s)"),
        "priority": _("higher priority (%(value)s over %(other)s)"),
        "who": _("more specific buyer (%(value)s over %(other)s)"),
        "what": _("more specific product scope (%(value)s over %(other)s)"),
        "min_quantity": _("higher minimum quantity (%(value)s over %(other)s)"),
        "id": _("lower rule number (%(value)s over %(other)s)"),
    }
    return texts[step] % {"value": _step_value(step, value), "other": _step_value(step, other)}


def _when(value) -> str:
    return formats.date_format(value, "DATETIME_FORMAT") if isinstance(value, datetime) else value


def reason_text(reason: engine.Reason) -> str:
    """One step of an explanation as a sentence."""
    v = reason.values
    code = reason.code
    if code == "strategy":
        return _("Strategy: %(strategy)s") % {"strategy": strategy_name(v["strategy"])}
    if code == "base_price":
        return _("Base price %(price)s") % {"price": _priced(v["price"], v["raw"])}
    if code == "candidate":
        return _("Candidate %(rule)s (%(scope)s): %(price)s") % {
            "rule": _rule(v),
            "scope": _scope(v),
            "price": _priced(v["price"], v["raw"]),
        }
    if code == "not_applicable":
        if v["why"] == "min_quantity":
            why = _("needs quantity %(needed)s (asked %(asked)s)") % {
                "needed": v["min_quantity"],
                "asked": v["quantity"],
            }
        elif v["why"] == engine.NOT_STARTED:
            why = _("starts %(when)s") % {"when": _when(v["at"])}
        else:
            why = _("ended %(when)s") % {"when": _when(v["at"])}
        return _("Not applicable %(rule)s: %(why)s") % {"rule": _rule(v), "why": why}
    if code == "winner":
        if v["step"] == "only":
            why = _("the only applicable rule")
        else:
            why = _because(v["step"], v["value"], v["other"])
        return _("Winner %(rule)s: %(why)s") % {"rule": _rule(v), "why": why}
    if code == "lost":
        if v["winner_id"] is None:
            return _("Lost %(rule)s: %(price)s is above the base price %(base)s") % {
                "rule": _rule(v),
                "price": format_money(v["value"]),
                "base": format_money(v["other"]),
            }
        return _("Lost %(rule)s to #%(winner)s: %(why)s") % {
            "rule": _rule(v),
            "winner": v["winner_id"],
            "why": _because(v["step"], v["other"], v["value"]),
        }
    if code == "base_lower":
        return _("Base price %(price)s wins: every rule gives more (lowest %(rule_price)s)") % {
            "price": format_money(v["price"]),
            "rule_price": format_money(v["rule_price"]),
        }
    if code == "quoted":
        return _("Quoted price %(price)s: %(reference)s (from quantity %(quantity)s)") % {
            "price": format_money(v["price"]),
            "reference": v["reference"],
            "quantity": v["min_quantity"],
        }
    if code == "quoted_too_few":
        return _("%(reference)s applies from quantity %(needed)s (asked %(asked)s)") % {
            "reference": v["reference"],
            "needed": v["min_quantity"],
            "asked": v["quantity"],
        }
    if code == "no_rule":
        return _("No rule applies: base price")
    if code == "total":
        return _("Total %(unit)s × %(quantity)s = %(total)s") % {
            "unit": format_money(v["unit_price"]),
            "quantity": v["quantity"],
            "total": format_money(v["total"]),
        }
    return _cart_reason_text(code, v)


def _cart_reason_text(code: str, v: dict) -> str:
    amount = format_money(v.get("amount"))
    if code == "subtotal":
        return _("Subtotal %(amount)s") % {"amount": amount}
    if code == "cart_discount":
        return _("Cart discount #%(id)s “%(name)s”: −%(amount)s") % {
            "id": v["discount_id"],
            "name": v["name"],
            "amount": amount,
        }
    if code == "no_cart_discount":
        return _("No cart discount applies")
    if code == "net_total":
        return _("Net total %(amount)s") % {"amount": amount}
    if code == "tax_total":
        return _("Tax %(amount)s (per line, after its share of the cart discount)") % {
            "amount": amount
        }
    if code == "gross_total":
        return _("Gross total %(amount)s") % {"amount": amount}
    if code == "gross_subtotal":
        return _("Subtotal incl. VAT %(amount)s (unit prices as shown × quantities)") % {
            "amount": amount
        }
    if code == "tax_included":
        return _(
            "Of which VAT %(amount)s (per line: its price incl. VAT after its share of the cart "
            "discount, less that amount ÷ (1 + rate) rounded to the cent)"
        ) % {"amount": amount}
    raise ValueError(f"unknown explanation step {code!r}")


def render(reasons) -> list[str]:
    """Every step of an explanation as a sentence, in the active language."""
    return [reason_text(reason) for reason in reasons]


def _to_json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def as_json(reasons) -> list[dict]:
    """The structured explanation as JSON an order line keeps: ``[{"code", "values"}]``."""
    return [
        {"code": r.code, "values": {k: _to_json(value) for k, value in r.params}} for r in reasons
    ]


def from_json(data) -> tuple[engine.Reason, ...]:
    """``as_json`` read back (dates as datetimes again), ready to :func:`render`."""
    reasons = []
    for item in data:
        values = dict(item["values"])
        for key in _DATETIME_KEYS:
            if isinstance(values.get(key), str):
                values[key] = datetime.fromisoformat(values[key])
        reasons.append(engine.Reason(item["code"], tuple(values.items())))
    return tuple(reasons)
