"""Card payments through django-payments: starting a payment for an order, applying what the
provider reports to the order (once), releasing card orders left unpaid, refunds.

The payments layer sits below the orders layer: it never imports it. It reaches the order
through the payment's foreign key, and the order services it must call (mark paid, cancel)
are handed in by the caller (the views and the clean-up command). Every path locks the order
row first, then its payments, so a provider callback, the buyer's return and the clean-up of
unpaid orders queue behind each other instead of racing.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from payments import PaymentError, PaymentStatus, RedirectNeeded

from core.errors import Refusal
from core.locking import lock_row, lock_rows
from core.money import format_money

from .models import CardPayment, PaymentMethod
from .selectors import CARD_VARIANT, OPEN_STATUSES, bank_transfer_allowed, card_payments_enabled

logger = logging.getLogger(__name__)

# What applying a payment to its order came to.
PAID = "paid"  # the order is paid by this payment
PENDING = "pending"  # the buyer or the provider has not finished yet
FAILED = "failed"  # refused, cancelled or in error: the buyer may try again
ATTENTION = "attention"  # money taken that cannot pay the order: a manager must refund it

# Once confirmed (or refunded), a payment never goes back: a late "failed" is ignored.
SETTLED_STATUSES = (PaymentStatus.CONFIRMED, PaymentStatus.REFUNDED)

MarkPaid = Callable[..., Any]  # shop.orders.services.order_mark_paid(*, order)
Cancel = Callable[..., Any]  # cancels an order and returns its stock (order_set_status)


def _order_model():
    """The order model, through the payment's foreign key (no import of the orders layer)."""
    return CardPayment._meta.get_field("order").related_model


def _lock_order(order_id: int):
    """The order row, locked until the end of the transaction (a test seam)."""
    return lock_row(_order_model().objects.filter(pk=order_id))


def _full_name_parts(name: str) -> tuple[str, str]:
    first, _space, last = str(name or "").strip().partition(" ")
    return first[:256], last[:256]


def _payable_refusal(order) -> str | None:
    if order.payment_method != PaymentMethod.CARD:
        return _("This order is not paid by card.")
    if order.cancelled_at is not None:
        return _("This order was cancelled.")
    if order.paid_at is not None:
        return _("This order is already paid.")
    return None


@transaction.atomic
def card_payment_start(*, order, customer_ip: str | None = None) -> CardPayment:
    """The order's open card payment, or a new one for the order's total and currency.
    Refused for an order that is paid, cancelled or not paid by card."""
    if not card_payments_enabled():
        raise Refusal(_("Card payment is not available at the moment."))
    order = _lock_order(order.pk)
    refusal = _payable_refusal(order)
    if refusal is not None:
        raise Refusal(refusal)
    open_payment = (
        CardPayment.objects.filter(
            order=order,
            variant=CARD_VARIANT,
            status__in=OPEN_STATUSES,
            total=order.total,
            currency=order.currency,
        )
        .order_by("-created", "-id")
        .first()
    )
    if open_payment is not None:
        return open_payment
    billing = order.billing_address or {}
    first_name, last_name = _full_name_parts(billing.get("full_name", ""))
    payment = CardPayment(
        order=order,
        variant=CARD_VARIANT,
        total=order.total,
        currency=order.currency,
        tax=order.tax_total,
        delivery=order.shipping_net + order.shipping_tax,
        description=_("Order %(number)s") % {"number": order.number},
        billing_first_name=first_name,
        billing_last_name=last_name,
        billing_address_1=str(billing.get("line1", ""))[:256],
        billing_address_2=str(billing.get("line2", ""))[:256],
        billing_city=str(billing.get("city", ""))[:256],
        billing_postcode=str(billing.get("postal_code", ""))[:256],
        billing_country_code=str(billing.get("country", ""))[:2],
        billing_email=order.email,
        customer_ip_address=customer_ip or None,
    )
    payment.save()
    return payment


@dataclass
class Processed:
    """What a provider step returned and what it meant for the order."""

    payment: CardPayment
    outcome: str
    result: Any = None  # the step's return value (a form, a response)
    redirect_url: str = ""  # where the provider asked to send the buyer
    error: str = ""  # a provider failure, for the buyer


