"""Rules managed in bulk: export, then import with a preview, as a shop manager."""

import io
from decimal import Decimal

import openpyxl
import pytest

from pricing.models import PriceRule, QuantityRule, RuleImport
from tests.factories import (
    CartDiscountFactory,
    QuantityRuleFactory,
)
from tests.pricing.imports_support import (
    CART_DISCOUNTS,
    CSV_FORMAT,
    QUANTITY_RULES,
    XLSX_FORMAT,
    as_csv,
    confirm,
    export,
    preview,
    rows_of,
    statuses,
)

pytestmark = pytest.mark.django_db


def test_an_export_names_related_objects_by_sku_slug_and_email(client, manager, rules_shop):
    rows = rows_of(export(client))
    knife_rule = next(row for row in rows if row["name"] == "Knife for the buyer")
    assert knife_rule == {
        "id": str(rules_shop["rules"][1].pk),
        "name": "Knife for the buyer",
        "group": "",
        "customer_email": "buyer@example.com",
        "company": "",
        "product_sku": "KNF-1",
        "category": "",
        "min_quantity": "10",
        "kind": "fixed_price",
        "value": "8.50",
        "priority": "0",
        "starts_at": "2026-12-24 18:00:00",
        "ends_at": "",
        "is_active": "yes",
    }


def test_re_importing_an_export_changes_nothing(client, manager, rules_shop, version_bumps):
    response = preview(client, export(client))
    assert set(statuses(response).values()) == {"unchanged"}
    assert response.context["confirm_form"] is None
    assert "there is nothing to import" in response.content.decode()
    assert version_bumps == []


def test_a_changed_price_shows_before_and_after_and_is_written_only_when_confirmed(
    client, manager, rules_shop, version_bumps
):
    rows = rows_of(export(client))
    rows[0]["value"] = "20"
    rows[0]["kind"] = "amount_off"
    response = preview(client, as_csv(rows))

    row = response.context["preview"].rows[0]
    assert (row.number, row.status) == (2, "changed")
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("kind", "percent_off", "amount_off"),
        ("value", "15.00", "20.00"),
    ]
    page = response.content.decode()
    assert "percent_off</del>" in page and "amount_off</ins>" in page
    rule = PriceRule.objects.get(pk=rows[0]["id"])
    assert (rule.kind, rule.value) == ("percent_off", Decimal("15.00"))  # a dry run
    assert version_bumps == []

    done = confirm(client, response)
    assert done.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.value) == ("amount_off", Decimal("20.00"))
    assert len(version_bumps) == 1


def test_new_rows_are_added_and_the_import_bumps_the_version_once(
    client, manager, rules_shop, version_bumps
):
    rows = rows_of(export(client))
    template = dict(rows[0], id="", group="vip", category="", value="3")
    new_rows = [dict(template, name=f"VIP {n}", min_quantity=str(n)) for n in range(1, 31)]
    response = preview(client, as_csv(rows + new_rows))
    assert response.context["preview"].count("new") == 30

    confirm(client, response)
    assert PriceRule.objects.filter(group=rules_shop["vip"]).count() == 30
    assert len(version_bumps) == 1
    assert RuleImport.objects.get().created_ids == sorted(
        PriceRule.objects.filter(group=rules_shop["vip"]).values_list("pk", flat=True)
    )


def test_errors_are_reported_by_row_and_nothing_is_written(
    client, manager, rules_shop, version_bumps
):
    rows = rows_of(export(client))
    rows[0]["product_sku"] = "NOPE-1"
    rows[1]["value"] = "cheap"
    rows[2]["product_sku"] = "OFF-7"
    rows[2]["category"] = "kitchen"
    rows.append(
        dict(
            rows[0],
            id="",
            name="Backwards",
            product_sku="",
            starts_at="2026-12-24 10:00",
            ends_at="2026-12-23 10:00",
        )
    )
    response = preview(client, as_csv(rows))

    found = {row.number: row.errors for row in response.context["preview"].errors}
    assert found == {
        2: ["product_sku: No product has the SKU “NOPE-1”."],
        3: ["value: “cheap” is not a number."],
        4: ["Choose a product or a category, not both (leave both empty for everything)."],
        5: ["ends_at: The end must come after the start."],
    }
    assert response.context["confirm_form"] is None
    assert "4 rows have errors" in response.content.decode()
    assert PriceRule.objects.count() == 3
    assert version_bumps == []


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("id", "abc", "“abc” is not a whole number."),
        ("value", "NaN", "“NaN” is not a number."),
        ("value", "12.345", "value: Ensure that there are no more than 2 decimal places."),
        ("min_quantity", "1.5", "min_quantity: “1.5” is not a whole number."),
        ("min_quantity", "0", "min_quantity: Ensure this value is greater than or equal to 1."),
        ("is_active", "maybe", "is_active: Write yes or no, not “maybe”."),
        ("kind", "half", "kind: “half” is not a kind: write one of fixed_price, percent_off"),
        ("starts_at", "tomorrow", "starts_at: “tomorrow” is not a date"),
        ("group", "gold", "group: No customer group has the slug “gold”."),
        ("customer_email", "nobody@example.com", "No customer account has the email"),
        ("name", "", "name: This field cannot be blank."),
    ],
)
def test_a_bad_cell_is_an_error_on_its_row(client, manager, rules_shop, column, value, message):
    rows = rows_of(export(client))
    rows[1][column] = value
    response = preview(client, as_csv(rows))
    errors = response.context["preview"].errors
    assert [row.number for row in errors] == [3]
    assert message in " ".join(errors[0].errors)


