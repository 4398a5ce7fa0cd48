"""The emails a customer gets about an order: confirmation, payment received, shipped,
cancelled, refund, payment reminder. Each is rendered in the order's language (the one the
customer ordered in), with the seller's footer and the link to the order (guests: its secret
link), sent through `core.emails.send_templated` once the transaction commits, and logged as
an `OrderEmail`; a mail server that is down never fails the change that sent it."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from payments.core import get_base_url

from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_row
from customers.models import User
from shop.invoices import selectors as invoice_selectors
from shop.payments.models import PaymentMethod
from shop.seller import selectors as seller_selectors

from . import selectors
from .models import Order, OrderEmail, OrderEmailKind, OrderStatus, Refund
from .services.confirmation import order_send_confirmation, order_url

TEMPLATES = {
    OrderEmailKind.PAID: "order_paid",
    OrderEmailKind.SHIPPED: "order_shipped",
    OrderEmailKind.CANCELLED: "order_cancelled",
    OrderEmailKind.REFUNDED: "refund",
    OrderEmailKind.PAYMENT_REMINDER: "order_payment_reminder",
}


def site_root() -> str:
    """The base of the links in an email sent without a request: `settings.SHOP_SITE_URL`,
    else the public address the payment provider is given (PAYMENT_HOST)."""
    return settings.SHOP_SITE_URL or get_base_url()


def payment_overdue(order: Order, today) -> bool:
    """An order on account still unpaid after its due date (a cancelled one is owed nothing)."""
    return (
        order.is_on_account
        and order.awaits_payment
        and order.payment_due is not None
        and order.payment_due < today
    )


def order_email_kinds(*, order: Order) -> list[str]:
    """The emails that apply to the order as it is now (what a manager may resend)."""
    kinds = [OrderEmailKind.PLACED]
    if order.paid_at is not None:
        kinds.append(OrderEmailKind.PAID)
    if order.shipped_at is not None and order.status != OrderStatus.CANCELLED:
        kinds.append(OrderEmailKind.SHIPPED)
    if order.status == OrderStatus.CANCELLED:
        kinds.append(OrderEmailKind.CANCELLED)
    if Refund.objects.filter(order=order).exists():
        kinds.append(OrderEmailKind.REFUNDED)
    if payment_overdue(order, timezone.localdate()):
        kinds.append(OrderEmailKind.PAYMENT_REMINDER)
    return kinds


def _context(order: Order, kind: str, refund: Refund | None) -> dict:
    if kind == OrderEmailKind.REFUNDED:
        refund = refund or order.refunds.order_by("-created_at", "-id").first()
        return {"refund": refund, "lines": list(refund.lines.select_related("order_line"))}
    if kind == OrderEmailKind.PAID:
        return {"invoice": invoice_selectors.invoice_for_order(order_id=order.pk)}
    if kind == OrderEmailKind.CANCELLED:
        refunded = Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
        return {"refunded": refunded or 0, "to_refund": order.total - (refunded or 0)}
    if kind == OrderEmailKind.PAYMENT_REMINDER:
        details = seller_selectors.shop_details()
        return {
            "bank": selectors.HowToPay(
                template="bank_transfer",
                amount=order.total,
                reference=order.number,
                account_holder=details.legal_name,
                bank_name=details.bank_name,
                iban=details.iban,
                bic=details.bic,
            )
        }
    return {}


def order_email_send(
    *, order: Order, kind: str, site_url: str = "", by=None, refund: Refund | None = None
) -> None:
    """Render and queue one email of `kind` about `order` in the order's language, and log it.
    `site_url` is the base of the links (else `site_root()`); `by`, the manager who
    resends it."""
    site_url = (site_url or site_root()).rstrip("/")
    if not order.email:
        return
    with translation.override(order.language or settings.LANGUAGE_CODE):
        if kind == OrderEmailKind.PLACED:
            order_send_confirmation(order_id=order.pk, site_url=site_url)
        else:
            send_templated(
                template=TEMPLATES[kind],
                to=[order.email],
                context={
                    "order": order,
                    "seller": seller_selectors.shop_details(),
                    "how_to_pay": selectors.how_to_pay(order),
                    "url": site_url + order_url(order),
                    **_context(order, kind, refund),
                },
            )
    OrderEmail.objects.create(
        order=order,
        kind=kind,
        to=order.email,
        sent_by=by if by is not None and by.pk else None,
        sent_by_email=getattr(by, "email", "") or "",
    )


def _send_committed(
    *, order_id: int, kind: str, site_url: str, by_id: int | None, refund_id: int | None
) -> None:
    order = Order.objects.get(pk=order_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    refund = Refund.objects.filter(pk=refund_id, order=order).first() if refund_id else None
    order_email_send(order=order, kind=kind, site_url=site_url, by=by, refund=refund)


def order_email_later(
    *, order: Order, kind: str, site_url: str = "", by=None, refund: Refund | None = None
) -> None:
    """Send the email once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(
        partial(
            _send_committed,
            order_id=order.pk,
            kind=kind,
            site_url=site_url,
            by_id=by.pk if by is not None and by.pk else None,
            refund_id=refund.pk if refund is not None else None,
        )
    )


@transaction.atomic
def order_email_resend(*, order: Order, kind: str, by, site_url: str = "") -> None:
    """A manager sends one of the order's emails again. Refused for an email that does not
    apply to the order now (a "shipped" email for an order not shipped). A reminder resent
    counts as the order's last reminder."""
    if kind not in order_email_kinds(order=order):
        raise Refusal(_("This email does not apply to the order now."))
    if kind == OrderEmailKind.PAYMENT_REMINDER:
        Order.objects.filter(pk=order.pk).update(last_reminder_at=timezone.now())
    order_email_later(order=order, kind=kind, site_url=site_url, by=by)


# --- payment reminders (`manage.py send_payment_reminders`) -------------------------------------


def _due_for_reminder(now):
    """Orders on account past their due date, unpaid, not cancelled, and not reminded in the
    last `SHOP_PAYMENT_REMINDER_DAYS` days."""
    reminded_before = now - timedelta(days=settings.SHOP_PAYMENT_REMINDER_DAYS)
    return (
        Order.objects.filter(
            payment_method=PaymentMethod.ON_ACCOUNT,
            payment_due__lt=timezone.localdate(now),
            paid_at=None,
        )
        .exclude(status=OrderStatus.CANCELLED)
        .filter(Q(last_reminder_at=None) | Q(last_reminder_at__lte=reminded_before))
    )


def orders_due_for_reminder(*, now=None) -> list[Order]:
    """The orders a payment reminder would go to now, oldest due date first."""
    return list(_due_for_reminder(now or timezone.now()).order_by("payment_due", "pk"))


@transaction.atomic
def order_payment_remind(*, order: Order, now=None, site_url: str = "") -> bool:
    """Send the order's payment reminder if it is still due one (checked again under the
    order's lock, so two runs at once send one reminder); whether it was sent."""
    now = now or timezone.now()
    order = lock_row(_due_for_reminder(now).filter(pk=order.pk))
    if order is None:
        return False
    order.last_reminder_at = now
    order.save(update_fields=["last_reminder_at"])
    order_email_later(order=order, kind=OrderEmailKind.PAYMENT_REMINDER, site_url=site_url)
    return True
