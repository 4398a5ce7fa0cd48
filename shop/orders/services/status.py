"""The only changes an order accepts after placement: its status, its payment record and the
parcel it ships in.

Receiving the payment issues the order's invoice, in the same transaction; cancelling an
invoiced order issues a credit note for what is left of its invoice, in the same transaction.
The customer is emailed (payment received, shipped, cancelled) once the change commits."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_row, lock_rows
from shop.catalog.alerts.services import stock_alerts_notify
from shop.catalog.models import Product
from shop.payments.models import PaymentMethod

from .. import carriers, emails
from ..models import Order, OrderEmailKind, OrderStatus
from . import invoicing, refunds

# Where each status may go next. Paying is recorded separately (`paid_at`), so an order on
# account can ship before it is paid; "paid" as a status is the step before shipping.
TRANSITIONS = {
    OrderStatus.PLACED: {OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.PAID: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.COMPLETED},
    OrderStatus.COMPLETED: set(),
    OrderStatus.CANCELLED: set(),
}


def _locked_order(order: Order) -> Order:
    return lock_row(Order.objects.filter(pk=order.pk))


def order_status_refusal(*, order: Order, status: str) -> str | None:
    """Why `order` cannot move to `status` now (None when it can, or already is there). A read:
    the admin form asks it to answer in the form; `order_set_status` asks it again, locked."""
    if status == order.status:
        return None
    if status not in TRANSITIONS.get(order.status, set()):
        return _("An order that is %(current)s cannot become %(new)s.") % {
            "current": OrderStatus(order.status).label.lower(),
            "new": OrderStatus(status).label.lower() if status in OrderStatus else status,
        }
    unpaid = order.paid_at is None and order.payment_method != PaymentMethod.ON_ACCOUNT
    if status == OrderStatus.SHIPPED and unpaid:
        return _("Mark the order paid before shipping it.")
    return None


def order_next_statuses(*, order: Order) -> list[str]:
    """The statuses `order` may move to now, in workflow order."""
    return [
        status
        for status in OrderStatus.values
        if status != order.status and order_status_refusal(order=order, status=status) is None
    ]


EMAILED_STATUSES = {
    OrderStatus.SHIPPED: OrderEmailKind.SHIPPED,
    OrderStatus.CANCELLED: OrderEmailKind.CANCELLED,
}


@transaction.atomic
def order_set_status(*, order: Order, status: str, site_url: str = "") -> Order:
    """Move an order along placed -> paid -> shipped -> completed, or cancel it before it
    ships. Only orders on account may ship unpaid. Cancelling puts the stock back, once.
    `site_url` is the base of the links in the customer's email."""
    order = _locked_order(order)
    if status == order.status:
        return order
    refusal = order_status_refusal(order=order, status=status)
    if refusal is not None:
        raise Refusal(refusal)
    now = timezone.now()
    if status == OrderStatus.PAID:
        if order.paid_at is None:
            emails.order_email_later(order=order, kind=OrderEmailKind.PAID, site_url=site_url)
        order.paid_at = order.paid_at or now
        invoicing.order_invoice_issue(order=order)
    elif status == OrderStatus.SHIPPED:
        order.shipped_at = now
    elif status == OrderStatus.COMPLETED:
        order.completed_at = now
    elif status == OrderStatus.CANCELLED:
        order.cancelled_at = now
        _return_stock(order, site_url=site_url)
        invoicing.order_credit_remaining(order=order, reason="cancellation")
    order.status = status
    order.save(
        update_fields=[
            "status",
            "paid_at",
            "shipped_at",
            "completed_at",
            "cancelled_at",
            "stock_returned",
        ]
    )
    if status in EMAILED_STATUSES:
        emails.order_email_later(order=order, kind=EMAILED_STATUSES[status], site_url=site_url)
    return order


@transaction.atomic
def order_ship(
    *,
    order: Order,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    site_url: str = "",
) -> Order:
    """Mark the order shipped with its parcel: a carrier of `settings.SHOP_CARRIERS` (its
    code), the tracking number and a tracking link (else the carrier's), all optional; the
    shipped email gives them to the customer. Refused like `order_set_status`, and for
    parcel details that are not valid (`carriers.parcel_clean`)."""
    order = _locked_order(order)
    refusal = order_status_refusal(order=order, status=OrderStatus.SHIPPED)
    if order.status == OrderStatus.SHIPPED:
        refusal = _("This order is already shipped.")
    if refusal is not None:
        raise Refusal(refusal)
    parcel = carriers.parcel_clean(
        carrier=carrier, tracking_number=tracking_number, tracking_url=tracking_url
    )
    order.carrier = parcel.carrier
    order.tracking_number = parcel.tracking_number
    order.tracking_url = parcel.tracking_url
    order.save(update_fields=["carrier", "tracking_number", "tracking_url"])
    return order_set_status(order=order, status=OrderStatus.SHIPPED, site_url=site_url)


@transaction.atomic
def order_mark_paid(*, order: Order, site_url: str = "") -> Order:
    """Record the payment and issue the invoice (once); a placed order also moves to "paid"
    (a shipped order on account keeps its status, its invoice was issued at placement). The
    customer is told once, when the payment is first recorded: a replayed provider callback
    or a second click sends nothing."""
    order = _locked_order(order)
    if order.status == OrderStatus.CANCELLED:
        raise Refusal(_("A cancelled order cannot be paid."))
    if order.paid_at is None:
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at"])
        emails.order_email_later(order=order, kind=OrderEmailKind.PAID, site_url=site_url)
    invoicing.order_invoice_issue(order=order)
    if order.status == OrderStatus.PLACED:
        return order_set_status(order=order, status=OrderStatus.PAID, site_url=site_url)
    return order


def _return_stock(order: Order, *, site_url: str) -> None:
    """Put the units back (products locked in id order), at most once per order, less the
    units refunds already put back; who waits for a product back in stock is told."""
    if order.stock_returned:
        return
    lines = list(order.lines.exclude(product=None).order_by("product_id"))
    back = refunds.returned_units(order=order)
    tracked = {
        product.pk
        for product in lock_rows(
            Product.objects.filter(pk__in=[line.product_id for line in lines], track_stock=True)
        )
    }
    for line in lines:
        units = line.quantity - back.get(line.pk, 0)
        if line.product_id in tracked and units > 0:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + units)
    stock_alerts_notify(product_ids=tracked, site_url=site_url)
    order.stock_returned = True
