"""End to end in Chromium: four buyers, four VAT outcomes, each down to the invoice PDF.

An Italian guest pays Italian VAT (22 %), a German company with a valid VAT number pays none
under reverse charge, a Swiss customer none as an export, a French shopper French VAT (20 %).
Each buys by bank transfer in the browser, the payment is recorded through the order service
(as the bank statement import or the manager would), then the buyer downloads the invoice
through the link on their order page and the PDF says the rate, the totals and the mention."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from core.money import format_money
from customers.models import CustomerProfile
from shop.models import Order, Product
from shop.orders import services as order_services
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.browser.conftest import place_order
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REVERSE_CHARGE = "Reverse charge: VAT due by the customer, article 196 of Directive 2006/112/EC."
EXPORT = "Export outside the EU: VAT exempt, article 146 of Directive 2006/112/EC."


@pytest.fixture
def shop(demo_shop, eu_vat_rates):
    shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            legal_form="SAS au capital de 10 000 €",
            address_line1="12 rue de la République",
            postal_code="69001",
            city="Lyon",
            vat_id="FR40303265045",
            registration_number="RCS Lyon 303 265 045",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
        )
    )
    return Product.objects.get(sku="KIT-102")


def buy(page, live_server, product, *, address: dict, email: str | None = None) -> Order:
    page.goto(f"{live_server.url}/p/{product.slug}/")
    page.get_by_label("Quantity", exact=True).fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"Added to your cart: {product.name}")).to_be_visible()
    page.goto(live_server.url + "/checkout/")
    if email:
        page.get_by_label("Email").fill(email)
    new_billing = page.locator("input[type=radio][name=billing_choice][value=new]")
    if new_billing.count():
        new_billing.check()
    for name, value in address.items():
        if name == "country":
            page.locator("#id_billing-country").select_option(value)
        else:
            page.locator(f"#id_billing-{name}").fill(value)
    page.get_by_role("button", name="Continue to shipping and payment").click()
    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Standard")).check()
    page.get_by_label(re.compile("^Bank transfer")).check()
    page.get_by_role("button", name="Review my order").click()
    page.wait_for_url("**/checkout/review/")
    place_order(page)
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    return Order.objects.order_by("-id").first()


def invoice_text(page, order) -> str:
    """Mark the order paid, reload its page and download the invoice through its link."""
    expect(page.locator("a.invoice-pdf")).to_have_count(0)  # no invoice before the payment
    order_services.order_mark_paid(order=order)
    page.reload()
    link = page.get_by_role("link", name=re.compile(r"^Invoice \d{4}-\d{6} \(PDF\)$"))
    expect(link).to_be_visible()
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    response = page.request.get(origin + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(page_.extract_text() for page_ in reader.pages).split())
    order.refresh_from_db()
    assert order.invoice.number in text
    for expected in ("Comptoir SAS", "FR40303265045", "RCS Lyon 303 265 045"):
        assert expected in text
    assert format_money(order.total) in text and format_money(order.net_total) in text
    assert format_money(order.tax_total) in text
    return text


def test_an_italian_guest_pays_italian_vat_on_the_invoice(page, live_server, shop):
    order = buy(
        page,
        live_server,
        shop,
        email="giulia@example.it",
        address={
            "full_name": "Giulia Rossi",
            "line1": "Via Roma 1",
            "postal_code": "00184",
            "city": "Roma",
            "country": "IT",
        },
    )
    assert order.vat_regime != "reverse_charge" and order.lines.get().tax_rate == Decimal("0.22")
    text = invoice_text(page, order)
    assert "Giulia Rossi" in text and "22%" in text and "Italy" in text
    assert "FR7630006000011234567890189" in text and f"Payment reference: {order.number}" in text
    assert "Reverse charge" not in text and "Export" not in text


def test_a_german_company_with_a_valid_vat_number_gets_a_reverse_charge_invoice(
    page, live_server, shop
):
    buyer = UserFactory(email="einkauf@mueller.example")
    CustomerProfile.objects.filter(user=buyer).update(
        company_name="Müller GmbH", vat_id="DE136695976"
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(buyer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/accounts/$|.*/$"))
    order = buy(
        page,
        live_server,
        shop,
        address={
            "full_name": "Hans Müller",
            "company": "Müller GmbH",
            "line1": "Friedrichstraße 10",
            "postal_code": "10117",
            "city": "Berlin",
            "country": "DE",
        },
    )
    assert order.vat_regime == "reverse_charge" and order.tax_total == Decimal("0.00")
    text = invoice_text(page, order)
    assert "Müller GmbH" in text and "VAT number: DE136695976" in text
    assert "0%" in text and REVERSE_CHARGE in text


def test_a_swiss_customer_gets_an_export_invoice_without_vat(page, live_server, shop):
    order = buy(
        page,
        live_server,
        shop,
        email="luca@example.ch",
        address={
            "full_name": "Luca Meier",
            "line1": "Bahnhofstrasse 1",
            "postal_code": "8001",
            "city": "Zürich",
            "country": "CH",
        },
    )
    assert order.vat_regime == "export" and order.tax_total == Decimal("0.00")
    text = invoice_text(page, order)
    assert "Luca Meier" in text and "Zürich" in text and "0%" in text and EXPORT in text


def test_a_french_shopper_pays_french_vat_on_the_invoice(page, live_server, shop):
    order = buy(
        page,
        live_server,
        shop,
        email="camille@example.fr",
        address={
            "full_name": "Camille Dupont",
            "line1": "3 rue des Lilas",
            "postal_code": "69002",
            "city": "Lyon",
            "country": "FR",
        },
    )
    assert order.lines.get().tax_rate == Decimal("0.2000")
    text = invoice_text(page, order)
    assert "Camille Dupont" in text and "20%" in text
    assert "Reverse charge" not in text and "Export" not in text
