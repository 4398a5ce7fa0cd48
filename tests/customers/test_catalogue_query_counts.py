"""Listing and search pages make the same number of queries however many groups and hidden
products and categories exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, CustomerGroupFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_pages")]

MAX_QUERIES = 12
PAGES = ["/", "/c/kitchen/", "/c/knives/", "/search/?q=zesty", "/search/?q=hidden"]


def add_restricted_catalogue(*, groups: int, hidden_products: int, parent):
    """More groups, and products and categories each visible to a few of them only."""
    new_groups = CustomerGroupFactory.create_batch(groups)
    hidden_category = CategoryFactory(parent=parent)
    hidden_category.visible_to.set(new_groups[:2])
    for index in range(hidden_products):
        product = ProductFactory(
            name=f"Hidden zesty {index}",
            category=hidden_category if index % 2 else parent,
            is_featured=True,
            description="zesty",
        )
        product.visible_to.set(new_groups[index % groups : index % groups + 3])


def queries(client, url, assert_max) -> int:
    client.get(url)  # warm per-process caches (pricing rules) after the catalogue changed
    with assert_max(MAX_QUERIES), CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", ["guest", "customer", "vip"])
def test_listing_and_search_queries_do_not_grow_with_groups_or_hidden_products(
    client, vip, viewer, django_assert_max_num_queries
):
    if viewer != "guest":
        client.force_login(UserFactory(group=vip if viewer == "vip" else None))
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    ProductFactory.create_batch(5, category=knives, is_featured=True, description="zesty")
    shown = ProductFactory(category=knives, description="zesty")
    shown.visible_to.set([vip])

    add_restricted_catalogue(groups=2, hidden_products=2, parent=knives)
    small = {url: queries(client, url, django_assert_max_num_queries) for url in PAGES}

    add_restricted_catalogue(groups=40, hidden_products=120, parent=knives)
    large = {url: queries(client, url, django_assert_max_num_queries) for url in PAGES}

    assert large == small, (small, large)
    # The hidden products really exist and really stay hidden.
    assert "Hidden zesty" not in client.get("/search/?q=zesty").content.decode()
