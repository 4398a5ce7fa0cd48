"""The catalogue admin as the demo shop manager uses it: staff in "Shop managers", no superuser."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from shop.models import Category, Product, ProductImage
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/shop/product/"


@pytest.fixture
def tree():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen", position=0)
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen, position=1)
    cookware = CategoryFactory(name="Cookware", slug="cookware", parent=kitchen, position=0)
    office = CategoryFactory(name="Office", slug="office", position=1)
    return {"kitchen": kitchen, "knives": knives, "cookware": cookware, "office": office}


def png_upload(name="photo.png", size=(1200, 900), color="#1f4e5f") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def product_form(product=None, *, category, images=(), **overrides) -> dict:
    """The POST body of the product change form, with the image inline."""
    data = {
        "sku": product.sku if product else "NEW-1",
        "name_en": product.name if product else "New skillet",
        "slug": product.slug if product else "new-skillet",
        "category": category.pk,
        "description_en": product.description if product else "Heavy and even.",
        "base_price": str(product.base_price) if product else "39.90",
        "tax_class": "standard",
        "stock": product.stock if product else 12,
        "track_stock": "on",
        "is_active": "on",
        "images-TOTAL_FORMS": len(images),
        "images-INITIAL_FORMS": sum(1 for image in images if image.get("id")),
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
    }
    for index, image in enumerate(images):
        for key, value in image.items():
            data[f"images-{index}-{key}"] = value
    data.update(overrides)
    return data


def test_manager_is_staff_but_not_superuser_and_cannot_manage_accounts(client, manager):
    assert manager.is_staff and not manager.is_superuser
    index = client.get("/admin/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "Comptoir administration" in body
    assert "/admin/shop/product/" in body
    assert "/admin/auth/group/" not in body
    for url in ["/admin/auth/group/", "/admin/auth/group/add/"]:
        assert client.get(url).status_code == 403
    # The account admin, wherever it is registered, is out of a manager's reach.
    assert client.get("/admin/customers/user/").status_code in (403, 404)


def test_changelist_lists_products_with_category_path_price_and_thumbnail(client, manager, tree):
    product = ProductFactory(
        sku="KN-100", name="Chef knife", category=tree["knives"], base_price=Decimal("42.50")
    )
    ProductImageFactory(product=product, thumbnail="products/thumbs/chef-400.jpg")
    body = client.get(CHANGELIST).content.decode()
    assert "KN-100" in body and "Chef knife" in body
    assert "Kitchen › Knives" in body
    assert "€42.50" in body
    assert 'src="/media/products/thumbs/chef-400.jpg"' in body


def test_search_by_sku_and_name(client, manager, tree):
    ProductFactory(sku="KN-100", name="Chef knife", category=tree["knives"])
    ProductFactory(sku="PAN-7", name="Sauté pan", category=tree["cookware"])
    by_sku = client.get(CHANGELIST, {"q": "kn-100"}).content.decode()
    assert "Chef knife" in by_sku and "Sauté pan" not in by_sku
    by_name = client.get(CHANGELIST, {"q": "sauté"}).content.decode()
    assert "PAN-7" in by_name and "KN-100" not in by_name


def result_names(response) -> set[str]:
    return {product.name for product in response.context["cl"].result_list}


def test_filters_by_category_subtree_active_stock_and_featured(client, manager, tree):
    ProductFactory(name="Chef knife", category=tree["knives"], stock=0)
    ProductFactory(name="Paring knife", category=tree["knives"], stock=4, is_featured=True)
    ProductFactory(name="Stock pot", category=tree["cookware"], stock=80, is_active=False)
    ProductFactory(name="Stapler", category=tree["office"], stock=0, track_stock=False)

    def names(**params):
        response = client.get(CHANGELIST, params)
        assert response.status_code == 200
        return result_names(response)

    assert names(category=tree["kitchen"].pk) == {"Chef knife", "Paring knife", "Stock pot"}
    assert names(category=tree["knives"].pk) == {"Chef knife", "Paring knife"}
    assert names(is_active__exact="0") == {"Stock pot"}
    assert names(stock="out") == {"Chef knife"}
    # Low: at or below the default threshold (5), out of stock included, as the dashboard counts.
    assert names(stock="low") == {"Chef knife", "Paring knife"}
    assert names(stock="in") == {"Paring knife", "Stock pot", "Stapler"}
    assert names(is_featured__exact="1") == {"Paring knife"}
    # The category filter offers the tree, labelled by path.
    assert "Kitchen › Cookware" in client.get(CHANGELIST).content.decode()


def test_manager_edits_a_product(client, manager, tree):
    product = ProductFactory(name="Chef knife", category=tree["knives"], stock=3)
    url = f"/admin/shop/product/{product.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, product_form(product, category=tree["kitchen"], name_en="Chef's knife 21 cm", stock=9)
    )
    assert response.status_code == 302, response.context["errors"]
    product.refresh_from_db()
    assert (product.name, product.stock, product.category) == (
        "Chef's knife 21 cm",
        9,
        tree["kitchen"],
    )


def test_bad_product_input_is_answered_in_the_form(client, manager, tree):
    response = client.post(
        "/admin/shop/product/add/", product_form(category=tree["knives"], base_price="-3")
    )
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    assert not Product.objects.exists()


def test_uploaded_image_gets_listing_and_detail_thumbnails(client, manager, tree):
    response = client.post(
        "/admin/shop/product/add/",
        product_form(
            category=tree["cookware"],
            images=[{"image": png_upload(), "alt_text": "Skillet from above", "position": 0}],
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    image = ProductImage.objects.get(product__sku="NEW-1")
    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.size == (400, 400)
    with Image.open(image.detail.path) as detail:
        assert detail.size == (800, 800)

    # The product page shows the generated renditions, never the original upload.
    page = client.get("/p/new-skillet/").content.decode()
    assert image.detail.url in page and image.image.url not in page

    # Replacing the photo regenerates the thumbnails.
    old_thumbnail = image.thumbnail.name
    product = image.product
    response = client.post(
        f"/admin/shop/product/{product.pk}/change/",
        product_form(
            product,
            category=tree["cookware"],
            images=[
                {
                    "id": image.pk,
                    "product": product.pk,
                    "image": png_upload("new.png", color="#7a2e3b"),
                    "alt_text": "Skillet, red",
                    "position": 0,
                }
            ],
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    image.refresh_from_db()
    assert image.thumbnail.name != old_thumbnail
    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.getpixel((200, 200)) != (31, 78, 95)

    change_page = client.get(f"/admin/shop/product/{product.pk}/change/").content.decode()
    assert image.thumbnail.url in change_page  # the inline preview


def test_a_non_image_upload_is_refused(client, manager, tree):
    bogus = SimpleUploadedFile("evil.png", b"not an image", content_type="image/png")
    response = client.post(
        "/admin/shop/product/add/",
        product_form(
            category=tree["cookware"], images=[{"image": bogus, "alt_text": "x", "position": 0}]
        ),
    )
    assert response.status_code == 200
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize(
    ("action", "before", "after"), [("activate", False, True), ("deactivate", True, False)]
)
def test_bulk_activate_and_deactivate(client, manager, tree, action, before, after):
    chosen = ProductFactory.create_batch(3, category=tree["knives"], is_active=before)
    other = ProductFactory(category=tree["knives"], is_active=before)
    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in chosen], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert f"3 products {action}d." in response.content.decode()
    assert set(Product.objects.filter(is_active=after).values_list("pk", flat=True)) == {
        p.pk for p in chosen
    }
    other.refresh_from_db()
    assert other.is_active is before


def test_product_changelist_queries_do_not_grow_with_products(
    client, manager, tree, django_assert_max_num_queries
):
    def add_products(count):
        for product in ProductFactory.create_batch(count, category=tree["knives"]):
            ProductImageFactory(product=product)
            product.visible_to.clear()

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        return len(context.captured_queries), len(response.context["cl"].result_list)

    add_products(5)
    with django_assert_max_num_queries(15):
        small, shown = queries()
    assert shown == 5
    add_products(45)
    with django_assert_max_num_queries(15):
        large, shown = queries()
    assert shown == 50
    assert large == small


def test_category_admin_shows_the_tree_and_edits_positions(client, manager, tree):
    response = client.get("/admin/shop/category/")
    body = response.content.decode()
    labels = [str(c.admin_category_path) for c in response.context["cl"].result_list]
    # Each root is followed by its children, by position.
    assert labels == ["Kitchen", "Kitchen › Cookware", "Kitchen › Knives", "Office"]
    assert "Kitchen › Knives" in body

    rows = list(response.context["cl"].result_list)
    data = {
        "form-TOTAL_FORMS": len(rows),
        "form-INITIAL_FORMS": len(rows),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, category in enumerate(rows):
        data[f"form-{index}-id"] = category.pk
        data[f"form-{index}-position"] = 5 if category.slug == "knives" else category.position
    assert client.post("/admin/shop/category/", data).status_code == 302
    assert Category.objects.get(slug="knives").position == 5

    # Filter by parent: the children of Kitchen only.
    children = client.get("/admin/shop/category/", {"parent__id__exact": tree["kitchen"].pk})
    assert {c.slug for c in children.context["cl"].result_list} == {"knives", "cookware"}


def test_category_cannot_be_its_own_ancestor(client, manager, tree):
    kitchen = tree["kitchen"]
    response = client.post(
        f"/admin/shop/category/{kitchen.pk}/change/",
        {
            "name_en": "Kitchen",
            "slug": "kitchen",
            "parent": tree["knives"].pk,
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot be placed inside itself" in response.content.decode()
