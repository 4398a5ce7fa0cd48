"""Invoices: legal documents with a gap-free number per year, issued with the payment (or at
placement on account), the seller's and the buyer's identity, downloadable as PDF.

The reported defect: the "invoice" was an HTML page of the order with no seller identity, no
invoice number and no PDF."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import CustomerProfile
from shop.invoices import services as invoice_services
from shop.models import Invoice, Order
from shop.orders import services as order_services
from shop.seller.selectors import shop_details
from shop.seller.services import shop_details_save
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    OrderFactory,
    OrderLineFactory,
    ShippingMethodFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, go_to_review, place

from .conftest import paid_order, pdf_text, readable

pytestmark = pytest.mark.django_db

YEAR = datetime.now(UTC).year


# --- numbers -----------------------------------------------------------------------------------


def test_receiving_the_payment_issues_the_next_invoice_number_of_the_year(seller):
    first, second = paid_order(), paid_order()
    assert first.invoice.number == f"{YEAR}-000001"
    assert second.invoice.number == f"{YEAR}-000002"
    assert (first.invoice.year, first.invoice.sequence) == (YEAR, 1)


def test_an_unpaid_bank_transfer_order_has_no_invoice_yet(seller):
    order = OrderFactory()
    OrderLineFactory(order=order)
    assert not Invoice.objects.filter(order=order).exists()


def test_issuing_twice_returns_the_same_invoice_and_takes_no_number(seller):
    order = paid_order()
    again = order_services.order_mark_paid(order=order)
    order_services.order_set_status(order=again, status="shipped")
    assert Invoice.objects.get().number == f"{YEAR}-000001"
    assert paid_order().invoice.number == f"{YEAR}-000002"  # no number was skipped


def test_a_rolled_back_payment_gives_its_number_back(seller):
    order = OrderFactory()
    OrderLineFactory(order=order)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.order_mark_paid(order=order)
        assert Invoice.objects.get().number == f"{YEAR}-000001"
        raise RuntimeError("the payment callback failed after the invoice")
    assert not Invoice.objects.exists()
    assert paid_order().invoice.number == f"{YEAR}-000001"  # no gap


def test_each_year_has_its_own_sequence(seller, monkeypatch):

    paid_order()
    next_year = datetime(YEAR + 1, 1, 2, 10, tzinfo=UTC)
    monkeypatch.setattr(invoice_services.timezone, "now", lambda: next_year)
    assert timezone.localdate(next_year).year == YEAR + 1
    assert paid_order().invoice.number == f"{YEAR + 1}-000001"


def test_the_database_refuses_two_invoices_with_the_same_number_of_the_year(seller):
    invoice = paid_order().invoice
    other = OrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            order=other,
            number="duplicate",
            year=invoice.year,
            sequence=invoice.sequence,
            issued_at=invoice.issued_at,
            issue_date=invoice.issue_date,
            currency="EUR",
            net_total=0,
            tax_total=0,
            total=0,
            document={},
        )


# --- what it prints ----------------------------------------------------------------------------


def test_the_pdf_carries_the_legal_identities_number_vat_and_bank_details(seller):
    order = paid_order(
        lines=2,
        billing_address={
            "full_name": "Alice Martin",
            "company": "",
            "line1": "3 rue des Lilas",
            "line2": "",
            "postal_code": "69002",
            "city": "Lyon",
            "country": "FR",
            "phone": "",
        },
    )
    client = Client()
    response = client.get(f"/orders/{order.number}/{order.access_token}/invoice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        f"Invoice {YEAR}-000001",
        "Comptoir SAS",
        "SAS au capital de 10 000 €",
        "12 rue de la République",
        "69001 Lyon",
        "VAT number: FR40303265045",
        "RCS Lyon 303 265 045",
        "Alice Martin",
        "3 rue des Lilas",
        "69002 Lyon",
        "Product 0 (SKU-0)",
        "Product 1 (SKU-1)",
        order.number,
        "20%",
        "Total net",
        "€20.00",  # net
        "€4.00",  # VAT
        "Total due",
        "FR7630006000011234567890189",
        "AGRIFRPP",
        f"Payment reference: {order.number}",
        "Late payment: 40 EUR fixed compensation.",
    ]:
        assert expected in text, (expected, text)


def test_a_later_change_of_the_shop_details_never_changes_an_issued_invoice(seller):
    order = paid_order()
    details = shop_details()
    details.legal_name = "New Name SARL"
    details.vat_id = "FR00000000000"
    shop_details_save(details=details)
    text = pdf_text(
        Client().get(f"/orders/{order.number}/{order.access_token}/invoice.pdf").content
    )
    assert "Comptoir SAS" in text and "FR40303265045" in text
    assert "New Name SARL" not in text
    later = paid_order()
    url = f"/orders/{later.number}/{later.access_token}/invoice.pdf"
    assert "New Name SARL" in pdf_text(Client().get(url).content)  # issued after the change


@pytest.mark.parametrize(
    "name",
    ["Zoë Łukasiewicz", "Łódź Żółć", "Ørsted Ōsaka Dvořák", "محمد عبد الله", "Ярослав"],
)
def test_names_in_any_script_print_as_typed(seller, name):
    address = {"full_name": name, "company": "", "line1": "", "line2": ""}
    order = paid_order(
        billing_address=address | {"postal_code": "1000", "city": name, "country": "BE"}
    )
    response = Client().get(f"/orders/{order.number}/{order.access_token}/invoice.pdf")
    assert response.status_code == 200
    text = readable(pdf_text(response.content))
    assert name in text


def test_a_french_invoice_wraps_its_long_column_labels_instead_of_cutting_them(seller):
    order = paid_order()
    client = Client()
    client.cookies["django_language"] = "fr"
    text = pdf_text(client.get(f"/orders/{order.number}/{order.access_token}/invoice.pdf").content)
    assert "Facture" in text and "Prix unitaire" in text and "…" not in text


def test_a_character_missing_from_the_font_is_no_error(seller):
    address = {"full_name": "Zoë 😀 雪", "company": "", "line1": "1\true\x07", "line2": ""}
    order = paid_order(billing_address=address | {"postal_code": "1", "city": "X", "country": "BE"})
    response = Client().get(f"/orders/{order.number}/{order.access_token}/invoice.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Zoë" in text and "1 rue" in text  # a tab as a space


def test_an_arabic_product_name_prints_intact(seller):
    order = OrderFactory()
    OrderLineFactory(order=order, sku="SKU-AR", name="سكين الطاهي")
    order_services.order_mark_paid(order=order)
    text = readable(
        pdf_text(Client().get(f"/orders/{order.number}/{order.access_token}/invoice.pdf").content)
    )
    # pypdf gives each line in visual order: "(SKU-AR)" left of the name, its parentheses
    # mirrored, but the Arabic words in reading order, joined letters back to their own.
    assert "سكين الطاهي" in text and "SKU-AR" in text


def test_an_invoice_read_in_arabic_has_arabic_labels_and_numbers_in_order(seller):
    order = paid_order()
    client = Client()
    client.cookies["django_language"] = "ar"
    text = readable(
        pdf_text(client.get(f"/orders/{order.number}/{order.access_token}/invoice.pdf").content)
    )
    with translation.override("ar"):
        title, total = _("Invoice"), _("Total due")
    assert title != "Invoice" and title in text and total in text
    assert "Total due" not in text
    assert f"{YEAR}-000001" in text  # not reordered by the right-to-left sentence around it


def test_the_reverse_charge_mention_and_the_buyers_vat_number_are_printed(seller):
    mention = "Reverse charge: VAT due by the customer (Article 196, Directive 2006/112/EC)."
    order = OrderFactory(
        company_name="Müller GmbH",
        vat_id="DE136695976",
        vat_regime="reverse_charge",
        vat_mention=mention,
        tax_total=Decimal("0.00"),
        total=Decimal("10.00"),
    )
    OrderLineFactory(order=order, tax_rate=Decimal("0"), tax=Decimal("0.00"))
    order_services.order_mark_paid(order=order)
    text = pdf_text(
        Client().get(f"/orders/{order.number}/{order.access_token}/invoice.pdf").content
    )
    assert "Müller GmbH" in text and "VAT number: DE136695976" in text
    assert "Reverse charge: VAT due by the customer" in text
    assert "0%" in text and "€10.00" in text


@pytest.fixture
def trade(shop_products):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    buyer = UserFactory(group=wholesale, email="buyer@trade.example")
    CustomerProfile.objects.filter(user=buyer).update(
        payment_terms_days=30, credit_limit=Decimal("500.00"), company_name="Atelier Martin"
    )
    address = AddressFactory(user=buyer, company="Atelier Martin")
    return freight, buyer, address


def test_an_order_on_account_is_invoiced_at_placement_with_its_due_date(
    client, seller, shop_products, trade
):
    pan, _pot = shop_products
    freight, buyer, address = trade
    client.force_login(buyer)
    add(client, pan, 10)
    details = {"billing_choice": str(address.pk), "shipping_choice": "same"}
    _review, key, total = go_to_review(
        client, shipping_method=freight, payment="on_account", details=details
    )
    place(client, key, total)
    order = Order.objects.get()
    assert order.paid_at is None and order.invoice.number == f"{YEAR}-000001"
    page = client.get(f"/accounts/orders/{order.number}/").content.decode()
    assert f"/accounts/orders/{order.number}/invoice.pdf" in page
    text = pdf_text(client.get(f"/accounts/orders/{order.number}/invoice.pdf").content)
    assert "Atelier Martin" in text and "Pay on account" in text
    assert "Due date: " + order.payment_due.strftime("%d/%m/%Y") in text
    assert "€144.00" in text and "IBAN" not in text
    order_services.order_mark_paid(order=order)  # paying later keeps the same invoice
    assert Invoice.objects.get().number == f"{YEAR}-000001"


# --- who downloads it --------------------------------------------------------------------------


def test_the_customer_downloads_their_own_invoice_and_others_are_404(seller):
    alice, bob = UserFactory(), UserFactory()
    alice_order, bob_order = paid_order(user=alice), paid_order(user=bob)
    unpaid = OrderFactory(user=alice)
    client = Client()
    client.force_login(alice)
    response = client.get(f"/accounts/orders/{alice_order.number}/invoice.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert 'filename="invoice-' in response["Content-Disposition"]
    for url in [
        f"/accounts/orders/{bob_order.number}/invoice.pdf",
        f"/accounts/orders/{unpaid.number}/invoice.pdf",
        "/accounts/orders/CPT-NOPE0000/invoice.pdf",
        f"/accounts/orders/{alice_order.number}%00/invoice.pdf",
        f"/orders/{alice_order.number}/{alice_order.access_token}/invoice.pdf",  # not a guest's
    ]:
        assert client.get(url).status_code == 404, url
    anonymous = Client().get(f"/accounts/orders/{alice_order.number}/invoice.pdf")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")


def test_the_guest_downloads_through_the_secret_link_only(seller):
    order = paid_order()
    good = f"/orders/{order.number}/{order.access_token}/invoice.pdf"
    assert Client().get(good).status_code == 200
    for token in ["wrong", "x" * 43, "é", order.access_token[:-1] + "é"]:
        assert Client().get(f"/orders/{order.number}/{token}/invoice.pdf").status_code == 404


def test_the_order_pages_link_the_invoice_only_once_it_exists(seller):
    order = OrderFactory()
    OrderLineFactory(order=order)
    base = f"/orders/{order.number}/{order.access_token}/"
    pdf_link = base + "invoice.pdf"
    for page in (base, base + "invoice/"):
        assert pdf_link not in Client().get(page).content.decode()
    assert "Pro forma invoice" in Client().get(base + "invoice/").content.decode()
    order_services.order_mark_paid(order=order)
    for page in (base, base + "invoice/"):
        body = Client().get(page).content.decode()
        assert pdf_link in body and f"Invoice {YEAR}-000001 (PDF)" in body
    html = Client().get(base + "invoice/").content.decode()
    assert f"Invoice {YEAR}-000001" in html and "FR40303265045" in html
    assert "RCS Lyon 303 265 045" in html and "Comptoir SAS" in html


@pytest.mark.parametrize("suffix", ["", "invoice/", "invoice.pdf"])
def test_order_and_invoice_pages_run_a_constant_number_of_queries(seller, suffix):
    counts = []
    for lines in (1, 6):
        order = paid_order(lines=lines)
        order_services.order_set_status(order=order, status="cancelled")  # one credit note
        url = f"/orders/{order.number}/{order.access_token}/{suffix}"
        client = Client()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_invoice_number_pattern():
    assert re.fullmatch(r"\d{4}-\d{6}", Invoice.NUMBER_FORMAT.format(year=2026, sequence=123))
    assert Invoice.NUMBER_FORMAT.format(year=2026, sequence=123) == "2026-000123"
