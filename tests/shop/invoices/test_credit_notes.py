"""Credit notes: cancelling an invoiced order credits what is left of its invoice, in the same
transaction, with a number of its own sequence; the buyer downloads it like the invoice."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop.models import CreditNote, Order
from shop.orders import services as order_services
from tests.factories import UserFactory

from .conftest import order_with_lines, paid_order, pdf_of, readable

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year  # the year invoices are numbered in


def test_cancelling_an_invoiced_order_issues_a_credit_note_for_the_whole_invoice(seller):
    order = paid_order(lines=2)
    order_services.order_set_status(order=order, status="cancelled")
    note = CreditNote.objects.get()
    assert note.number == f"CN-{YEAR}-000001" and note.invoice == order.invoice
    assert (note.net_total, note.tax_total, note.total) == (
        Decimal("20.00"),
        Decimal("4.00"),
        Decimal("24.00"),
    )
    assert note.reason == "cancellation"
    # Cancelling again changes nothing.
    order_services.order_set_status(order=order, status="cancelled")
    assert CreditNote.objects.count() == 1


def test_credit_notes_have_their_own_sequence(seller):
    first, second = paid_order(), paid_order()
    assert second.invoice.number == f"{YEAR}-000002"
    order_services.order_set_status(order=second, status="cancelled")
    order_services.order_set_status(order=first, status="cancelled")
    numbers = dict(CreditNote.objects.values_list("invoice__order__number", "number"))
    assert numbers == {second.number: f"CN-{YEAR}-000001", first.number: f"CN-{YEAR}-000002"}


def test_cancelling_an_order_without_invoice_issues_no_credit_note(seller):
    order = order_with_lines()
    order_services.order_set_status(order=order, status="cancelled")
    assert not CreditNote.objects.exists()


def test_a_cancellation_rolled_back_takes_its_credit_note_with_it(seller):
    order = paid_order()
    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.order_set_status(order=order, status="cancelled")
        raise RuntimeError("after the credit note")
    assert not CreditNote.objects.exists()
    assert Order.objects.get(pk=order.pk).status == "paid"
    order_services.order_set_status(order=order, status="cancelled")
    assert CreditNote.objects.get().number == f"CN-{YEAR}-000001"


def test_the_credit_note_pdf_names_the_invoice_it_credits(seller):
    customer = UserFactory()
    order = paid_order(user=customer)
    order_services.order_set_status(order=order, status="cancelled")
    client = Client()
    client.force_login(customer)
    page = client.get(f"/accounts/orders/{order.number}/").content.decode()
    url = f"/accounts/orders/{order.number}/credit-notes/CN-{YEAR}-000001.pdf"
    assert url in page and f"Credit note CN-{YEAR}-000001 (PDF)" in page
    text = pdf_of(client, url)
    for expected in [
        f"Credit note CN-{YEAR}-000001",
        f"Invoice credited: {YEAR}-000001",
        f"Cancellation of invoice {YEAR}-000001",
        "Comptoir SAS",
        "FR40303265045",
        "Alice Martin",
        "Total credited",
        "€12.00",
    ]:
        assert expected in text, (expected, text)


def test_credit_notes_of_other_orders_are_404(seller):
    alice, bob = UserFactory(), UserFactory()
    alice_order, bob_order = paid_order(user=alice), paid_order(user=bob)
    guest_order = paid_order()
    for order in (alice_order, bob_order, guest_order):
        order_services.order_set_status(order=order, status="cancelled")
    bob_note = CreditNote.objects.get(invoice__order=bob_order).number
    guest_note = CreditNote.objects.get(invoice__order=guest_order).number
    client = Client()
    client.force_login(alice)
    for url in [
        f"/accounts/orders/{alice_order.number}/credit-notes/{bob_note}.pdf",
        f"/accounts/orders/{bob_order.number}/credit-notes/{bob_note}.pdf",
        f"/accounts/orders/{alice_order.number}/credit-notes/CN-NOPE.pdf",
        f"/accounts/orders/{alice_order.number}/credit-notes/{'x' * 300}.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    guest = f"/orders/{guest_order.number}/{guest_order.access_token}/credit-notes/"
    assert Client().get(f"{guest}{guest_note}.pdf").status_code == 200
    assert Client().get(f"{guest}{bob_note}.pdf").status_code == 404
    wrong = f"/orders/{guest_order.number}/wrong/credit-notes/{guest_note}.pdf"
    assert Client().get(wrong).status_code == 404


def test_an_order_on_account_cancelled_before_payment_is_credited(seller):
    order = order_with_lines(payment_method="on_account")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        order_services.order_invoice_issue(order=locked)  # as placement does
    order_services.order_set_status(order=order, status="cancelled")
    assert CreditNote.objects.get().total == Decimal("12.00")


def test_a_credit_note_read_in_arabic_has_arabic_labels_and_numbers_in_order(seller):
    customer = UserFactory()
    order = paid_order(user=customer)
    order_services.order_set_status(order=order, status="cancelled")
    client = Client()
    client.force_login(customer)
    client.cookies["django_language"] = "ar"
    text = readable(
        pdf_of(client, f"/accounts/orders/{order.number}/credit-notes/CN-{YEAR}-000001.pdf")
    )
    with translation.override("ar"):
        title, total = _("Credit note"), _("Total credited")
    # pypdf gives the line in visual order, the number left of the Arabic title.
    assert title in text and f"CN-{YEAR}-000001 {title}" in text
    assert total in text and "Total credited" not in text
