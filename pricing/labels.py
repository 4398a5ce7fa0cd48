"""Rules described in words a manager reads like a sentence.

"Wholesale · Kitchen (and below) · from 12 · 15% off": who, what, from which quantity, what
price. Used by the admin changelists and the price simulator. The functions read only the
rule and the related rows the caller loaded with it (``select_related``); they never query.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_money

from . import engine
from .models import CartDiscount, PriceRule

SEPARATOR = " · "

STATUS_CURRENT = "current"
STATUS_SCHEDULED = "scheduled"
STATUS_EXPIRED = "expired"
STATUS_INACTIVE = "inactive"


def status_choices() -> list[tuple[str, str]]:
    return [
        (STATUS_CURRENT, _("Current")),
        (STATUS_SCHEDULED, _("Scheduled")),
        (STATUS_EXPIRED, _("Expired")),
        (STATUS_INACTIVE, _("Inactive")),
    ]


STATUS_BY_WINDOW = {
    engine.NOT_STARTED: STATUS_SCHEDULED,
    engine.RUNNING: STATUS_CURRENT,
    engine.ENDED: STATUS_EXPIRED,
}


def status_of(rule, now: datetime | None = None) -> str:
    """Inactive wins over the window; then scheduled (starts later), expired (ended), current.
    Quantity rules have no window: they are current or inactive."""
    if not rule.is_active:
        return STATUS_INACTIVE
    if not hasattr(rule, "starts_at"):
        return STATUS_CURRENT
    return STATUS_BY_WINDOW[engine.window_state(rule, now or timezone.now())]


def status_label(status: str) -> str:
    return dict(status_choices())[status]


def status_with_window(rule, now: datetime | None = None) -> str:
    """ "Current", "Current, until …", "Scheduled: from …", "Expired: ended …", "Inactive"."""
    status = status_of(rule, now)
    label = status_label(status)
    ends_at = getattr(rule, "ends_at", None)
    if status == STATUS_SCHEDULED:
        return _("%(status)s: %(window)s") % {"status": label, "window": window(rule)}
    if status == STATUS_EXPIRED:
        return _("%(status)s: ended %(end)s") % {"status": label, "end": moment(ends_at)}
    if status == STATUS_CURRENT and ends_at is not None:
        return _("%(status)s, until %(end)s") % {"status": label, "end": moment(ends_at)}
    return label


def who(rule) -> str:
    """The customer's email, the company's name, the group's name, or "Everyone"."""
    if rule.customer_id is not None:
        return rule.customer.email
    if rule.company_id is not None:
        return _("%(company)s (company)") % {"company": rule.company.name}
    if rule.group_id is not None:
        return rule.group.name
    return _("Everyone")


def what(rule) -> str:
    """The product ("Name (SKU)"), the category and everything below it, or the catalogue."""
    if rule.product_id is not None:
        return f"{rule.product.name} ({rule.product.sku})"
    if rule.category_id is not None:
        return _("%(category)s (and below)") % {"category": rule.category.name}
    return _("Whole catalogue")


def from_quantity(rule) -> str:
    return _("from %(quantity)s") % {"quantity": rule.min_quantity}


def price_effect(rule: PriceRule) -> str:
    """ "€8.40 each", "15% off", "€2.00 off"."""
    if rule.kind == PriceRule.Kind.FIXED_PRICE:
        return _("%(price)s each") % {"price": format_money(rule.value)}
    if rule.kind == PriceRule.Kind.PERCENT_OFF:
        return _("%(percent)s%% off") % {"percent": plain_number(rule.value)}
    return _("%(amount)s off") % {"amount": format_money(rule.value)}


def price_rule_sentence(rule: PriceRule) -> str:
    return SEPARATOR.join((who(rule), what(rule), from_quantity(rule), price_effect(rule)))


def quantity_limits(rule) -> str:
    """ "min 6 · max 600 · packs of 6" (only the limits that constrain anything)."""
    parts = []
    if rule.min_quantity > 1:
        parts.append(_("min %(quantity)s") % {"quantity": rule.min_quantity})
    if rule.max_quantity is not None:
        parts.append(_("max %(quantity)s") % {"quantity": rule.max_quantity})
    if rule.step > 1:
        parts.append(_("packs of %(step)s") % {"step": rule.step})
    return SEPARATOR.join(parts) or _("no limit")


def quantity_rule_sentence(rule) -> str:
    return SEPARATOR.join((who(rule), what(rule), quantity_limits(rule)))


def discount_groups(group_names) -> str:
    names = sorted(group_names)
    return ", ".join(names) if names else _("Everyone")


def discount_effect(discount: CartDiscount) -> str:
    if discount.kind == CartDiscount.Kind.PERCENT:
        return _("%(percent)s%% off the subtotal") % {"percent": plain_number(discount.value)}
    return _("%(amount)s off the subtotal") % {"amount": format_money(discount.value)}


def discount_threshold(discount: CartDiscount) -> str:
    if not discount.min_subtotal:
        return _("any subtotal")
    return _("from %(amount)s") % {"amount": format_money(discount.min_subtotal)}


def window(rule) -> str:
    """ "always", "from 1 Jun 2025 09:00", "until …", "… to …" in the current time zone."""
    starts_at, ends_at = rule.starts_at, rule.ends_at
    if starts_at is None and ends_at is None:
        return _("always")
    if ends_at is None:
        return _("from %(start)s") % {"start": moment(starts_at)}
    if starts_at is None:
        return _("until %(end)s") % {"end": moment(ends_at)}
    return _("%(start)s to %(end)s") % {"start": moment(starts_at), "end": moment(ends_at)}


def moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def plain_number(value) -> str:
    """15.00 -> "15", 12.50 -> "12.5"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
