"""The storefront version the page cache is keyed by: the database raises it on every write a
storefront page shows, whatever made the write, and not on a checkout's stock writes."""

import pytest
from django.db import connection

from shop.models import Category, Product, ShopDetails, StorefrontVersion
from shop.pages.services import page_save
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PageFactory,
    ProductFactory,
    ProductImageFactory,
)

pytestmark = pytest.mark.django_db


def raised_by(write) -> bool:
    before = StorefrontVersion.read().storefront
    write()
    return StorefrontVersion.read().storefront > before


def test_every_product_column_but_the_stock_raises_it():
    """A column added later that the triggers do not name fails here (migration 0029)."""
    product = ProductFactory()
    quote = connection.ops.quote_name
    for field in Product._meta.concrete_fields:
        if field.column == "stock":
            continue
        sql = f"UPDATE shop_product SET {quote(field.column)} = {quote(field.column)} WHERE id = %s"

        def touch(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, [product.pk])

        assert raised_by(touch), field.column


def test_stock_counts_only_when_the_product_runs_out_or_comes_back():
    product = ProductFactory(stock=5)
    stock = Product.objects.filter(pk=product.pk)
    assert not raised_by(lambda: stock.update(stock=3))
    assert raised_by(lambda: stock.update(stock=0))
    assert not raised_by(lambda: stock.update(stock=0))
    assert raised_by(lambda: stock.update(stock=2))


def test_products_created_deleted_and_saved_raise_it():
    category = CategoryFactory()
    product = None

    def create():
        nonlocal product
        product = ProductFactory(category=category)

    assert raised_by(create)
    assert raised_by(lambda: setattr(product, "name", "Renamed") or product.save())
    assert raised_by(lambda: Product.objects.filter(pk=product.pk).update(is_active=False))
    assert raised_by(product.delete)


def test_categories_visibility_pictures_pages_and_seller_raise_it():
    category = CategoryFactory()
    product = ProductFactory(category=category)
    group = CustomerGroupFactory()
    assert raised_by(lambda: Category.objects.filter(pk=category.pk).update(position=3))
    assert raised_by(lambda: category.visible_to.add(group))
    assert raised_by(lambda: category.visible_to.remove(group))
    assert raised_by(lambda: product.visible_to.add(group))
    assert raised_by(lambda: ProductImageFactory(product=product))
    page = PageFactory()
    page.body = "A new paragraph."
    assert raised_by(lambda: page_save(page=page))
    assert raised_by(lambda: ShopDetails.objects.update_or_create(pk=1, defaults={"city": "Lyon"}))


def test_it_is_raised_even_when_its_row_is_gone():
    """A flushed database (transactional tests, a restore) starts the count again."""
    StorefrontVersion.objects.all().delete()
    assert StorefrontVersion.read().storefront == 0
    ProductFactory()
    assert StorefrontVersion.read().storefront >= 1
