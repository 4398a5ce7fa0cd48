"""Refunds: money given back on a paid order, by units of its lines and its shipping.

`order_refund` runs in one transaction holding the order's row lock: it checks what is left
to refund, records the Refund and its lines, optionally puts the units back in stock (never
twice: units returned by a refund are not returned again by a cancellation, and nothing is
returned once `order.stock_returned`), issues a credit note on the invoice and emails the buyer
once it commits.

Amounts: the units of a line are refunded at their share of the line's net (after its share of
the cart discount) and of its VAT, rounded half up, so that refunding a line's units in any
steps adds up exactly to the line: the k-th refunded unit costs share(k) - share(k - 1). The
refunds of an order therefore never exceed what it was sold for, and for an invoiced order that
is not cancelled the credit notes add up to the refunds."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Refusal
from core.locking import lock_row, lock_rows
from shop.catalog.alerts.services import stock_alerts_notify
from shop.catalog.models import Product
from shop.invoices import services as invoice_services
from shop.invoices.documents import DocumentLine
from shop.invoices.models import CreditNote, Invoice
from shop.payments import services as payment_services

from .. import emails
from ..models import Order, OrderEmailKind, OrderLine, OrderStatus, Refund, RefundLine

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CARD = "card"


def _share(total: Decimal, units: int, quantity: int) -> Decimal:
    if units >= quantity:
        return total
    return (total * units / quantity).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RefundableLine:
    line: OrderLine
    refunded: int
    returned: int  # units already back in stock through refunds

    @property
    def remaining(self) -> int:
        return self.line.quantity - self.refunded

    def amounts(self, units: int) -> tuple[Decimal, Decimal]:
        """(net, tax) of refunding `units` more of the line."""
        line, before, after = self.line, self.refunded, self.refunded + units
        net = line.line_total - line.discount_share
        return (
            _share(net, after, line.quantity) - _share(net, before, line.quantity),
            _share(line.tax, after, line.quantity) - _share(line.tax, before, line.quantity),
        )


@dataclass(frozen=True)
class RefundState:
    """What an order was paid, what was refunded and what is left (a read: 3 queries)."""

    order: Order
    lines: list[RefundableLine]
    shipping_refunded: bool
    refunded_total: Decimal

    @property
    def shipping_total(self) -> Decimal:
        return self.order.shipping_net + self.order.shipping_tax

    @property
    def remaining_total(self) -> Decimal:
        return self.order.total - self.refunded_total

    @property
    def fully_refunded(self) -> bool:
        shipping_left = self.shipping_total and not self.shipping_refunded
        return not shipping_left and all(line.remaining == 0 for line in self.lines)


def refund_state(*, order: Order) -> RefundState:
    refunded: dict[int, int] = {}
    returned: dict[int, int] = {}
    shipping_refunded = False
    for line_id, quantity, stock in RefundLine.objects.filter(refund__order=order).values_list(
        "order_line_id", "quantity", "refund__return_stock"
    ):
        if line_id is None:
            shipping_refunded = True
            continue
        refunded[line_id] = refunded.get(line_id, 0) + quantity
        if stock:
            returned[line_id] = returned.get(line_id, 0) + quantity
    total = Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"] or ZERO
    return RefundState(
        order=order,
        lines=[
            RefundableLine(line, refunded.get(line.pk, 0), returned.get(line.pk, 0))
            for line in OrderLine.objects.filter(order=order).order_by("id")
        ],
        shipping_refunded=shipping_refunded,
        refunded_total=total,
    )


def returned_units(*, order: Order) -> dict[int, int]:
    """Units of each line already put back in stock by refunds (the cancellation skips them)."""
    return dict(
        RefundLine.objects.filter(refund__order=order, refund__return_stock=True)
        .exclude(order_line=None)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_line_id", "units")
    )


def refund_refusal(*, order: Order) -> str | None:
    """Why `order` cannot be refunded at all now (None when it can)."""
    if order.paid_at is None:
        return _("Only a paid order can be refunded: cancel an unpaid order instead.")
    return None


def _pay_back(*, order: Order, amount: Decimal) -> str:
    """Give the money back through the way it was paid; the provider's reference, if any.
    Bank transfers and payments on account are paid back by the shop's accountant (the
    refund records it); card payments go back through the payment provider."""
    if order.payment_method == CARD:
        return payment_services.card_refund(order=order, amount=amount)
    return ""


def _put_back(order: Order, stock: list[tuple[OrderLine, int]], *, site_url: str) -> None:
    """Returned units go back to stock; who waits for a product back in stock is told."""
    units: dict[int, int] = {}
    for line, quantity in stock:
        if line.product_id is not None:
            units[line.product_id] = units.get(line.product_id, 0) + quantity
    tracked = lock_rows(Product.objects.filter(pk__in=list(units), track_stock=True))
    for product in tracked:
        Product.objects.filter(pk=product.pk).update(stock=F("stock") + units[product.pk])
    stock_alerts_notify(product_ids=[product.pk for product in tracked], site_url=site_url)


@transaction.atomic
def order_refund(
    *,
    order: Order,
    quantities: dict[int, int],
    shipping: bool = False,
    return_stock: bool = False,
    by=None,
    reason: str = "",
    site_url: str = "",
) -> Refund:
    """Refund `quantities` (order line id -> units) and, with `shipping`, the shipping. Refused
    (Refusal, a message for the manager) beyond what is left or for nothing at all."""
    order = lock_row(Order.objects.filter(pk=order.pk))
    refusal = refund_refusal(order=order)
    if refusal is not None:
        raise Refusal(refusal)
    state = refund_state(order=order)
    by_id = {entry.line.pk: entry for entry in state.lines}
    chosen: list[tuple[RefundableLine, int]] = []
    for line_id, units in quantities.items():
        entry = by_id.get(line_id)
        if entry is None:
            raise Refusal(_("This line is not part of the order."))
        if not isinstance(units, int) or units < 0:
            raise Refusal(_("Enter a number of units of 0 or more."))
        if units > entry.remaining:
            raise Refusal(
                ngettext(
                    "%(name)s: at most %(count)s unit left to refund.",
                    "%(name)s: at most %(count)s units left to refund.",
                    entry.remaining,
                )
                % {"name": entry.line.name, "count": entry.remaining}
            )
        if units:
            chosen.append((entry, units))
    refund_shipping = bool(shipping and state.shipping_total and not state.shipping_refunded)
    if shipping and not refund_shipping:
        raise Refusal(_("There is no shipping left to refund on this order."))
    if not chosen and not refund_shipping:
        raise Refusal(_("Choose at least one unit or the shipping to refund."))

    rows = [(entry, units, *entry.amounts(units)) for entry, units in chosen]
    net = sum((row[2] for row in rows), ZERO)
    tax = sum((row[3] for row in rows), ZERO)
    if refund_shipping:
        net, tax = net + order.shipping_net, tax + order.shipping_tax
    amount = net + tax
    if amount <= 0:
        raise Refusal(_("Choose at least one unit or the shipping to refund."))
    if state.refunded_total + amount > order.total:  # the shares make this impossible
        raise Refusal(_("This would refund more than was paid for the order."))

    put_back = return_stock and not order.stock_returned
    refund = Refund.objects.create(
        order=order,
        net=net,
        tax=tax,
        amount=amount,
        method=order.payment_method,
        return_stock=put_back,
        reason=str(reason or "")[:300],
        created_by=by if by is not None and by.pk else None,
        created_by_email=getattr(by, "email", "") or "",
    )
    RefundLine.objects.bulk_create(
        [
            RefundLine(refund=refund, order_line=entry.line, quantity=units, net=n, tax=t)
            for entry, units, n, t in rows
        ]
        + (
            [RefundLine(refund=refund, quantity=1, net=order.shipping_net, tax=order.shipping_tax)]
            if refund_shipping
            else []
        )
    )
    if put_back:
        _put_back(order, [(entry.line, units) for entry, units, _n, _t in rows], site_url=site_url)
        now_back = {entry.line.pk: units for entry, units in chosen}
        if all(
            entry.returned + now_back.get(entry.line.pk, 0) >= entry.line.quantity
            for entry in state.lines
        ):
            order.stock_returned = True
            order.save(update_fields=["stock_returned"])
    refund.credit_note = _credit(order, refund, rows, refund_shipping)
    refund.provider_reference = _pay_back(order=order, amount=amount)
    refund.save(update_fields=["credit_note", "provider_reference"])
    transaction.on_commit(partial(refund_send_notice, refund_id=refund.pk, site_url=site_url))
    return refund


def _credit(order, refund, rows, refund_shipping) -> CreditNote | None:
    """The credit note of the refund, on the order's invoice. None without an invoice, or for a
    cancelled order: its cancellation already credited the whole invoice."""
    invoice = Invoice.objects.filter(order_id=order.pk).first()
    if invoice is None or order.status == OrderStatus.CANCELLED:
        return None
    lines = [
        DocumentLine(
            description=entry.line.name,
            sku=entry.line.sku,
            quantity=units,
            unit_price=entry.line.unit_price,
            amount=net,
            tax_rate=entry.line.tax_rate,
            tax=tax,
        )
        for entry, units, net, tax in rows
    ]
    if refund_shipping:
        lines.append(
            DocumentLine(
                description=_("Shipping: %(method)s") % {"method": order.shipping_method_name},
                quantity=1,
                unit_price=order.shipping_net,
                amount=order.shipping_net,
                tax_rate=order.shipping_tax_rate,
                tax=order.shipping_tax,
            )
        )
    return invoice_services.credit_note_issue(
        invoice=invoice, reason=CreditNote.Reason.REFUND, lines=lines, note=refund.reason
    )


def refund_send_notice(*, refund_id: int, site_url: str = "") -> None:
    """The refund email, in the order's language (`emails.order_email_send`)."""
    refund = Refund.objects.select_related("order", "credit_note").get(pk=refund_id)
    emails.order_email_send(
        order=refund.order, kind=OrderEmailKind.REFUNDED, site_url=site_url, refund=refund
    )
