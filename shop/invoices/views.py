"""Invoice and credit note PDFs for the buyer: a customer's own orders, a guest's through the
secret link. Anything else, or a document not issued yet, is 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from shop.orders import selectors as order_selectors

from . import selectors


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def invoice_response(invoice) -> HttpResponse:
    from . import pdf  # fpdf2 and its font libraries (tens of MB): loaded by the first PDF

    return pdf_response(pdf.invoice_pdf(invoice), f"invoice-{invoice.number}.pdf")


def credit_note_response(credit_note) -> HttpResponse:
    from . import pdf

    return pdf_response(pdf.credit_note_pdf(credit_note), f"credit-note-{credit_note.number}.pdf")


def _invoice(order):
    invoice = selectors.invoice_for_order(order_id=order.pk) if order is not None else None
    if invoice is None:
        raise Http404(_("No such invoice."))
    return invoice


def _credit_note(order, credit_number):
    note = None
    if order is not None:
        note = selectors.credit_note_of_order(order_id=order.pk, number=credit_number)
    if note is None:
        raise Http404(_("No such credit note."))
    return note


def _own(request, number):
    return order_selectors.order_for_customer(user=request.user, number=number)


def _guest(number, token):
    return order_selectors.order_for_guest(number=number, token=token)


@login_required
@cache_control(private=True, no_store=True)
def customer_invoice(request, number):
    return invoice_response(_invoice(_own(request, number)))


@login_required
@cache_control(private=True, no_store=True)
def customer_credit_note(request, number, credit_number):
    return credit_note_response(_credit_note(_own(request, number), credit_number))


@cache_control(private=True, no_store=True)
def guest_invoice(request, number, token):
    return invoice_response(_invoice(_guest(number, token)))


@cache_control(private=True, no_store=True)
def guest_credit_note(request, number, token, credit_number):
    return credit_note_response(_credit_note(_guest(number, token), credit_number))
