"""The EU rates seeded by the data migration, the buyer's VAT standing, and the gaps managers
are shown."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from customers.models import CustomerProfile
from shop.models import ShippingMethod, TaxRate
from shop.tax import selectors, vat
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eu_vat_rates")]

seeding = importlib.import_module("shop.migrations.0009_eu_vat_rates")


def test_every_member_state_has_its_standard_reduced_and_zero_rates():
    table = selectors.tax_rate_table()
    for country in vat.EU_MEMBER_STATES:
        for tax_class in ("standard", "reduced", "zero"):
            assert (country, tax_class) in table, (country, tax_class)
    assert table[("IT", "standard")] == Decimal("0.2200")
    assert table[("FI", "standard")] == Decimal("0.2550")
    assert table[("RO", "reduced")] == Decimal("0.1100")
    assert table[("FR", "zero")] == Decimal("0")
    assert selectors.missing_rates() == []


def test_seeding_again_keeps_a_managers_rates_and_adds_only_the_missing_ones():
    TaxRate.objects.filter(country="FR", tax_class="standard").update(rate=Decimal("0.1960"))
    TaxRate.objects.filter(country="DE").delete()
    seeding.add_missing_rates(apps, None)
    assert TaxRate.objects.get(country="FR", tax_class="standard").rate == Decimal("0.1960")
    assert TaxRate.objects.filter(country="FR").count() == 3
    assert TaxRate.objects.get(country="DE", tax_class="standard").rate == Decimal("0.1900")


def test_the_admin_lists_the_rates_checkout_will_miss(client, manager):
    TaxRate.objects.filter(country="ES", tax_class="reduced").delete()
    ShippingMethod.objects.create(name="Europe", price=Decimal("9.00"), countries="ES, CH")
    response = client.get("/admin/shop/taxrate/")
    warnings = [str(m) for m in response.context["messages"]]
    assert any("No rate is set for ES reduced" in w for w in warnings), warnings
    assert not any("CH" in w for w in warnings)


def test_the_admin_says_nothing_when_every_rate_is_set(client, manager):
    response = client.get("/admin/shop/taxrate/")
    assert not [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("company", "vat_id", "expected"),
    [
        ("Müller GmbH", "DE136695976", vat.Buyer(vat_country="DE")),
        ("Ακμή ΑΕ", "EL094259216", vat.Buyer(vat_country="GR")),
        ("Müller GmbH", "DE136695977", vat.CONSUMER),
        ("", "DE136695976", vat.CONSUMER),
        ("Müller GmbH", "", vat.CONSUMER),
    ],
)
def test_a_business_is_a_profile_with_a_company_and_a_valid_vat_number(company, vat_id, expected):
    user = UserFactory()
    CustomerProfile.objects.filter(user=user).update(company_name=company, vat_id=vat_id)
    assert selectors.vat_buyer(user) == expected


def test_a_guest_is_a_consumer():
    assert selectors.vat_buyer(None) == vat.CONSUMER
