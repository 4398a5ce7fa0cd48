"""Issuing invoices and credit notes, each with the next number of its sequence for the year.

A number is taken from the (kind, year) counter row, locked until the issuing transaction
ends: concurrent issues queue, none gets a number twice and, since the counter moves in the
same transaction as the document it numbers, a rolled-back issue gives its number back and the
sequence has no gap. Callers issue inside their own transaction (payment, placement on
account, cancellation, refund), holding the order's row lock."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_row
from shop.seller.selectors import seller_identity

from .documents import ZERO, DocumentLine, InvoiceDraft, VatRow, line_json, to_json, vat_rows_of
from .models import CreditNote, DocumentCounter, DocumentKind, Invoice


def _counter(*, kind: str, year: int) -> DocumentCounter:
    """The counter row of (kind, year), created at the first issue of the year, locked until
    the transaction ends. (The concurrency tests replace this with an unlocked read.)"""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    return lock_row(DocumentCounter.objects.filter(kind=kind, year=year))


def _next_sequence(*, kind: str, year: int) -> int:
    counter = _counter(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def invoice_issue(*, draft: InvoiceDraft) -> Invoice:
    """The order's invoice, numbered now; the existing one when it was already issued (the
    caller holds the order's lock, the one-to-one constraint is the last line of defence)."""
    existing = Invoice.objects.filter(order_id=draft.order_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = _next_sequence(kind=DocumentKind.INVOICE, year=today.year)
    number = Invoice.NUMBER_FORMAT.format(year=today.year, sequence=sequence)
    document = {
        "kind": DocumentKind.INVOICE,
        "number": number,
        "issue_date": today.isoformat(),
        "order_number": draft.order_number,
        "order_date": draft.order_date.isoformat(),
        "currency": draft.currency,
        "seller": seller_identity(with_bank=draft.payment.bank_transfer),
        "buyer": to_json(draft.buyer),
        "lines": [line_json(line) for line in draft.lines],
        "discount_name": draft.discount_name,
        "vat_rows": [to_json(row) for row in draft.vat_rows],
        "net_total": str(draft.net_total),
        "tax_total": str(draft.tax_total),
        "total": str(draft.total),
        "vat_mention": draft.vat_mention,
        "payment": to_json(draft.payment),
        **to_json(draft.extra),
    }
    return Invoice.objects.create(
        order_id=draft.order_id,
        number=number,
        year=today.year,
        sequence=sequence,
        issued_at=now,
        issue_date=today,
        currency=draft.currency,
        net_total=draft.net_total,
        tax_total=draft.tax_total,
        total=draft.total,
        document=document,
    )


def _credited(invoice: Invoice) -> tuple[Decimal, Decimal]:
    sums = invoice.credit_notes.aggregate(net=Sum("net_total"), tax=Sum("tax_total"))
    return sums["net"] or ZERO, sums["tax"] or ZERO


def _remaining_rows(invoice: Invoice) -> list[VatRow]:
    """What is left to credit of the invoice, per rate."""
    left: dict[Decimal, list[Decimal]] = {}
    for row in invoice.document.get("vat_rows", []):
        entry = left.setdefault(Decimal(row["rate"]), [ZERO, ZERO])
        entry[0] += Decimal(row["net"])
        entry[1] += Decimal(row["tax"])
    for note in invoice.credit_notes.all():
        for row in note.document.get("vat_rows", []):
            entry = left.setdefault(Decimal(row["rate"]), [ZERO, ZERO])
            entry[0] -= Decimal(row["net"])
            entry[1] -= Decimal(row["tax"])
    return [
        VatRow(rate, net, tax)
        for rate, (net, tax) in sorted(left.items(), reverse=True)
        if net > 0 or tax > 0
    ]


@transaction.atomic
def credit_note_issue(
    *,
    invoice: Invoice,
    reason: str,
    lines: list[DocumentLine] | None = None,
    note: str = "",
) -> CreditNote | None:
    """A credit note on `invoice`: for `lines` (a refund), or, without lines, for all that is
    left of the invoice (a cancellation; None when nothing is left). Never more than the
    invoice: refused beyond what is left to credit."""
    invoice = lock_row(Invoice.objects.filter(pk=invoice.pk))
    if lines is None:
        rows = _remaining_rows(invoice)
        if not rows:
            return None
    else:
        rows = list(vat_rows_of(lines))
    net = sum((row.net for row in rows), ZERO)
    tax = sum((row.tax for row in rows), ZERO)
    credited_net, credited_tax = _credited(invoice)
    if net + tax <= 0:
        raise Refusal(_("A credit note needs an amount."))
    if credited_net + net > invoice.net_total or credited_tax + tax > invoice.tax_total:
        raise Refusal(
            _("This would credit more than what is left of invoice %(number)s.")
            % {"number": invoice.number}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = _next_sequence(kind=DocumentKind.CREDIT_NOTE, year=today.year)
    number = CreditNote.NUMBER_FORMAT.format(year=today.year, sequence=sequence)
    source = invoice.document
    document = {
        "kind": DocumentKind.CREDIT_NOTE,
        "number": number,
        "issue_date": today.isoformat(),
        "reason": reason,
        "note": note,
        "invoice_number": invoice.number,
        "invoice_date": invoice.issue_date.isoformat(),
        "order_number": source.get("order_number", ""),
        "currency": invoice.currency,
        # The parties as the invoice named them: a credit note corrects that invoice.
        "seller": {key: value for key, value in source["seller"].items() if key != "bank"},
        "buyer": source["buyer"],
        "lines": [line_json(line) for line in lines or []],
        "vat_rows": [to_json(row) for row in rows],
        "net_total": str(net),
        "tax_total": str(tax),
        "total": str(net + tax),
        "vat_mention": source.get("vat_mention", ""),
    }
    return CreditNote.objects.create(
        invoice=invoice,
        number=number,
        year=today.year,
        sequence=sequence,
        reason=reason,
        issued_at=now,
        issue_date=today,
        net_total=net,
        tax_total=tax,
        total=net + tax,
        document=document,
    )
