"""Products in bulk: a manager exports the catalogue, edits it in a spreadsheet, previews the
import (a dry run that writes nothing) and confirms it (one transaction, one version bump)."""

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from shop.models import Category, Product, ProductImage
from tests.factories import CategoryFactory, ProductFactory, StaffUserFactory
from tests.shop.catalog.import_support import (
    PRODUCT_COLUMNS,
    PRODUCTS,
    XLSX_FORMAT,
    as_csv,
    confirm,
    export,
    preview,
    product_row,
    record_version_bumps,
    row_errors,
    rows_of,
    totals,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_bumps(monkeypatch):
    return record_version_bumps(monkeypatch)


@pytest.fixture
def shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    cookware = CategoryFactory(name="Cookware", slug="cookware", parent=kitchen)
    office = CategoryFactory(name="Office", slug="office")
    pan = ProductFactory(
        sku="PAN-1",
        name="Copper pan",
        slug="copper-pan",
        category=cookware,
        base_price=Decimal("39.90"),
    )
    pot = ProductFactory(
        sku="POT-1",
        name="Stock pot",
        slug="stock-pot",
        category=cookware,
        base_price=Decimal("25.00"),
    )
    stapler = ProductFactory(
        sku="OFF-7", name="Stapler", slug="stapler", category=office, base_price=Decimal("5.00")
    )
    return {
        "kitchen": kitchen,
        "cookware": cookware,
        "office": office,
        "pan": pan,
        "pot": pot,
        "stapler": stapler,
    }


def edited_export(client, **changes_by_sku) -> bytes:
    rows = rows_of(export(client))
    for row in rows:
        row.update(changes_by_sku.get(row["sku"], {}))
    return as_csv(rows)


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), "#1f4e5f").save(buffer, format="PNG")
    return buffer.getvalue()


# --- preview and confirm ---------------------------------------------------------------------


def test_preview_counts_and_shows_changes_and_writes_nothing(client, manager, shop, version_bumps):
    rows = rows_of(export(client))
    for row in rows:
        if row["sku"] == "POT-1":
            row["base_price"] = "27.50"
    rows.append(product_row(sku="LID-1", name="Glass lid", category="Kitchen > Lids"))
    response = preview(client, as_csv(rows))

    assert totals(response) == {"new": 1, "changed": 1, "unchanged": 2}
    body = response.content.decode()
    assert "<strong>1</strong> new" in body and "<strong>2</strong> unchanged" in body
    changed = next(r for r in response.context["result"].valid_rows() if r.import_type == "update")
    headers = response.context["result"].diff_headers
    marked = [headers[i] for i, cell in enumerate(changed.diff) if "<del" in cell or "<ins" in cell]
    assert marked == ["base_price"]  # the one changed column, marked in the row's diff
    assert response.context["result"].created_categories == ["Kitchen > Lids"]
    assert "Categories this import creates" in body
    assert response.context["confirm_form"] is not None
    assert Product.objects.get(sku="POT-1").base_price == Decimal("25.00")
    assert not Product.objects.filter(sku="LID-1").exists()
    assert not Category.objects.filter(name="Lids").exists()
    assert version_bumps == []


def test_confirm_writes_every_row_and_bumps_the_version_once(client, manager, shop, version_bumps):
    rows = [
        product_row(sku="LID-1", name="Glass lid", category="kitchen > cookware"),
        product_row(sku="MUG-1", name="Mug", category="Kitchen > Tableware > Mugs", base_price="4"),
        product_row(
            sku="POT-1", name="Stock pot", category="Kitchen > Cookware", base_price="27.50"
        ),
    ]
    response = confirm(client, preview(client, as_csv(rows)))

    assert response.status_code == 302 and response.url == PRODUCTS
    assert Product.objects.get(sku="LID-1").category == shop["cookware"]  # case does not matter
    mug = Product.objects.get(sku="MUG-1")
    assert mug.base_price == Decimal("4.00") and mug.slug == "mug"
    assert [c.name for c in (mug.category.parent.parent, mug.category.parent, mug.category)] == [
        "Kitchen",
        "Tableware",
        "Mugs",
    ]
    assert Product.objects.get(sku="POT-1").base_price == Decimal("27.50")
    assert len(version_bumps) == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Import done. New: 2, changed: 1, unchanged: 0."]


