"""A category page makes the same number of queries whatever the number of products."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing import services as pricing_services
from pricing.models import PriceRule
from shop.models import Product
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    ProductFactory,
    UserFactory,
    default_group,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_pages")]

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


def _add_products(category, count, start):
    Product.objects.bulk_create(
        Product(
            sku=f"Q-{start + n:05d}",
            name=f"Product {start + n}",
            slug=f"q-{start + n}",
            category=category,
            base_price=Decimal(10 + (start + n) % 37),
        )
        for n in range(count)
    )


def _add_rules(category, count):
    """Rules for everyone, the buyer's group and other groups, on products and categories."""
    groups = [default_group(), *CustomerGroupFactory.create_batch(2)]
    PriceRule.objects.bulk_create(
        PriceRule(
            name=f"Rule {n}",
            kind="percent_off",
            value=Decimal(n % 30),
            priority=n % 3,
            group=groups[n % 3] if n % 4 else None,
            category=category if n % 2 else None,
        )
        for n in range(count)
    )
    pricing_services.rules_changed()


def first_and_warm_queries(client, url) -> tuple[int, int]:
    """Queries of the first request after a rule change (which also loads the rules and, for a
    price sort, prices the whole listing), then of a warm request."""
    pricing_services.rules_changed()
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(first.captured_queries), len(warm.captured_queries)


@pytest.mark.parametrize("strategy", ["lowest", "priority"])
@pytest.mark.parametrize("sort", ["price", "-price", "name"])
@pytest.mark.parametrize("rules", [10, 1000])
def test_category_page_sorted_queries_do_not_grow(client, settings, strategy, sort, rules):
    settings.SHOP_PRICING_STRATEGY = strategy
    client.force_login(UserFactory())
    category = CategoryFactory(slug="shelf")
    _add_rules(category, rules)
    url = f"/c/shelf/?sort={sort}&page=2"
    _add_products(category, 5, 0)
    small = first_and_warm_queries(client, url.replace("&page=2", ""))
    _add_products(category, 55, 5)
    large = first_and_warm_queries(client, url)
    assert small == large
    assert large[1] <= MAX_CATEGORY_QUERIES


@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/c/shelf/?sort=name&page=3",
        "/c/shelf/?sort=-name&page=3",
        "/c/shelf/?sort=price&page=3",
        "/search/?q=Product&page=3",
        "/search/?q=Product&sort=name&page=3",
    ],
)
def test_deep_pages_and_search_queries_do_not_grow(client, settings, logged_in, url):
    settings.SHOP_PAGE_SIZE = 5
    if logged_in:
        client.force_login(UserFactory())
    category = CategoryFactory(slug="shelf")
    _add_products(category, 20, 0)
    small = count_queries(client, url)
    _add_products(category, 480, 20)
    large = count_queries(client, url)
    assert small == large <= MAX_CATEGORY_QUERIES
