"""An order's invoice and credit notes, described by the orders layer.

`shop.invoices` sits below the orders and knows nothing of them: it numbers, stores and prints
documents. This module says what an order's invoice contains (the buyer, the lines, the VAT per
rate from `selectors.vat_breakdown`, the payment terms, the VAT mention) and asks
`shop.invoices.services` to issue it, inside the caller's transaction."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop.invoices import services as invoice_services
from shop.invoices.documents import Buyer, DocumentLine, InvoiceDraft, Payment, VatRow
from shop.invoices.models import CreditNote, Invoice
from shop.payments.models import PaymentMethod

from .. import selectors
from ..models import Order

ADDRESS_KEYS = ("line1", "line2")


def _buyer(order: Order) -> Buyer:
    billing = order.billing_address if isinstance(order.billing_address, dict) else {}
    city = " ".join(
        str(billing.get(name) or "").strip() for name in ("postal_code", "city")
    ).strip()
    address = [str(billing.get(name) or "").strip() for name in ADDRESS_KEYS] + [city]
    return Buyer(
        name=str(billing.get("full_name") or "").strip(),
        company=order.company_name or str(billing.get("company") or "").strip(),
        address=tuple(line for line in address if line),
        country=str(billing.get("country") or "").strip(),
        vat_id=order.vat_id,
        email=order.email,
    )


def _lines(order: Order) -> tuple[DocumentLine, ...]:
    lines = [
        DocumentLine(
            description=line.name,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.line_total,
            discount=line.discount_share,
            tax_rate=line.tax_rate,
            tax=line.tax,
        )
        for line in order.lines.all()
    ]
    if order.shipping_net or order.shipping_tax:
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
    return tuple(lines)


def invoice_draft(order: Order) -> InvoiceDraft:
    """What the order's invoice prints, before it has a number (the lines prefetched or not:
    one query more)."""
    with translation.override(settings.LANGUAGE_CODE):
        return InvoiceDraft(
            order_id=order.pk,
            order_number=order.number,
            order_date=timezone.localdate(order.placed_at),
            currency=order.currency,
            buyer=_buyer(order),
            lines=_lines(order),
            vat_rows=tuple(
                VatRow(row.rate, row.net, row.tax) for row in selectors.vat_breakdown(order)
            ),
            net_total=order.net_total,
            tax_total=order.tax_total,
            total=order.total,
            discount_name=order.discount_name,
            vat_mention=order.vat_mention,
            payment=Payment(
                method=order.payment_method,
                label=str(order.get_payment_method_display()),
                reference=order.number,
                due_date=order.payment_due if order.is_on_account else None,
                bank_transfer=order.payment_method == PaymentMethod.BANK_TRANSFER,
            ),
        )


def order_invoice_issue(*, order: Order) -> Invoice:
    """Issue the order's invoice (or return the one issued before). Call it inside the
    transaction that holds the order's row lock: the number is taken in that transaction."""
    existing = Invoice.objects.filter(order_id=order.pk).first()
    if existing is not None:
        return existing
    return invoice_services.invoice_issue(draft=invoice_draft(order))


def order_credit_remaining(*, order: Order, reason: str) -> CreditNote | None:
    """Credit what is left of the order's invoice (a cancellation); nothing without one."""
    invoice = Invoice.objects.filter(order_id=order.pk).first()
    if invoice is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return invoice_services.credit_note_issue(invoice=invoice, reason=reason)