def test_re_importing_an_export_changes_nothing_and_bumps_nothing(
    client, manager, shop, version_bumps
):
    before = list(Product.objects.order_by("pk").values())
    response = preview(client, export(client))
    assert totals(response) == {"new": 0, "changed": 0, "unchanged": 3}
    assert "nothing to import" in response.content.decode()
    confirm(client, response)
    assert list(Product.objects.order_by("pk").values()) == before
    assert version_bumps == []


def test_an_imported_product_is_found_by_the_storefront_search(client, manager, shop):
    row = product_row(sku="WOK-9", name="Carbon wok", description="Seasoned for stir fries.")
    confirm(client, preview(client, as_csv([row])))
    client.logout()
    assert "Carbon wok" in client.get("/search/?q=wok").content.decode()
    assert "Carbon wok" in client.get("/search/?q=WOK-9").content.decode()


def test_xlsx_export_and_import(client, manager, shop):
    content = export(client, file_format=XLSX_FORMAT)
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == PRODUCT_COLUMNS
    sku_column = header.index("sku") + 1
    price_column = header.index("base_price") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, sku_column).value == "OFF-7":
            sheet.cell(row, price_column).value = 6.5  # a spreadsheet's number
    buffer = BytesIO()
    sheet.parent.save(buffer)
    response = preview(client, buffer.getvalue(), name="products.xlsx", file_format=XLSX_FORMAT)
    assert totals(response) == {"new": 0, "changed": 1, "unchanged": 2}
    confirm(client, response)
    assert Product.objects.get(sku="OFF-7").base_price == Decimal("6.50")


def test_the_preview_costs_the_same_queries_for_3_and_30_rows(client, manager, shop):
    def queries_for(count: int) -> int:
        rows = [
            product_row(sku=f"NEW-{count}-{n}", name=f"Item {n}", category="Kitchen > Cookware")
            for n in range(count)
        ]
        content = as_csv(rows)
        with CaptureQueriesContext(connection) as queries:
            preview(client, content)
        return len(queries)

    assert queries_for(3) == queries_for(30)


# --- slugs, categories ------------------------------------------------------------------------


def test_an_empty_slug_is_generated_unique_and_an_existing_product_keeps_its_own(
    client, manager, shop
):
    rows = [
        product_row(sku="PAN-2", name="Copper pan"),  # "copper-pan" is PAN-1's
        product_row(sku="PAN-3", name="Copper pan"),
        product_row(sku="PAN-1", name="Copper pan", slug="", category="Kitchen > Cookware"),
    ]
    confirm(client, preview(client, as_csv(rows)))
    slugs = dict(Product.objects.values_list("sku", "slug"))
    assert slugs["PAN-1"] == "copper-pan"
    assert slugs["PAN-2"] == "copper-pan-pan-2"
    assert slugs["PAN-3"] == "copper-pan-pan-3"


def test_a_slug_of_another_product_is_an_error_on_its_row(client, manager, shop):
    response = preview(client, as_csv([product_row(sku="PAN-2", slug="stapler")]))
    assert row_errors(response) == [
        (2, "slug", "The slug “stapler” is the product OFF-7's: choose another one.")
    ]


def test_a_new_category_gets_a_free_slug(client, manager, shop):
    CategoryFactory(name="Misc", slug="lids")
    confirm(client, preview(client, as_csv([product_row(category="Kitchen > Lids")])))
    assert Category.objects.get(name="Lids").slug == "kitchen-lids"


# --- errors -------------------------------------------------------------------------------------


