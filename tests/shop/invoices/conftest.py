import io
import unicodedata

import pytest
from pypdf import PdfReader

from shop.models import Order
from shop.orders import services as order_services
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import OrderFactory, OrderLineFactory


@pytest.fixture
def seller(db):
    details = ShopDetails(
        legal_name="Comptoir SAS",
        legal_form="SAS au capital de 10 000 €",
        address_line1="12 rue de la République",
        postal_code="69001",
        city="Lyon",
        vat_id="FR40303265045",
        registration_number="RCS Lyon 303 265 045",
        email="compta@comptoir.example",
        bank_name="Banque Populaire",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        invoice_notes="Late payment: 40 EUR fixed compensation.",
    )
    return shop_details_save(details=details)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u2066\u2067\u2068\u2069"))


def readable(text: str) -> str:
    """The extracted text with Arabic presentation forms back to letters (NFKC) and without
    the invisible direction marks and isolates."""
    return unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)


def order_with_lines(lines=1, **kwargs) -> Order:
    """An order of `lines` lines at €10.00 + 20 % whose totals are its lines'."""
    order = OrderFactory(**kwargs)
    made = [
        OrderLineFactory(order=order, sku=f"SKU-{index}", name=f"Product {index}")
        for index in range(lines)
    ]
    net = sum(line.line_total for line in made)
    tax = sum(line.tax for line in made)
    Order.objects.filter(pk=order.pk).update(
        subtotal=net, net_total=net, tax_total=tax, total=net + tax, display_subtotal=net + tax
    )
    order.refresh_from_db()
    return order


def paid_order(lines=1, **kwargs) -> Order:
    return order_services.order_mark_paid(order=order_with_lines(lines, **kwargs))


def pdf_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)