def card_payment_process(
    *, payment: CardPayment, step: Callable[[CardPayment], Any], mark_paid: MarkPaid
) -> Processed:
    """Run a provider step on `payment` (showing or posting its form, a callback), then apply
    the payment's status to the order: a confirmed payment marks it paid through `mark_paid`,
    once. Replays, late failures after a confirmation, and confirmations the order cannot take
    (cancelled, already paid, another amount) change nothing on the order; the last ones flag
    the payment for a manager."""
    with transaction.atomic():
        order = _lock_order(payment.order_id)
        payment = lock_row(CardPayment.objects.filter(pk=payment.pk).select_related("order"))
        payment.order = order
        before = payment.status
        processed = Processed(payment=payment, outcome=PENDING)
        try:
            processed.result = step(payment)
        except RedirectNeeded as redirect:
            processed.redirect_url = str(redirect)
        except (PaymentError, OSError) as error:
            logger.warning("Card payment %s: provider error: %s", payment.pk, error)
            processed.error = _(
                "The payment provider could not process the payment. No money was taken "
                "unless the provider confirms it; please try again."
            )
        _keep_settled_status(payment, before)
        processed.outcome = _apply(payment=payment, order=order, mark_paid=mark_paid)
    return processed


def _keep_settled_status(payment: CardPayment, before: str) -> None:
    """A payment confirmed (or refunded) stays so: a callback arriving out of order, a replay
    of an old "rejected", does not undo it. The late status is kept in the message."""
    if before in SETTLED_STATUSES and payment.status not in SETTLED_STATUSES:
        late = payment.status
        payment.status = before
        payment.message = f"Ignored a late status {late!r} after {before!r}."
        payment.save(update_fields=["status", "message", "modified"])


def _flag(payment: CardPayment, reason: str) -> str:
    logger.warning("Card payment %s needs attention: %s", payment.pk, reason)
    payment.attention = True
    payment.attention_reason = reason[:300]
    payment.save(update_fields=["attention", "attention_reason", "modified"])
    return ATTENTION


def _apply(*, payment: CardPayment, order, mark_paid: MarkPaid) -> str:
    """The order and its payment row are locked by the caller."""
    if payment.status in OPEN_STATUSES or payment.status == PaymentStatus.PREAUTH:
        return PENDING
    if payment.status != PaymentStatus.CONFIRMED:
        return PAID if payment.settled_at else FAILED
    if payment.settled_at is not None:
        return PAID  # this confirmation was applied already: a replay
    if payment.attention:
        return ATTENTION
    if payment.captured_amount <= 0:
        # Captured in full when confirmed (no pre-authorisation is asked for).
        payment.captured_amount = payment.total
        payment.save(update_fields=["captured_amount", "modified"])
    if payment.total != order.total or payment.currency.upper() != order.currency.upper():
        return _flag(
            payment,
            _("Paid %(paid)s %(currency)s for an order of %(total)s: refund it.")
            % {
                "paid": payment.total,
                "currency": payment.currency,
                "total": format_money(order.total),
            },
        )
    if order.cancelled_at is not None:
        return _flag(payment, _("Paid after the order was cancelled: refund it."))
    if order.paid_at is not None:
        return _flag(payment, _("The order was already paid otherwise: refund this payment."))
    try:
        mark_paid(order=order)
    except Refusal as refusal:
        return _flag(payment, _("%(reason)s Refund it.") % {"reason": refusal.message})
    payment.settled_at = timezone.now()
    payment.save(update_fields=["settled_at", "modified"])
    return PAID


def _cancel_open_payments(payments: list[CardPayment]) -> None:
    """Ask the provider to drop payments the buyer has not completed (a Stripe Checkout
    session expires), so none of them can be paid afterwards."""
    for payment in payments:
        if payment.status not in OPEN_STATUSES:
            continue
        try:
            payment.cancel()
        except (PaymentError, ValueError, OSError) as error:
            logger.warning("Card payment %s could not be cancelled: %s", payment.pk, error)


@dataclass
class Release:
    """What the clean-up did: order numbers cancelled, and those found paid meanwhile."""

    cancelled: list[str] = field(default_factory=list)
    paid: list[str] = field(default_factory=list)


