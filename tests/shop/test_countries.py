"""Countries are ISO codes (django-countries) everywhere they are typed or chosen: tax rates of
any real country; addresses and shipping methods of the shop's selling countries only
(SHOP_SELLING_COUNTRIES, checked at start-up), offered by their name in the buyer's language.
Existing values are converted by the migrations."""

import importlib
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import translation
from django_countries import Countries

from shop.addresses.forms import AddressForm
from shop.models import Address, Order, ShippingMethod, TaxRate
from shop.tax import mentions
from tests.factories import AddressFactory, ShippingMethodFactory, TaxRateFactory, UserFactory
from tests.shop.conftest import ADDRESS, add, address_fields, go_to_review, messages_of, place

pytestmark = pytest.mark.django_db

GERMANY = dict(ADDRESS, country="DE", city="Berlin", postal_code="10115")
FRANCE_AND_BELGIUM = override_settings(SHOP_SELLING_COUNTRIES=["BE", "FR"])


# The setting ------------------------------------------------------------------------------------


def test_the_default_selling_countries_are_the_eu_and_its_neighbours():
    from shop.tax.vat import EU_MEMBER_STATES

    assert set(settings.SHOP_SELLING_COUNTRIES) == EU_MEMBER_STATES | {"MC", "CH", "GB", "NO"}