def test_an_unknown_or_repeated_id_is_an_error_not_a_new_rule(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["id"] = "99999"
    rows.append(dict(rows[1]))
    response = preview(client, as_csv(rows))
    found = {row.number: row.errors for row in response.context["preview"].errors}
    assert response.context["preview"].errors[0].name == rows[0]["name"]
    assert "There is no price rule with the id 99999" in found[2][0]
    assert "is on several rows (3, 5)" in found[3][0]
    assert "is on several rows (3, 5)" in found[5][0]


@pytest.mark.parametrize(
    "content, name, file_format, message",
    [
        (b"", "empty.csv", CSV_FORMAT, "file is empty"),
        (b" \n\n", "blank.csv", CSV_FORMAT, "The file is empty."),
        ("name;kind\ncafé;x\n".encode("latin-1"), "latin.csv", CSV_FORMAT, "not UTF-8"),
        (b"name,colour\nA,red\n", "wrong.csv", CSV_FORMAT, "Missing columns: id, group"),
        (b"PK\x03\x04garbage", "broken.xlsx", XLSX_FORMAT, "could not be read as XLSX"),
        (b"\x00\x01 not a spreadsheet", "junk.xlsx", XLSX_FORMAT, "could not be read as XLSX"),
    ],
)
def test_a_bad_file_gets_a_message_and_keeps_the_choices(
    client, manager, rules_shop, content, name, file_format, message
):
    response = preview(client, content, name=name, file_format=file_format, remove_missing="on")
    form = response.context["form"]
    assert message in " ".join(form.errors["import_file"])
    assert form["format"].value() == file_format
    assert form["remove_missing"].value() is True
    assert response.context.get("preview") is None


def test_a_file_with_only_headers_is_refused(client, manager, rules_shop):
    header = export(client).decode().splitlines()[0]
    response = preview(client, (header + "\n").encode())
    assert "no rules" in " ".join(response.context["form"].errors["import_file"])


def test_cart_discounts_round_trip_their_groups_as_slugs(
    client, manager, rules_shop, version_bumps
):
    discount = CartDiscountFactory(name="Trade", groups=[rules_shop["wholesale"]])
    version_bumps.clear()
    rows = rows_of(export(client, CART_DISCOUNTS))
    assert rows[0]["groups"] == "wholesale"
    response = preview(client, as_csv(rows), CART_DISCOUNTS)
    assert statuses(response) == {2: "unchanged"}

    rows[0]["groups"] = "vip, wholesale"
    response = preview(client, as_csv(rows), CART_DISCOUNTS)
    change = response.context["preview"].rows[0].changes
    assert [(c.column, c.before, c.after) for c in change] == [
        ("groups", "wholesale", "vip, wholesale")
    ]
    confirm(client, response, CART_DISCOUNTS)
    assert set(discount.groups.values_list("slug", flat=True)) == {"vip", "wholesale"}
    assert len(version_bumps) == 1

    client.post(CART_DISCOUNTS + "import/undo/")
    assert list(discount.groups.values_list("slug", flat=True)) == ["wholesale"]


def test_quantity_rules_import_with_their_validation(client, manager, rules_shop):
    QuantityRuleFactory(name="Packs of 6", product=rules_shop["knife"], min_quantity=6, step=6)
    rows = rows_of(export(client, QUANTITY_RULES))
    rows[0]["min_quantity"] = "7"
    response = preview(client, as_csv(rows), QUANTITY_RULES)
    assert response.context["preview"].errors[0].errors == [
        "min_quantity: The minimum must be a multiple of the pack size (6)."
    ]
    rows[0]["min_quantity"] = "12"
    confirm(client, preview(client, as_csv(rows), QUANTITY_RULES), QUANTITY_RULES)
    assert QuantityRule.objects.get().min_quantity == 12


def test_an_xlsx_export_imports_back_unchanged_and_edits_apply(client, manager, rules_shop):
    content = export(client, file_format=XLSX_FORMAT)
    response = preview(client, content, name="rules.xlsx", file_format=XLSX_FORMAT)
    assert set(statuses(response).values()) == {"unchanged"}

    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("value") + 1, value=12.5)
    out = io.BytesIO()
    book.save(out)
    response = preview(client, out.getvalue(), name="rules.xlsx", file_format=XLSX_FORMAT)
    assert statuses(response)[2] == "changed"
    confirm(client, response)
    assert PriceRule.objects.get(pk=sheet.cell(row=2, column=1).value).value == Decimal("12.50")
