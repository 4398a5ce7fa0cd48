"""Rules managed in bulk: export, import with a preview, confirm, undo, as a shop manager."""

import csv
import io
import re
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.permissions import SHOP_MANAGERS
from pricing.imports.preview import proposed_price_rules
from pricing.models import PriceRule, PricingVersion, QuantityRule, RuleImport
from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

PRICE_RULES = "/admin/pricing/pricerule/"
QUANTITY_RULES = "/admin/pricing/quantityrule/"
CART_DISCOUNTS = "/admin/pricing/cartdiscount/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def bumps(monkeypatch):
    """The pricing version bumps made during the test (after the factories')."""
    made = []
    bump = PricingVersion.bump
    monkeypatch.setattr(PricingVersion, "bump", lambda: made.append(bump()))
    return made


@pytest.fixture
def shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knife = ProductFactory(sku="KNF-1", name="Chef knife", category=kitchen, base_price=10)
    stapler = ProductFactory(sku="OFF-7", name="Stapler", base_price=5)
    wholesale = WholesaleGroupFactory()
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    buyer = UserFactory(email="buyer@example.com")
    start = timezone.make_aware(datetime(2026, 12, 24, 18, 0))
    rules = [
        PriceRuleFactory(
            name="Wholesale kitchen", group=wholesale, category=kitchen, value=Decimal("15")
        ),
        PriceRuleFactory(
            name="Knife for the buyer",
            customer=buyer,
            product=knife,
            kind="fixed_price",
            value=Decimal("8.50"),
            min_quantity=10,
            starts_at=start,
        ),
        PriceRuleFactory(name="Everyone 5", value=Decimal("5"), is_active=False),
    ]
    return {
        "kitchen": kitchen,
        "knife": knife,
        "stapler": stapler,
        "wholesale": wholesale,
        "vip": vip,
        "buyer": buyer,
        "rules": rules,
    }


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


# --- export, then re-import ------------------------------------------------------------------


def test_an_export_names_related_objects_by_sku_slug_and_email(client, manager, shop):
    rows = rows_of(export(client))
    knife_rule = next(row for row in rows if row["name"] == "Knife for the buyer")
    assert knife_rule == {
        "id": str(shop["rules"][1].pk),
        "name": "Knife for the buyer",
        "group": "",
        "customer_email": "buyer@example.com",
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


def test_re_importing_an_export_changes_nothing(client, manager, shop, bumps):
    response = preview(client, export(client))
    assert set(statuses(response).values()) == {"unchanged"}
    assert response.context["confirm_form"] is None
    assert "there is nothing to import" in response.content.decode()
    assert bumps == []


def test_a_changed_price_shows_before_and_after_and_is_written_only_when_confirmed(
    client, manager, shop, bumps
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
    assert bumps == []

    done = confirm(client, response)
    assert done.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.value) == ("amount_off", Decimal("20.00"))
    assert len(bumps) == 1


def test_new_rows_are_added_and_the_import_bumps_the_version_once(client, manager, shop, bumps):
    rows = rows_of(export(client))
    template = dict(rows[0], id="", group="vip", category="", value="3")
    new_rows = [dict(template, name=f"VIP {n}", min_quantity=str(n)) for n in range(1, 31)]
    response = preview(client, as_csv(rows + new_rows))
    assert response.context["preview"].count("new") == 30

    confirm(client, response)
    assert PriceRule.objects.filter(group=shop["vip"]).count() == 30
    assert len(bumps) == 1
    assert RuleImport.objects.get().created_ids == sorted(
        PriceRule.objects.filter(group=shop["vip"]).values_list("pk", flat=True)
    )


# --- errors ----------------------------------------------------------------------------------


def test_errors_are_reported_by_row_and_nothing_is_written(client, manager, shop, bumps):
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
    assert bumps == []


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
def test_a_bad_cell_is_an_error_on_its_row(client, manager, shop, column, value, message):
    rows = rows_of(export(client))
    rows[1][column] = value
    response = preview(client, as_csv(rows))
    errors = response.context["preview"].errors
    assert [row.number for row in errors] == [3]
    assert message in " ".join(errors[0].errors)


def test_an_unknown_or_repeated_id_is_an_error_not_a_new_rule(client, manager, shop):
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
    client, manager, shop, content, name, file_format, message
):
    response = preview(client, content, name=name, file_format=file_format, remove_missing="on")
    form = response.context["form"]
    assert message in " ".join(form.errors["import_file"])
    assert form["format"].value() == file_format
    assert form["remove_missing"].value() is True
    assert response.context.get("preview") is None


