"""Reads of invoices and credit notes (each a constant number of queries)."""

from decimal import Decimal

from django.db.models import Sum

from .documents import ZERO
from .models import CreditNote, Invoice, is_credit_note_number


def invoice_for_order(*, order_id: int) -> Invoice | None:
    """The order's invoice with its credit notes (two queries), or None before it is issued."""
    return Invoice.objects.filter(order_id=order_id).prefetch_related("credit_notes").first()


def credit_note_of_order(*, order_id: int, number: str) -> CreditNote | None:
    """A credit note on the order's invoice, by its number (None for anything else)."""
    if not is_credit_note_number(number):
        return None
    return (
        CreditNote.objects.filter(invoice__order_id=order_id, number=number)
        .select_related("invoice")
        .first()
    )


def credited_total(*, order_id: int) -> Decimal:
    """The gross total of the credit notes on the order's invoice."""
    total = CreditNote.objects.filter(invoice__order_id=order_id).aggregate(total=Sum("total"))
    return total["total"] or ZERO
