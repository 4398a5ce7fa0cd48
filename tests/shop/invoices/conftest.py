import io

import pytest
from pypdf import PdfReader

from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save


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