def test_a_file_with_only_headers_is_refused(client, manager, shop):
    header = export(client).decode().splitlines()[0]
    response = preview(client, (header + "\n").encode())
    assert "no rules" in " ".join(response.context["form"].errors["import_file"])


def test_a_write_failing_at_the_confirm_rolls_everything_back(
    client, manager, shop, bumps, monkeypatch
):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    rows.append(dict(rows[0], id="", name="Added"))
    response = preview(client, as_csv(rows))

    def failing_update(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr(QuerySet, "bulk_update", failing_update)
    refused = confirm(client, response)
    assert refused.status_code == 302
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")
    assert not PriceRule.objects.filter(name="Added").exists()
    assert not RuleImport.objects.exists()
    assert bumps == []


# --- sync ------------------------------------------------------------------------------------


def test_sync_lists_and_removes_rules_missing_from_the_file(client, manager, shop, bumps):
    rows = rows_of(export(client))
    kept = rows[:1]
    response = preview(client, as_csv(kept), remove_missing="on")
    removed = response.context["preview"].removed
    assert sorted(row.rule_id for row in removed) == sorted(int(row["id"]) for row in rows[1:])
    assert "Confirming also deletes 2 rules missing from the file." in response.content.decode()
    assert PriceRule.objects.count() == 3

    confirm(client, response)
    assert list(PriceRule.objects.values_list("pk", flat=True)) == [int(kept[0]["id"])]
    assert len(bumps) == 1


def test_without_sync_missing_rules_stay(client, manager, shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "16"
    response = preview(client, as_csv(rows[:1]))
    assert response.context["preview"].removed == []
    confirm(client, response)
    assert PriceRule.objects.count() == 3


# --- undo ------------------------------------------------------------------------------------


def rule_state(model):
    return [
        {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        for obj in model.objects.order_by("pk")
    ]


def test_undo_restores_the_rules_exactly(client, manager, shop, bumps):
    before = rule_state(PriceRule)
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    rows[1:2] = []  # removed by the sync
    rows.append(dict(rows[0], id="", name="Added"))
    confirm(client, preview(client, as_csv(rows), remove_missing="on"))
    assert PriceRule.objects.filter(name="Added").exists()
    bumps.clear()

    page = client.get(PRICE_RULES + "import/undo/")
    assert page.status_code == 200
    assert page.context["summary"] == {"delete": 1, "revert": 1, "recreate": 1}
    done = client.post(PRICE_RULES + "import/undo/")
    assert done.status_code == 302
    assert rule_state(PriceRule) == before
    assert len(bumps) == 1
    assert RuleImport.objects.get().undone_at is not None
    assert "Undo last import" not in client.get(PRICE_RULES).content.decode()


def test_undo_is_refused_when_the_rules_were_edited_since(client, manager, shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    confirm(client, preview(client, as_csv(rows)))
    PriceRule.objects.filter(pk=rows[0]["id"]).update(value=Decimal("31"))

    page = client.get(PRICE_RULES + "import/undo/")
    assert "was edited since" in page.content.decode()
    client.post(PRICE_RULES + "import/undo/")
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("31")
    assert RuleImport.objects.get().undone_at is None


def test_only_the_latest_import_can_be_undone_once(client, manager, shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    confirm(client, preview(client, as_csv(rows)))
    rows[0]["value"] = "40"
    confirm(client, preview(client, as_csv(rows)))
    client.post(PRICE_RULES + "import/undo/")
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("30")
    response = client.get(PRICE_RULES + "import/undo/")
    assert response.status_code == 302  # nothing left to undo
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("30")


# --- the other models, XLSX ------------------------------------------------------------------


def test_cart_discounts_round_trip_their_groups_as_slugs(client, manager, shop, bumps):
    discount = CartDiscountFactory(name="Trade", groups=[shop["wholesale"]])
    bumps.clear()
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
    assert len(bumps) == 1

    client.post(CART_DISCOUNTS + "import/undo/")
    assert list(discount.groups.values_list("slug", flat=True)) == ["wholesale"]


def test_quantity_rules_import_with_their_validation(client, manager, shop):
    QuantityRuleFactory(name="Packs of 6", product=shop["knife"], min_quantity=6, step=6)
    rows = rows_of(export(client, QUANTITY_RULES))
    rows[0]["min_quantity"] = "7"
    response = preview(client, as_csv(rows), QUANTITY_RULES)
    assert response.context["preview"].errors[0].errors == [
        "min_quantity: The minimum must be a multiple of the pack size (6)."
    ]
    rows[0]["min_quantity"] = "12"
    confirm(client, preview(client, as_csv(rows), QUANTITY_RULES), QUANTITY_RULES)
    assert QuantityRule.objects.get().min_quantity == 12


def test_an_xlsx_export_imports_back_unchanged_and_edits_apply(client, manager, shop):
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


# --- permissions -----------------------------------------------------------------------------


def staff_with(client, *codenames):
    user = StaffUserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def test_import_needs_add_and_change_and_export_needs_view(client, shop):
    staff_with(client, "view_pricerule", "change_pricerule")
    page = client.get(PRICE_RULES).content.decode()
    assert 'href="/admin/pricing/pricerule/export/' in page
    assert 'href="/admin/pricing/pricerule/import/' not in page
    assert client.get(PRICE_RULES + "import/").status_code == 403
    assert client.post(PRICE_RULES + "process_import/", {}).status_code == 403

    staff_with(client, "change_pricerule")
    assert client.get(PRICE_RULES + "export/").status_code == 403


def test_the_sync_option_needs_delete(client, manager, shop):
    content = export(client)
    staff_with(client, "view_pricerule", "add_pricerule", "change_pricerule")
    page = client.get(PRICE_RULES + "import/")
    assert "remove_missing" not in page.context["form"].fields
    response = preview(client, content, remove_missing="on")
    assert response.context["preview"].removed == []


def test_a_manager_from_the_shop_managers_group_sees_the_buttons(client, manager, shop):
    assert manager.groups.filter(name=SHOP_MANAGERS).exists()
    page = client.get(QUANTITY_RULES).content.decode()
    assert "/admin/pricing/quantityrule/import/" in page
    assert "/admin/pricing/quantityrule/export/" in page


def test_the_confirm_needs_the_signed_upload_of_the_same_user(client, manager, shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    response = preview(client, as_csv(rows))
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["upload"] = data["upload"][:-2] + "xx"
    refused = client.post(PRICE_RULES + "process_import/", data)
    assert refused.status_code == 302
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")


def test_the_confirm_refuses_when_the_rules_changed_since_the_preview(client, manager, shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    response = preview(client, as_csv(rows))
    PriceRule.objects.filter(pk=rows[1]["id"]).update(value=Decimal("9"))
    again = confirm(client, response)
    assert again.status_code == 200
    assert "changed since the preview" in again.content.decode()
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")
    assert again.context["confirm_form"] is not None


# --- proposed rules and query counts ---------------------------------------------------------


def test_proposed_price_rules_are_the_active_rules_after_the_import(client, manager, shop):
    first, second, inactive = shop["rules"]
    rows = rows_of(export(client))
    by_id = {int(row["id"]): row for row in rows}
    by_id[first.pk]["value"] = "25"
    by_id[inactive.pk]["is_active"] = "yes"
    new = dict(by_id[first.pk], id="", name="New one", value="2")
    kept = [by_id[first.pk], by_id[inactive.pk], new]
    response = preview(client, as_csv(kept), remove_missing="on")

    proposed = {rule.id: rule for rule in proposed_price_rules(response.context["preview"])}
    assert set(proposed) == {first.pk, inactive.pk, -4}
    assert proposed[first.pk].value == Decimal("25")
    assert proposed[-4].name == "New one" and proposed[-4].value == Decimal("2")
    assert proposed[-4].group_id == shop["wholesale"].pk


def test_the_preview_costs_the_same_queries_at_any_size(client, manager, shop):
    template = rows_of(export(client))[0]
    products = [ProductFactory(sku=f"SKU-{n}") for n in range(40)]

    def queries_for(count):
        rows = [
            dict(template, id="", name=f"R{n}", category="", product_sku=products[n].sku)
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            response = preview(client, as_csv(rows))
        assert response.context["preview"].count("new") == count
        return len(queries)

    assert queries_for(4) == queries_for(40)


def test_the_export_costs_the_same_queries_at_any_size(client, manager, shop):
    def queries_for():
        with CaptureQueriesContext(connection) as queries:
            export(client, CART_DISCOUNTS)
        return len(queries)

    CartDiscountFactory(groups=[shop["vip"]])
    few = queries_for()
    for _ in range(10):
        CartDiscountFactory(groups=[shop["vip"], shop["wholesale"]])
    assert queries_for() == few


def test_the_pages_render_for_a_manager(client, manager, shop):
    assert client.get(PRICE_RULES + "import/").status_code == 200
    assert client.get(PRICE_RULES + "export/").status_code == 200
    assert re.search(r"Price simulator", client.get(PRICE_RULES).content.decode())
    assert Group.objects.filter(name=SHOP_MANAGERS).exists()
