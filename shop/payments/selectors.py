"""Which payment methods a buyer may use for an order, each available or not with the reason
shown, and whether the group may check out as guests."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from payments import PaymentStatus

from core.db import columns_of, prepared_raw
from core.money import format_money

from .models import CardPayment, CheckoutPolicy, PaymentMethod


@dataclass(frozen=True)
class CreditStatus:
    """A customer's payment terms and credit: what paying on account depends on. What is
    used is summed from the orders on first use: a buyer without payment terms never pays
    on account, and most checkouts never need it."""

    terms_days: int
    limit: Decimal
    sum_used: Callable[[], Decimal] = field(repr=False, compare=False)

    @cached_property
    def used(self) -> Decimal:
        return self.sum_used()

    @property
    def available(self) -> Decimal:
        return max(self.limit - self.used, Decimal("0.00"))


def checkout_policy(group) -> CheckoutPolicy:
    """The group's policy, or the defaults (guest checkout, card, bank transfer) without one.
    Remembered on the group object, so the steps of one request ask once."""
    policy = getattr(group, "_checkout_policy", None)
    if policy is None:
        found = list(prepared_raw(CheckoutPolicy, _POLICY_SQL, [group.pk]))
        policy = group._checkout_policy = found[0] if found else CheckoutPolicy(group=group)
    return policy


def remember_policy(group, values) -> None:
    """The group's policy from `values` of its `POLICY_COLUMNS` (all NULL without one), read
    by the caller along with its own query: `checkout_policy` then asks nothing."""
    group._checkout_policy = (
        CheckoutPolicy.from_db(DEFAULT_DB_ALIAS, POLICY_COLUMNS, values)
        if values[0] is not None
        else CheckoutPolicy(group=group)
    )


POLICY_COLUMNS = [field.attname for field in CheckoutPolicy._meta.concrete_fields]
# Every checkout step asks (plain SQL, the group is unique: nothing to build each time).
_POLICY_SQL = (
    f"SELECT {columns_of(CheckoutPolicy)} FROM {CheckoutPolicy._meta.db_table} WHERE group_id = %s"
)


@dataclass(frozen=True)
class PaymentOption:
    code: str
    label: str
    available: bool
    reason: str = ""


def payment_options(
    *, customer, group, total: Decimal, credit: CreditStatus | None
) -> list[PaymentOption]:
    """The methods the group allows, each available or not with the reason shown."""
    policy = checkout_policy(group)
    options = []
    if policy.card and card_payments_enabled():
        options.append(PaymentOption(PaymentMethod.CARD, PaymentMethod.CARD.label, True))
    if policy.bank_transfer:
        options.append(
            PaymentOption(PaymentMethod.BANK_TRANSFER, PaymentMethod.BANK_TRANSFER.label, True)
        )
    if policy.pay_on_account and customer is not None and customer.is_authenticated:
        label = PaymentMethod.ON_ACCOUNT.label
        if credit is None or credit.terms_days <= 0:
            options.append(
                PaymentOption(
                    PaymentMethod.ON_ACCOUNT,
                    label,
                    False,
                    _("Your account has no payment terms."),
                )
            )
        elif total > credit.available:
            options.append(
                PaymentOption(
                    PaymentMethod.ON_ACCOUNT,
                    label,
                    False,
                    _("Not enough available credit: %(available)s left, this order is %(total)s.")
                    % {"available": format_money(credit.available), "total": format_money(total)},
                )
            )
        else:
            options.append(PaymentOption(PaymentMethod.ON_ACCOUNT, label, True))
    return options


def guest_checkout_allowed(group) -> bool:
    return checkout_policy(group).guest_checkout


def card_payments_enabled() -> bool:
    """Whether a card provider is configured (SHOP_CARD_PROVIDER)."""
    return CARD_VARIANT in getattr(settings, "PAYMENT_VARIANTS", {})


def bank_transfer_allowed(group) -> bool:
    return checkout_policy(group).bank_transfer


CARD_VARIANT = "card"
# A payment the buyer may still complete (its provider page can be shown again).
OPEN_STATUSES = (PaymentStatus.WAITING, PaymentStatus.INPUT)


def card_payment_by_token(token) -> CardPayment | None:
    """The payment a provider's callback names (None for an unknown or malformed token)."""
    token = str(token or "")
    if not token or len(token) > 36:
        return None
    return CardPayment.objects.filter(token=token).select_related("order").first()


def latest_card_payment(*, order) -> CardPayment | None:
    """The order's most recent card payment attempt."""
    return CardPayment.objects.filter(order=order).order_by("-created", "-id").first()


def card_payments_of(*, order) -> list[CardPayment]:
    return list(CardPayment.objects.filter(order=order).order_by("created", "id"))
