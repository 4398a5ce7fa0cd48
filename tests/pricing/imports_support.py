"""Helpers of the rule import tests: export, edit, preview and confirm as a manager does."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

PRICE_RULES = "/admin/pricing/pricerule/"
QUANTITY_RULES = "/admin/pricing/quantityrule/"
CART_DISCOUNTS = "/admin/pricing/cartdiscount/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def export(client, changelist=PRICE_RULES, file_format=CSV_FORMAT):
    response = client.post(changelist + "export/", {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response.content


def rows_of(content: bytes) -> list[dict]:
    """An export's rows, by id (the export follows the changelist's order)."""
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return sorted(rows, key=lambda row: int(row["id"]))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, content: bytes, changelist=PRICE_RULES, *, name="rules.csv", **options):
    data = {
        "resource": "0",
        "format": options.pop("file_format", CSV_FORMAT),
        "import_file": SimpleUploadedFile(name, content),
        **options,
    }
    response = client.post(changelist + "import/", data)
    assert response.status_code == 200
    return response


def confirm(client, response, changelist=PRICE_RULES):
    form = response.context["confirm_form"]
    assert form is not None, "the preview offers no confirm"
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["remove_missing"] = "on" if data["remove_missing"] else ""
    return client.post(changelist + "process_import/", data)


def statuses(response) -> dict[int, str]:
    return {row.number: row.status for row in response.context["preview"].rows}
