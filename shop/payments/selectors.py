"""Which payment methods a buyer may use for an order, each available or not with the reason
shown, and whether the group may check out as guests."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import format_money

from .models import CheckoutPolicy, PaymentMethod


@dataclass(frozen=True)
class CreditStatus:
    """A customer's payment terms and credit: what paying on account depends on."""

    terms_days: int
    limit: Decimal
    used: Decimal

    @property
    def available(self) -> Decimal:
        return max(self.limit - self.used, Decimal("0.00"))


def checkout_policy(group) -> CheckoutPolicy:
    """The group's policy, or the defaults (guest checkout, bank transfer) when it has none."""
    return CheckoutPolicy.objects.filter(group=group).first() or CheckoutPolicy(group=group)


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
