"""Stock levels only: a warehouse's file of SKUs and counts updates existing products and
nothing else."""

from decimal import Decimal

import pytest

from shop.models import Product
from tests.factories import ProductFactory
from tests.shop.catalog.import_support import (
    STOCK_RESOURCE,
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
def products():
    return [
        ProductFactory(sku="PAN-1", name="Copper pan", stock=4, base_price=Decimal("39.90")),
        ProductFactory(sku="POT-1", name="Stock pot", stock=0, is_active=False),
    ]


def stock_file(*rows) -> bytes:
    return as_csv([{"sku": sku, "stock": stock} for sku, stock in rows])


def test_the_stock_export_has_the_sku_and_stock_columns_only(client, manager, products):
    rows = rows_of(export(client, resource=STOCK_RESOURCE))
    assert sorted(rows, key=lambda row: row["sku"]) == [
        {"sku": "PAN-1", "stock": "4"},
        {"sku": "POT-1", "stock": "0"},
    ]


def test_a_stock_file_updates_the_stock_and_nothing_else(client, manager, products, monkeypatch):
    before = {p.sku: p for p in Product.objects.all()}
    version_bumps = record_version_bumps(monkeypatch)
    response = preview(client, stock_file(("PAN-1", "4"), ("POT-1", "25")), resource=STOCK_RESOURCE)
    assert totals(response) == {"new": 0, "changed": 1, "unchanged": 1}
    assert Product.objects.get(sku="POT-1").stock == 0  # the preview writes nothing
    confirm(client, response)
    after = {p.sku: p for p in Product.objects.all()}
    assert after["POT-1"].stock == 25 and after["PAN-1"].stock == 4
    for sku in after:
        assert (after[sku].name, after[sku].base_price, after[sku].is_active) == (
            before[sku].name,
            before[sku].base_price,
            before[sku].is_active,
        )
    assert after["POT-1"].updated_at > before["POT-1"].updated_at
    assert len(version_bumps) == 1


def test_unknown_skus_and_bad_counts_are_errors_and_nothing_is_imported(client, manager, products):
    content = stock_file(("PAN-1", "10"), ("NOPE", "3"), ("POT-1", "-2"), ("PAN-1", "x"))
    response = preview(client, content, resource=STOCK_RESOURCE)
    errors = row_errors(response)
    messages = {row: message for row, _column, message in errors}
    assert "No product has the SKU “NOPE”: a stock file only updates products." in messages[3]
    assert (
        messages[2]
        == messages[5]
        == ("The SKU PAN-1 is on several rows (2, 5): each product once.")
    )
    assert response.context.get("confirm_form") is None
    assert Product.objects.get(sku="PAN-1").stock == 4


def test_negative_and_non_numeric_stock_are_refused_by_column(client, manager, products):
    response = preview(
        client, stock_file(("PAN-1", "-2"), ("POT-1", "many")), resource=STOCK_RESOURCE
    )
    assert row_errors(response) == [
        (2, "stock", "Stock cannot be negative."),
        (3, "stock", "“many” is not a whole number."),
    ]


def test_a_stock_file_with_other_columns_is_refused_whole(client, manager, products):
    content = as_csv([{"sku": "PAN-1", "stock": "3", "base_price": "1.00"}])
    response = preview(client, content, resource=STOCK_RESOURCE)
    assert "Unknown columns: base_price." in response.content.decode()
    assert Product.objects.get(sku="PAN-1").stock == 4


def test_stock_imported_back_above_zero_tells_who_waits(
    client, manager, mailoutbox, django_capture_on_commit_callbacks
):
    from shop.catalog.alerts import services as alert_services

    sold_out = ProductFactory(sku="PAN-9", name="Copper saucepan", stock=0)
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    response = preview(client, stock_file(("PAN-9", "12")), resource=STOCK_RESOURCE)
    assert mailoutbox == []  # the preview writes nothing and tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
    assert "Copper saucepan" in mailoutbox[0].body
