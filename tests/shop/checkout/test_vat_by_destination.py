"""VAT decided by destination and buyer at checkout: destination rates, reverse charge for EU
companies with a valid VAT number, export outside the EU, and no borrowed rates."""

from decimal import Decimal

import pytest
from django.core import mail

from customers.models import CustomerProfile
from pricing import services
from shop.models import Order, TaxRate
from tests.factories import UserFactory, WholesaleGroupFactory
from tests.shop.conftest import ADDRESS, add, address_fields, go_to_review, messages_of, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eu_vat_rates")]

ITALY = dict(ADDRESS, country="IT", city="Milano", postal_code="20121")
GERMANY = dict(ADDRESS, country="DE", city="Berlin", postal_code="10115")
SPAIN = dict(ADDRESS, country="ES", city="Madrid", postal_code="28001")
REVERSE_CHARGE = "Reverse charge: VAT due by the customer, article 196 of Directive 2006/112/EC."
EXPORT = "Export outside the EU: VAT exempt, article 146 of Directive 2006/112/EC."


def buy(client, product, *, billing, shipping_method, capture):
    add(client, product, 2)
    _review, key, total = go_to_review(client, shipping_method=shipping_method, billing=billing)
    with capture(execute=True):
        response = place(client, key, total)
    assert response.status_code == 302 and "/orders/" in response.url, response.url
    return Order.objects.get(), response.url


def test_a_delivery_to_italy_is_charged_italys_22_percent(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    """The reported defect: Italy was charged France's 20 %."""
    pan, _pot = shop_products
    order, _url = buy(
        client,
        pan,
        billing=ITALY,
        shipping_method=standard_shipping,
        capture=django_capture_on_commit_callbacks,
    )
    assert order.lines.get().tax_rate == Decimal("0.2200")
    assert order.shipping_tax_rate == Decimal("0.2200")
    # 20.00 goods + 5.00 shipping at 22 %.
    assert (order.tax_total, order.total) == (Decimal("5.50"), Decimal("30.50"))
    assert order.vat_regime == "eu_consumer" and order.vat_mention == ""


def test_the_review_names_the_country_whose_vat_is_charged(
    client, shop_products, standard_shipping
):
    """The label said "VAT calculated for delivery to IT": a code, not a country."""
    pan, _pot = shop_products
    add(client, pan, 1)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping, billing=ITALY)
    assert "VAT calculated for delivery to Italy." in review.content.decode()


@pytest.mark.parametrize(
    "country", [pytest.param("CH", id="Switzerland"), pytest.param("GB", id="United Kingdom")]
)
def test_a_delivery_outside_the_eu_is_an_export_without_vat(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks, country
):
    """The reported defect: Switzerland and the UK were charged VAT."""
    pan, _pot = shop_products
    abroad = dict(ADDRESS, country=country, city="Abroad", postal_code="8001")
    order, url = buy(
        client,
        pan,
        billing=abroad,
        shipping_method=standard_shipping,
        capture=django_capture_on_commit_callbacks,
    )
    assert order.tax_total == Decimal("0.00") and order.total == Decimal("25.00")
    assert order.lines.get().tax_rate == Decimal("0") and order.shipping_tax == Decimal("0.00")
    assert order.vat_regime == "export" and order.vat_mention == EXPORT
    assert EXPORT in client.get(url).content.decode()
    assert EXPORT in client.get(url + "invoice/").content.decode()
    assert EXPORT in mail.outbox[0].body


def german_company(vat_id):
    user = UserFactory(group=WholesaleGroupFactory())
    CustomerProfile.objects.filter(user=user).update(company_name="Müller GmbH", vat_id=vat_id)
    return user


def test_a_german_company_with_a_valid_vat_number_pays_no_vat_under_reverse_charge(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    """The reported defect: a German company with a valid VAT number paid French VAT."""
    client.force_login(german_company("DE136695976"))
    pan, _pot = shop_products
    order, url = buy(
        client,
        pan,
        billing=dict(GERMANY, company="Müller GmbH"),
        shipping_method=standard_shipping,
        capture=django_capture_on_commit_callbacks,
    )
    assert order.lines.get().tax_rate == Decimal("0") and order.shipping_tax_rate == Decimal("0")
    assert order.tax_total == Decimal("0.00") and order.total == order.net_total
    assert order.vat_regime == "reverse_charge" and order.vat_mention == REVERSE_CHARGE
    assert REVERSE_CHARGE in client.get(url).content.decode()
    invoice = client.get(url + "invoice/").content.decode()
    assert REVERSE_CHARGE in invoice and "DE136695976" in invoice
    [email] = mail.outbox
    assert REVERSE_CHARGE in email.body
    assert REVERSE_CHARGE in email.alternatives[0][0]


def test_a_german_company_with_a_wrong_check_digit_pays_german_vat(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    client.force_login(german_company("DE136695977"))
    pan, _pot = shop_products
    order, _url = buy(
        client,
        pan,
        billing=GERMANY,
        shipping_method=standard_shipping,
        capture=django_capture_on_commit_callbacks,
    )
    assert order.lines.get().tax_rate == Decimal("0.1900")
    assert order.vat_regime == "eu_consumer" and order.vat_mention == ""


def test_a_german_company_delivered_in_france_pays_french_vat(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    client.force_login(german_company("DE136695976"))
    pan, _pot = shop_products
    order, _url = buy(
        client,
        pan,
        billing=ADDRESS,
        shipping_method=standard_shipping,
        capture=django_capture_on_commit_callbacks,
    )
    assert order.lines.get().tax_rate == Decimal("0.2000") and order.vat_regime == "domestic"


def details_for(address):
    return {
        "email": "guest@example.com",
        "billing_choice": "new",
        "shipping_choice": "same",
        **address_fields("billing", address),
    }


def test_a_destination_without_a_rate_is_refused_and_keeps_what_was_typed(
    client, shop_products, standard_shipping
):
    """The reported defect: a country without a rate borrowed France's."""
    TaxRate.objects.filter(country="ES").delete()
    pan, _pot = shop_products
    add(client, pan, 1)
    response = client.post("/checkout/", details_for(SPAIN))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We cannot deliver to Spain yet: no VAT rate is set up for that country." in body
    assert 'value="28001"' in body and 'value="Madrid"' in body
    assert "This field is required" not in body  # the unused shipping form is not judged
    assert "shipping" not in client.session.get("checkout", {})


def test_a_rate_deleted_after_the_address_step_stops_the_checkout(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    add(client, pan, 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping, billing=SPAIN)
    TaxRate.objects.filter(country="ES", tax_class="standard").delete()
    services.rules_changed()  # as the admin does
    response = client.get("/checkout/review/")
    assert response.url == "/checkout/"
    assert any("We cannot deliver to Spain" in m for m in messages_of(client.get(response.url)))
    response = place(client, key, total)
    assert response.url == "/cart/" and not Order.objects.exists()
    cart = client.get("/cart/").content.decode()
    assert "We cannot deliver to Spain yet" in cart


def test_a_missing_reduced_rate_refuses_a_cart_with_reduced_rate_goods(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    pan.tax_class = "reduced"
    pan.save()
    TaxRate.objects.filter(country="IT", tax_class="reduced").delete()
    add(client, pan, 1)
    response = client.post("/checkout/", details_for(ITALY))
    assert response.status_code == 200
    assert "We cannot deliver to Italy yet" in response.content.decode()