def start_with(selling_countries: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SHOP_SELLING_COUNTRIES": selling_countries,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_an_unknown_selling_country_stops_the_start():
    refused = start_with("FR, Q1")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "Q1" in refused.stderr
    assert start_with("fr, be ,ch").returncode == 0


# Tax rates: any real country ---------------------------------------------------------------------


def test_a_tax_rate_for_no_country_is_refused(client, manager):
    """The reported defect: `Q1` was accepted as a tax rate's country."""
    with pytest.raises(ValidationError) as refused:
        TaxRate(country="Q1", tax_class="standard", rate=Decimal("0.2")).full_clean()
    assert "country" in refused.value.message_dict
    response = client.post(
        "/admin/shop/taxrate/add/", {"country": "Q1", "tax_class": "standard", "rate": "0.2"}
    )
    assert response.status_code == 200 and not TaxRate.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_a_tax_rate_may_be_set_for_a_country_the_shop_does_not_sell_to(client, manager):
    response = client.post(
        "/admin/shop/taxrate/add/", {"country": "US", "tax_class": "standard", "rate": "0.0"}
    )
    assert response.status_code == 302
    assert TaxRate.objects.get().country == "US"


# Shipping methods: selling countries only -------------------------------------------------------


def shipping_method_post(client, countries):
    return client.post(
        "/admin/shop/shippingmethod/add/",
        {"name": "Europe", "price": "9.00", "countries": countries, "position": 0},
    )


def test_a_shipping_method_lists_real_selling_countries_only(client, manager):
    """The reported defect: `FRANCE, XX, ZZ` were accepted as a shipping method's countries."""
    response = shipping_method_post(client, ["FRANCE", "XX", "ZZ"])
    assert response.status_code == 200 and not ShippingMethod.objects.exists()
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        ShippingMethod(name="Europe", price=Decimal("9"), countries="FR,XX").full_clean()
    assert "countries" in refused.value.message_dict

    with FRANCE_AND_BELGIUM:
        response = shipping_method_post(client, ["FR", "DE"])
        assert response.status_code == 200 and not ShippingMethod.objects.exists()
        with pytest.raises(ValidationError) as refused:
            ShippingMethod(name="Europe", price=Decimal("9"), countries="DE").full_clean()
        assert "Germany" in str(refused.value)
        assert shipping_method_post(client, ["FR", "BE"]).status_code == 302
    method = ShippingMethod.objects.get()
    assert method.country_codes == {"BE", "FR"}
    assert "Belgium, France" in client.get("/admin/shop/shippingmethod/").content.decode()


def test_shipping_methods_still_tell_the_tax_admin_where_they_deliver(client, manager):
    ShippingMethodFactory(countries=["ES", "CH"])
    body = client.get("/admin/shop/taxrate/").content.decode()
    assert "ES standard" in body and "CH standard" not in body


# Addresses: selling countries, by their translated name ---------------------------------------


def offered(form) -> list[str]:
    return [code for code, _name in form.fields["country"].choices if code]


@override_settings(SHOP_SELLING_COUNTRIES=["CH", "DE", "FR", "AT"])
def test_address_forms_offer_the_selling_countries_by_their_name_in_the_buyers_language():
    with translation.override("en"):
        assert offered(AddressForm()) == ["AT", "FR", "DE", "CH"]  # Austria, France, Germany...
    with translation.override("fr"):
        # Allemagne, Autriche, France, Suisse
        assert offered(AddressForm()) == ["DE", "AT", "FR", "CH"]


def test_the_default_address_form_offers_every_selling_country():
    assert sorted(offered(AddressForm())) == sorted(settings.SHOP_SELLING_COUNTRIES)
    assert "US" not in offered(AddressForm())


def test_an_address_form_names_and_checks_only_the_selling_countries(monkeypatch):
    """Every checkout page builds address forms: naming and sorting every country there is,
    for each form, cost more than the rest of the form."""

    def every_country(_countries):
        raise AssertionError("every country was named")

    monkeypatch.setattr(Countries, "__iter__", every_country)
    form = AddressForm(GERMANY)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == "DE" and "Germany" in str(form["country"])
    refused = AddressForm({**form.data, "country": "US"})
    assert not refused.is_valid() and "Select a valid choice" in str(refused.errors["country"])


@FRANCE_AND_BELGIUM
def test_checkout_refuses_an_address_outside_the_selling_countries_and_keeps_it(
    client, shop_products, standard_shipping
):
    add(client, shop_products[0], 1)
    response = client.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields("billing", GERMANY),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body and 'value="Berlin"' in body


@FRANCE_AND_BELGIUM
def test_a_saved_address_outside_the_selling_countries_cannot_be_used(
    client, shop_products, standard_shipping
):
    user = UserFactory()
    saved = AddressFactory(user=user, country="DE", city="Berlin")
    client.force_login(user)
    add(client, shop_products[0], 1)
    response = client.post(
        "/checkout/", {"billing_choice": str(saved.pk), "shipping_choice": "same"}
    )
    assert response.status_code == 200
    assert "We do not sell to Germany" in response.content.decode()


def test_placing_an_order_refuses_a_country_no_longer_sold_to(
    client, shop_products, standard_shipping
):
    add(client, shop_products[0], 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with override_settings(SHOP_SELLING_COUNTRIES=["BE"]):
        response = place(client, key, total)
    assert response.status_code == 302 and not Order.objects.exists()
    assert messages_of(client.get(response.url, follow=True))


def test_an_addresss_country_is_kept_as_its_code_in_snapshots():
    address = AddressFactory(country="fr")
    address.refresh_from_db()
    assert address.as_snapshot()["country"] == "FR"
    assert isinstance(address.as_snapshot()["country"], str)


def test_the_no_rate_refusal_names_the_country_in_the_buyers_language():
    with translation.override("en"):
        assert "United States of America" in mentions.no_rate_message("US")
    with translation.override("fr"):
        assert "Allemagne" in mentions.no_rate_message("DE")


# The data migrations ---------------------------------------------------------------------------


def raw_update(table: str, pk: int, **values):
    column, value = next(iter(values.items()))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def test_the_migration_converts_existing_countries():
    migration = importlib.import_module("shop.migrations.0011_countries_fields")
    named = ShippingMethodFactory(name="Named")
    nowhere = ShippingMethodFactory(name="Nowhere")
    lower = ShippingMethodFactory(name="Lower")
    raw_update("shop_shippingmethod", named.pk, countries="FRANCE, XX, ZZ")
    raw_update("shop_shippingmethod", nowhere.pk, countries="XX, ZZ")
    raw_update("shop_shippingmethod", lower.pk, countries=" be, fr, uk")
    no_country = TaxRateFactory(country="DE", tax_class="reduced")
    lower_rate = TaxRateFactory(country="AT", tax_class="standard")
    kept = TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    duplicate = TaxRateFactory(country="IT", tax_class="standard", rate=Decimal("0.1000"))
    raw_update("shop_taxrate", no_country.pk, country="Q1")
    raw_update("shop_taxrate", lower_rate.pk, country="at")
    raw_update("shop_taxrate", duplicate.pk, country="fr")
    address = AddressFactory(country="FR")
    raw_update("shop_address", address.pk, country="be")

    migration.normalise_countries(apps, None)

    methods = dict(ShippingMethod.objects.values_list("name", "countries"))
    assert methods == {"Named": "FR", "Nowhere": "", "Lower": "BE,FR,GB"}
    # A method that listed no real country would now mean "everywhere": it is switched off.
    assert not ShippingMethod.objects.get(name="Nowhere").is_active
    assert ShippingMethod.objects.get(name="Named").is_active
    rates = set(TaxRate.objects.values_list("country", "tax_class", "rate"))
    assert rates == {("AT", "standard", lower_rate.rate), ("FR", "standard", kept.rate)}
    assert Address.objects.values_list("country", flat=True).get() == "BE"


def test_a_typed_list_of_codes_is_stored_as_clean_codes():
    """The demo data and older callers give "BE, DE, FR, NL": the codes, not " DE"."""
    method = ShippingMethodFactory(countries="BE, de, FR")
    assert ShippingMethod.objects.filter(pk=method.pk).values_list(
        "countries", flat=True
    ).get() == ("BE,DE,FR")
    method.refresh_from_db()
    assert method.country_codes == {"BE", "DE", "FR"}


@FRANCE_AND_BELGIUM
def test_a_trade_application_offers_the_selling_countries_only():
    from customers.forms import ApplicationForm

    data = {
        "company_name": "Müller GmbH",
        "vat_id": "DE136695976",
        "country": "DE",
        "phone": "+49 30 1234567",
        "monthly_volume": "1k-5k",
    }
    form = ApplicationForm(data)
    assert offered(form) == ["BE", "FR"]
    assert not form.is_valid() and "country" in form.errors
    assert ApplicationForm({**data, "country": "BE"}).is_valid()
