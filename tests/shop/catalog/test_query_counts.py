"""A category page makes the same number of queries whatever the number of products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

MAX_CATEGORY_QUERIES = 10


def count_queries(client, url) -> int:
    """Queries of a request once the process has compiled the pricing rules (the first
    request of a process, or the first after a rule change, also loads them)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("logged_in", [False, True])
def test_category_page_queries_do_not_grow_with_products(client, settings, logged_in):
    settings.SHOP_PAGE_SIZE = 500
    if logged_in:
        client.force_login(UserFactory())
    root = CategoryFactory(slug="root")
    child = CategoryFactory(parent=root)
    ProductFactory.create_batch(10, category=child)
    small = count_queries(client, "/c/root/")
    ProductFactory.create_batch(190, category=child)
    large = count_queries(client, "/c/root/")
    assert small == large <= MAX_CATEGORY_QUERIES


def test_product_search_and_home_queries_are_bounded(client, django_assert_max_num_queries):
    child = CategoryFactory(parent=CategoryFactory())
    ProductFactory.create_batch(30, category=child, is_featured=True)
    product = ProductFactory(category=child)
    for url in ["/", product.get_absolute_url(), "/search/?q=Product"]:
        client.get(url)  # compiles the pricing rules once
        with django_assert_max_num_queries(MAX_CATEGORY_QUERIES):
            assert client.get(url).status_code == 200
