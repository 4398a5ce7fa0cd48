"""Counts on the storefront follow the reader's locale, like money: grouping and digits."""

import pytest
from django.conf import settings

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def product_page(client, product, language) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(product.get_absolute_url()).content.decode()


def test_the_stock_shown_is_grouped_as_the_reader_writes_numbers(client, settings):
    product = ProductFactory(stock=12345, track_stock=True)
    assert "(12,345 available)" in product_page(client, product, "en")
    assert "12\u202f345" in product_page(client, product, "fr")
    settings.SHOP_FORMAT_LOCALES = {**settings.SHOP_FORMAT_LOCALES, "ar": "ar_EG"}
    assert "١٢٬٣٤٥" in product_page(client, product, "ar")