def test_errors_are_listed_by_row_and_column_and_nothing_is_imported(
    client, manager, shop, version_bumps
):
    rows = [
        product_row(sku="OK-1", name="Fine"),
        product_row(sku="BAD-1", base_price="-1"),
        product_row(sku="BAD-2", base_price="3.999"),
        product_row(sku="BAD-3", tax_class="luxury"),
        product_row(sku="BAD-4", is_active="maybe"),
        product_row(sku="BAD-5", category="Kitchen >  > Pans"),
        product_row(sku="BAD-6", stock="-3"),
        product_row(sku="BAD-7", name=""),
    ]
    response = preview(client, as_csv(rows))
    errors = row_errors(response)
    by_row = {row: (column, message) for row, column, message in errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert by_row[3][0] == "base_price" and "greater than or equal to 0" in by_row[3][1]
    assert by_row[4][0] == "base_price" and "2 decimal places" in by_row[4][1]
    assert by_row[5] == (
        "tax_class",
        "“luxury” is not a tax class: write one of standard, reduced, zero.",
    )
    assert by_row[6] == ("is_active", "Write yes or no, not “maybe”.")
    assert by_row[7][0] == "category" and "empty level" in by_row[7][1]
    assert by_row[8][0] == "stock"
    assert by_row[9][0] == "name"
    assert response.context.get("confirm_form") is None
    assert "7 rows have errors. Nothing will be imported" in response.content.decode()
    assert not Product.objects.filter(sku="OK-1").exists()
    assert not Category.objects.filter(name="Pans").exists()
    assert version_bumps == []


def test_a_sku_on_two_rows_is_an_error_on_both(client, manager, shop):
    response = preview(client, as_csv([product_row(sku="DUP"), product_row(sku="DUP")]))
    assert [(row, message) for row, _column, message in row_errors(response)] == [
        (2, "The SKU DUP is on several rows (2, 3): each product once."),
        (3, "The SKU DUP is on several rows (2, 3): each product once."),
    ]
    assert "Row 2: The SKU DUP is on several rows" in response.content.decode()
    assert response.context.get("confirm_form") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sku,name\nPAN-9,Pan\n", "Missing columns: category, base_price."),
        (
            as_csv([{**product_row(), "colour": "red"}]),
            "Unknown columns: colour.",
        ),
        ("sku,name,category,base_price\nA,Pan é,K,1\n".encode("latin-1"), "This file is not UTF-8"),
        (
            b"sku,name,category,base_price\nA,Pan,K,1,extra,cells\n",
            "as many cells as the header",
        ),
    ],
)
def test_a_malformed_file_says_why_and_imports_nothing(
    client, manager, shop, content, message, version_bumps
):
    response = preview(client, content)
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert Product.objects.count() == 3
    assert version_bumps == []


def test_garbage_as_xlsx_says_why(client, manager, shop):
    response = preview(client, b"not a workbook", name="products.xlsx", file_format=XLSX_FORMAT)
    assert "could not be read in the chosen format" in response.content.decode()


def test_a_confirm_that_fails_now_writes_nothing(client, manager, shop, version_bumps):
    response = preview(
        client, as_csv([product_row(sku="NEW-1", slug="fresh"), product_row(sku="NEW-2")])
    )
    ProductFactory(
        sku="OTHER", slug="fresh", category=shop["office"]
    )  # a colleague took the slug in between
    done = confirm(client, response)
    assert done.status_code == 302 and done.url == PRODUCTS + "import/"
    assert "Nothing was imported" in str(list(done.wsgi_request._messages)[0])
    assert not Product.objects.filter(sku__in=["NEW-1", "NEW-2"]).exists()
    assert version_bumps == []


# --- images ---------------------------------------------------------------------------------------