def unpaid_card_order_ids(*, placed_before) -> list[int]:
    Order = _order_model()
    return list(
        Order.objects.filter(
            payment_method=PaymentMethod.CARD,
            paid_at=None,
            cancelled_at=None,
            placed_at__lt=placed_before,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def card_order_release(
    *, order_id: int, placed_before, cancel: Cancel, mark_paid: MarkPaid
) -> str | None:
    """Cancel one card order still unpaid (its stock goes back through `cancel`). Under the
    order's lock: an order paid meanwhile is left alone, and a payment the provider confirmed
    but nobody applied yet pays the order instead. Returns "cancelled", "paid" or None."""
    order = _lock_order(order_id)
    if order is None or _payable_refusal(order) is not None or order.placed_at >= placed_before:
        return None
    payments = lock_rows(CardPayment.objects.filter(order=order))
    for payment in payments:
        payment.order = order
        confirmed = payment.status == PaymentStatus.CONFIRMED and payment.settled_at is None
        if confirmed and _apply(payment=payment, order=order, mark_paid=mark_paid) == PAID:
            return PAID
    _cancel_open_payments(payments)
    cancel(order=order)
    return "cancelled"


def card_orders_release(
    *, older_than: timedelta, cancel: Cancel, mark_paid: MarkPaid, now=None
) -> Release:
    """Cancel the card orders still unpaid `older_than` after placement, one transaction each
    (a failure leaves the others done)."""
    placed_before = (now or timezone.now()) - older_than
    release = Release()
    Order = _order_model()
    for order_id in unpaid_card_order_ids(placed_before=placed_before):
        result = card_order_release(
            order_id=order_id, placed_before=placed_before, cancel=cancel, mark_paid=mark_paid
        )
        if result is None:
            continue
        number = Order.objects.filter(pk=order_id).values_list("number", flat=True).first()
        (release.paid if result == PAID else release.cancelled).append(number)
    return release


@transaction.atomic
def card_order_switch_to_bank_transfer(*, order):
    """The buyer gives up paying by card and pays the unpaid order by bank transfer instead
    (when the group allows it): its open card payments are dropped at the provider."""
    order = _lock_order(order.pk)
    refusal = _payable_refusal(order)
    if refusal is not None:
        raise Refusal(refusal)
    if not bank_transfer_allowed(order.group):
        raise Refusal(_("Bank transfer is not available for this order."))
    payments = lock_rows(CardPayment.objects.filter(order=order))
    if any(payment.status in SETTLED_STATUSES for payment in payments):
        raise Refusal(_("Your card payment went through: this order needs no bank transfer."))
    _cancel_open_payments(payments)
    order.payment_method = PaymentMethod.BANK_TRANSFER
    order.save(update_fields=["payment_method"])
    return order


def _refund_reference(payment: CardPayment, count: int) -> str:
    """Stripe's refund id when the provider recorded one, else a reference of our own."""
    try:
        refund = payment.attrs.refund
    except AttributeError:
        refund = None
    if refund:
        try:
            data = json.loads(refund) if isinstance(refund, str) else refund
            if data.get("id"):
                return str(data["id"])
        except (TypeError, ValueError, AttributeError):
            pass
    return f"{payment.transaction_id or payment.token}-R{count}"


def _refundable_payment(order) -> CardPayment | None:
    return (
        CardPayment.objects.filter(order=order, status=PaymentStatus.CONFIRMED)
        .order_by("-settled_at", "-created", "-id")
        .first()
    )


@transaction.atomic
def card_refund(*, amount: Decimal, payment: CardPayment | None = None, order=None) -> str:
    """Refund `amount` of a confirmed card payment (the one given, or the order's) through
    its provider. Returns the refund's reference; raises Refusal with the reason otherwise."""
    if payment is None:
        payment = _refundable_payment(order) if order is not None else None
        if payment is None:
            raise Refusal(_("This order has no card payment to refund."))
    payment = lock_row(CardPayment.objects.filter(pk=payment.pk))
    try:
        amount = Decimal(amount).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError):
        raise Refusal(_("Enter the amount to refund.")) from None
    if amount <= 0:
        raise Refusal(_("Enter an amount to refund greater than zero."))
    if payment.status != PaymentStatus.CONFIRMED:
        raise Refusal(
            _("This card payment cannot be refunded: it is %(status)s.")
            % {"status": payment.get_status_display().lower()}
        )
    if amount > payment.captured_amount:
        raise Refusal(
            _("At most %(amount)s of this card payment can still be refunded.")
            % {"amount": format_money(payment.captured_amount)}
        )
    try:
        refunds = list(payment.attrs.refunds)
    except AttributeError:
        refunds = []
    try:
        payment.refund(amount)
    except (PaymentError, ValueError, OSError, NotImplementedError) as error:
        logger.warning("Card payment %s: refund of %s refused: %s", payment.pk, amount, error)
        raise Refusal(
            _("The payment provider refused the refund of %(amount)s: %(reason)s")
            % {"amount": format_money(amount), "reason": error}
        ) from error
    reference = _refund_reference(payment, len(refunds) + 1)
    refunds.append(
        {"reference": reference, "amount": str(amount), "at": timezone.now().isoformat()}
    )
    payment.attrs.refunds = refunds
    payment.save(update_fields=["extra_data", "modified"])
    return reference
