"""Helpers of the catalogue import tests: export, edit, preview and confirm as a manager does."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

PRODUCTS = "/admin/shop/product/"
TAX_RATES = "/admin/shop/taxrate/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"
PRODUCT_RESOURCE, STOCK_RESOURCE = "0", "1"

PRODUCT_COLUMNS = [
    "sku",
    "name",
    "name_fr",
    "name_ar",
    "slug",
    "description",
    "description_fr",
    "description_ar",
    "category",
    "base_price",
    "tax_class",
    "stock",
    "track_stock",
    "is_active",
    "is_featured",
    "images",
]


def product_row(**values) -> dict:
    row = {
        "sku": "PAN-1",
        "name": "Copper pan",
        "slug": "",
        "description": "Heavy and even.",
        "category": "Kitchen > Cookware",
        "base_price": "39.90",
        "tax_class": "standard",
        "stock": "12",
        "track_stock": "yes",
        "is_active": "yes",
        "is_featured": "no",
        "images": "",
    }
    row.update(values)
    return row


def as_csv(rows: list[dict], columns=None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def rows_of(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def export(
    client, changelist=PRODUCTS, *, query="", resource=PRODUCT_RESOURCE, file_format=CSV_FORMAT
):
    response = client.post(
        changelist + "export/" + query, {"format": file_format, "resource": resource}
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def preview(
    client,
    content: bytes,
    changelist=PRODUCTS,
    *,
    name="products.csv",
    resource=PRODUCT_RESOURCE,
    file_format=CSV_FORMAT,
):
    data = {
        "resource": resource,
        "format": file_format,
        "import_file": SimpleUploadedFile(name, content),
    }
    response = client.post(changelist + "import/", data)
    assert response.status_code == 200, response.status_code
    return response


def confirm(client, response, changelist=PRODUCTS):
    form = response.context["confirm_form"]
    assert form is not None, "the preview offers no confirm"
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(changelist + "process_import/", data)


def totals(response) -> dict[str, int]:
    result = response.context["result"]
    return {
        "new": result.totals["new"],
        "changed": result.totals["update"],
        "unchanged": result.totals["skip"],
    }


def row_errors(response) -> list[tuple[int, str, str]]:
    """(spreadsheet row, column, message) of every invalid row, and (row, "", message) of
    every row that failed outright."""
    result = response.context["result"]
    found = []
    for row in result.invalid_rows:
        for column, messages in row.field_specific_errors.items():
            found += [(row.number + 1, column, str(message)) for message in messages]
    for line, errors in result.row_errors():
        found += [(line + 1, "", str(error.error)) for error in errors]
    return found


def record_version_bumps(monkeypatch) -> list:
    """The pricing version bumps made from now on (not the factories' before)."""
    from pricing.models import PricingVersion

    made = []
    bump = PricingVersion.bump
    monkeypatch.setattr(PricingVersion, "bump", lambda: made.append(bump()))
    return made
