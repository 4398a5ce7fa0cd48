"""Tax rates in bulk: exported and imported by country and class, with the same guarantees as
the catalogue (preview, errors per row, one transaction, one pricing version bump)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from shop.models import TaxRate
from tests.factories import StaffUserFactory, TaxRateFactory
from tests.shop.catalog.import_support import (
    TAX_RATES,
    as_csv,
    confirm,
    export,
    preview,
    record_version_bumps,
    row_errors,
    rows_of,
    totals,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    TaxRateFactory(country="FR", tax_class="reduced", rate=Decimal("0.0550"))
    TaxRateFactory(country="DE", tax_class="standard", rate=Decimal("0.1900"))


def rate_file(*rows) -> bytes:
    return as_csv([{"country": c, "tax_class": t, "rate": r} for c, t, r in rows])


def test_export_lists_the_rates_filtered_like_the_changelist(client, manager, rates):
    rows = rows_of(export(client, TAX_RATES, resource="0"))
    assert {"country": "FR", "tax_class": "reduced", "rate": "0.0550"} in rows and len(rows) == 3
    french = rows_of(export(client, TAX_RATES, query="?country=FR", resource="0"))
    assert sorted(row["tax_class"] for row in french) == ["reduced", "standard"]


def test_import_adds_and_changes_rates_with_one_bump(client, manager, rates, monkeypatch):
    version_bumps = record_version_bumps(monkeypatch)
    content = rate_file(
        ("FR", "standard", "0.2"), ("de", "standard", "0.2100"), ("BE", "standard", "0.21")
    )
    response = preview(client, content, TAX_RATES, resource="0")
    assert totals(response) == {"new": 1, "changed": 1, "unchanged": 1}
    assert not TaxRate.objects.filter(country="BE").exists()
    confirm(client, response, TAX_RATES)
    found = {(r.country.code, r.tax_class): r.rate for r in TaxRate.objects.all()}
    assert found[("DE", "standard")] == Decimal("0.2100")
    assert found[("BE", "standard")] == Decimal("0.2100")
    assert found[("FR", "reduced")] == Decimal("0.0550")
    assert len(version_bumps) == 1


def test_bad_rows_are_listed_and_nothing_is_imported(client, manager, rates, monkeypatch):
    version_bumps = record_version_bumps(monkeypatch)
    content = rate_file(
        ("BE", "standard", "0.21"),
        ("XX", "standard", "0.1"),
        ("IT", "luxury", "0.1"),
        ("IT", "standard", "22"),
        ("ES", "standard", "0.12345"),
        ("FR", "standard", "0.19"),
        ("fr", "Standard", "0.18"),
    )
    response = preview(client, content, TAX_RATES, resource="0")
    errors = {row: (column, message) for row, column, message in row_errors(response)}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert errors[5] == ("rate", "22 is not a fraction between 0 and 1: 0.2000 is 20%.")
    assert errors[6][0] == "rate" and "4 decimal places" in errors[6][1]
    assert "several rows (7, 8)" in errors[7][1]
    assert response.context.get("confirm_form") is None
    assert not TaxRate.objects.filter(country="BE").exists()
    assert version_bumps == []


def test_a_staff_without_the_permissions_gets_no_import(client, rates):
    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_taxrate"))
    client.force_login(user)
    assert f"href='{TAX_RATES}import/'" not in client.get(TAX_RATES).content.decode()
    assert client.get(TAX_RATES + "import/").status_code == 403
    assert len(rows_of(export(client, TAX_RATES, resource="0"))) == 3
