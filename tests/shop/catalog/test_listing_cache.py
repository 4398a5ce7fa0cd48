"""Listings keep their order between requests, and every change of the catalogue shows at once:
whatever wrote it (a save, a bulk update, a visibility change, a category move)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.catalog import services
from shop.models import CatalogueVersion, Product
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    UserFactory,
    default_group,
)

# The view's own work: pages rendered on every request (tests/shop/page_cache keeps them).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_pages")]


@pytest.fixture
def shelf(settings):
    settings.SHOP_PAGE_SIZE = 2
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    pans = CategoryFactory(name="Pans", slug="pans", parent=kitchen)
    for name in ("Apron", "Bowl", "Colander"):
        ProductFactory(name=name, category=pans)
    return kitchen, pans


def names_on(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [product.name for product, _price in response.context["rows"]]


def listed_count(client, url) -> int:
    return client.get(url).context["page"].paginator.count


def test_a_renamed_product_moves_in_the_order_at_once(client, shelf):
    assert names_on(client, "/c/kitchen/") == ["Apron", "Bowl"]
    apron = Product.objects.get(name="Apron")
    apron.name = "Whisk"
    apron.save()
    assert names_on(client, "/c/kitchen/") == ["Bowl", "Colander"]
    assert names_on(client, "/c/kitchen/?page=2") == ["Whisk"]
    assert names_on(client, "/c/kitchen/?sort=-name") == ["Whisk", "Colander"]


def test_a_new_product_is_listed_and_counted_at_once(client, shelf):
    _kitchen, pans = shelf
    assert listed_count(client, "/c/kitchen/") == 3
    ProductFactory(name="Anvil pan", category=pans)
    assert listed_count(client, "/c/kitchen/") == 4
    assert names_on(client, "/c/kitchen/") == ["Anvil pan", "Apron"]


def test_a_product_out_of_stock_says_so_at_once(client, shelf):
    assert "stock-out" not in client.get("/c/kitchen/").content.decode()
    # As an order takes the last units: a bulk update of the stock alone.
    Product.objects.filter(name="Apron").update(stock=0)
    assert "stock-out" in client.get("/c/kitchen/").content.decode()


def test_deactivated_products_leave_the_listing_at_once(client, shelf):
    assert listed_count(client, "/c/kitchen/") == 3
    bowl = Product.objects.get(name="Bowl")
    services.products_set_active(product_ids=[bowl.pk], is_active=False)
    assert listed_count(client, "/c/kitchen/") == 2
    assert names_on(client, "/c/kitchen/") == ["Apron", "Colander"]


def test_a_product_restricted_to_another_group_leaves_the_guests_listing(client, shelf):
    assert listed_count(client, "/c/kitchen/") == 3
    Product.objects.get(name="Apron").visible_to.set([CustomerGroupFactory()])
    assert names_on(client, "/c/kitchen/") == ["Bowl", "Colander"]
    assert listed_count(client, "/c/kitchen/") == 2


def test_a_category_restricted_to_another_group_takes_its_products_away(client, shelf):
    kitchen, pans = shelf
    ProductFactory(name="Kettle", category=kitchen)
    assert listed_count(client, "/c/kitchen/") == 4
    pans.visible_to.set([CustomerGroupFactory()])
    assert names_on(client, "/c/kitchen/") == ["Kettle"]


def test_a_product_moved_to_another_category_moves_at_once(client, shelf):
    kitchen, _pans = shelf
    garden = CategoryFactory(name="Garden", slug="garden")
    assert listed_count(client, "/c/garden/") == 0
    assert listed_count(client, "/c/kitchen/") == 3
    apron = Product.objects.get(name="Apron")
    apron.category = garden
    apron.save()
    assert names_on(client, "/c/garden/") == ["Apron"]
    assert names_on(client, "/c/kitchen/") == ["Bowl", "Colander"]


def test_a_category_moved_under_another_takes_its_products_along(client, shelf):
    _kitchen, pans = shelf
    garden = CategoryFactory(name="Garden", slug="garden")
    assert listed_count(client, "/c/garden/") == 0
    pans.parent = garden
    pans.save()
    assert listed_count(client, "/c/garden/") == 3
    assert listed_count(client, "/c/kitchen/") == 0


def test_search_finds_a_product_by_its_new_name_at_once(client, shelf):
    assert names_on(client, "/search/?q=whisk") == []
    apron = Product.objects.get(name="Apron")
    apron.name = "Whisk"
    apron.save()
    assert names_on(client, "/search/?q=whisk") == ["Whisk"]


def test_each_viewer_sees_their_own_prices_on_a_kept_listing(client, shelf):
    trade = CustomerGroupFactory()
    PriceRuleFactory(group=trade, kind="fixed_price", value=Decimal("7.00"))
    PriceRuleFactory(group=default_group(), kind="fixed_price", value=Decimal("9.00"))
    guest_prices = [price.amount for _p, price in client.get("/c/kitchen/").context["rows"]]
    client.force_login(UserFactory(group=trade))
    trade_prices = [price.amount for _p, price in client.get("/c/kitchen/").context["rows"]]
    client.logout()
    again = [price.amount for _p, price in client.get("/c/kitchen/").context["rows"]]
    assert guest_prices == again == [Decimal("9.00")] * 2
    assert trade_prices == [Decimal("7.00")] * 2


def test_a_warm_listing_page_counts_nothing_and_reads_one_page_of_rows(client, shelf):
    for url in ("/c/kitchen/", "/c/kitchen/?sort=name&page=2", "/search/?q=bowl"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        product_reads = [q["sql"] for q in queries if 'FROM "shop_product"' in q["sql"]]
        assert len(product_reads) == 1, url
        assert "COUNT(" not in product_reads[0] and "OFFSET" not in product_reads[0], url


def test_stock_changes_leave_the_catalogue_version_alone(shelf):
    """Orders take stock all day: they must not invalidate every listing (nor queue on the
    version's row), whereas a change of what a listing shows does."""
    before = CatalogueVersion.current()
    Product.objects.filter(name="Apron").update(stock=0)
    bowl = Product.objects.get(name="Bowl")
    bowl.stock = 3
    bowl.save()
    assert CatalogueVersion.current() == before
    bowl.base_price = Decimal("12.00")
    bowl.save()
    assert CatalogueVersion.current() != before
