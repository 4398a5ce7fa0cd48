"""Tax rates are compiled with the pricing rules: every admin write of a rate reaches a process
that compiled them earlier, on its next request."""

from decimal import Decimal

import pytest

from pricing import services
from tests.factories import TaxRateFactory
from tests.processes import ServingProcess, new_process

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/shop/taxrate/"


def german_rate() -> Decimal:
    return services.pricing_data().tax_rates.get(("DE", "standard"))


def seen(process, expected):
    assert new_process(german_rate) == expected
    assert process.next_request(german_rate) == expected


def test_bulk_deleting_a_rate_stops_every_process_charging_it(client, manager):
    """The reported defect: "Delete selected" on DE standard left 19 % in running processes."""
    rate = TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    process = ServingProcess()
    assert process.next_request(german_rate) == Decimal("0.1900")
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [rate.pk], "post": "yes"},
    )
    assert response.status_code == 302
    seen(process, None)


def test_deleting_one_rate_reaches_every_process(client, manager):
    rate = TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    process = ServingProcess()
    response = client.post(f"{CHANGELIST}{rate.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    seen(process, None)


def test_adding_a_rate_reaches_every_process(client, manager):
    process = ServingProcess()
    assert process.next_request(german_rate) is None
    response = client.post(
        f"{CHANGELIST}add/", {"country": "DE", "tax_class": "standard", "rate": "0.1900"}
    )
    assert response.status_code == 302, response.content.decode()
    seen(process, Decimal("0.1900"))


def test_changing_a_rate_reaches_every_process(client, manager):
    rate = TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    process = ServingProcess()
    response = client.post(
        f"{CHANGELIST}{rate.pk}/change/",
        {"country": "DE", "tax_class": "standard", "rate": "0.1600"},
    )
    assert response.status_code == 302, response.content.decode()
    seen(process, Decimal("0.1600"))


def test_editing_rates_in_the_list_reaches_every_process(client, manager):
    rate = TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    process = ServingProcess()
    response = client.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(rate.pk),
            "form-0-rate": "0.1700",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()
    seen(process, Decimal("0.1700"))


def test_tax_rates_are_listed_as_percentages(client, manager):
    TaxRateFactory(country="FR", tax_class="reduced", rate=Decimal("0.0550"))
    body = client.get("/admin/shop/taxrate/").content.decode()
    assert "5.5%" in body  # written as on the storefront