def test_an_image_file_of_the_media_folder_is_attached_with_its_thumbnails(client, manager, shop):
    default_storage.save("products/copper.png", ContentFile(png_bytes()))
    rows = [
        product_row(
            sku="PAN-1", name="Copper pan", category="Kitchen > Cookware", images="copper.png"
        )
    ]
    response = preview(client, as_csv(rows))
    assert totals(response) == {"new": 0, "changed": 1, "unchanged": 0}
    assert not ProductImage.objects.exists()
    confirm(client, response)
    image = ProductImage.objects.get()
    assert image.product == shop["pan"] and image.image.name == "products/copper.png"
    assert image.thumbnail and default_storage.exists(image.thumbnail.name)
    # Exported, it is re-imported as it is.
    assert totals(preview(client, export(client))) == {"new": 0, "changed": 0, "unchanged": 3}


@pytest.mark.parametrize(
    ("images", "message"),
    [
        ("../../etc/passwd.png", "is not a file name of the media folder"),
        ("/etc/hosts.png", "is not a file name of the media folder"),
        ("missing.png", "There is no image “missing.png” in the media folder"),
        ("notes.txt", "is not an image"),
    ],
)
def test_image_names_that_are_not_uploaded_files_are_refused(
    client, manager, shop, images, message
):
    """Web addresses are the other way to name an image: tests/shop/catalog/test_image_urls.py."""
    response = preview(client, as_csv([product_row(sku="NEW-1", images=images)]))
    errors = row_errors(response)
    assert len(errors) == 1 and errors[0][:2] == (2, "images") and message in errors[0][2]


# --- export ---------------------------------------------------------------------------------------


def test_an_export_follows_the_changelist_filters_and_search(client, manager, shop):
    in_kitchen = rows_of(export(client, query=f"?category={shop['kitchen'].pk}"))
    assert sorted(row["sku"] for row in in_kitchen) == ["PAN-1", "POT-1"]
    assert [row["category"] for row in in_kitchen] == ["Kitchen > Cookware"] * 2
    searched = rows_of(export(client, query="?q=stapler"))
    assert [row["sku"] for row in searched] == ["OFF-7"]
    assert len(rows_of(export(client))) == 3


def test_formula_looking_cells_are_exported_as_text_and_re_imported_unchanged(
    client, manager, shop
):
    Product.objects.filter(sku="OFF-7").update(
        name='=HYPERLINK("http://evil","x")', description="+1 cmd"
    )
    rows = rows_of(export(client))
    stapler = next(row for row in rows if row["sku"] == "OFF-7")
    assert stapler["name"] == '\'=HYPERLINK("http://evil","x")'
    assert stapler["description"] == "'+1 cmd"
    sheet = openpyxl.load_workbook(BytesIO(export(client, file_format=XLSX_FORMAT))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert [cell.data_type for cell in cells] == ["s"]
    assert totals(preview(client, as_csv(rows))) == {"new": 0, "changed": 0, "unchanged": 3}


# --- permissions ----------------------------------------------------------------------------------


def staff_with(client, *codenames):
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="shop", codename__in=codenames)
    )
    client.force_login(user)
    return user


def test_the_manager_sees_import_and_export(client, manager, shop):
    body = client.get(PRODUCTS).content.decode()
    assert f"href='{PRODUCTS}import/'" in body and f'href="{PRODUCTS}export/' in body


def test_a_staff_who_may_only_view_exports_but_cannot_import(client, shop):
    staff_with(client, "view_product")
    body = client.get(PRODUCTS).content.decode()
    assert f"href='{PRODUCTS}import/'" not in body and f'href="{PRODUCTS}export/' in body
    assert client.get(PRODUCTS + "import/").status_code == 403
    assert client.post(PRODUCTS + "process_import/", {}).status_code == 403
    assert len(rows_of(export(client))) == 3


def test_import_needs_add_and_change(client, shop):
    staff_with(client, "view_product", "change_product")
    assert client.get(PRODUCTS + "import/").status_code == 403
    staff_with(client, "view_product", "change_product", "add_product")
    assert client.get(PRODUCTS + "import/").status_code == 200
