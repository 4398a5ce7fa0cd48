"""What shoppers see around the listings: page links, category shortcuts, images, error pages."""

import re

import pytest

from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen", position=0)
    CategoryFactory(name="Knives", slug="knives", parent=kitchen, position=0)
    CategoryFactory(name="Cookware", slug="cookware", parent=kitchen, position=1)
    return kitchen


def test_numbered_page_links_mark_the_current_page_and_keep_the_sort(client, kitchen, settings):
    settings.SHOP_PAGE_SIZE = 2
    ProductFactory.create_batch(12, category=kitchen)
    body = client.get("/c/kitchen/?sort=-price&page=3").content.decode()
    assert "Page 3 of 6" in body
    assert re.search(r'aria-current="page">\s*<span class="visually-hidden">Page </span>3<', body)
    for number in (1, 2, 4, 6):
        assert f'href="?sort=-price&amp;page={number}"' in body
    assert 'rel="prev" href="?sort=-price&amp;page=2"' in body
    assert 'rel="next" href="?sort=-price&amp;page=4"' in body


def test_home_offers_each_category_with_its_subcategories(client, kitchen):
    body = client.get("/").content.decode()
    assert 'href="/c/kitchen/"' in body
    assert body.index('href="/c/knives/"') < body.index('href="/c/cookware/"')
    assert 'href="/wholesale/apply/"' in body


def test_listing_pictures_are_thumbnails_and_the_product_page_uses_the_large_rendition(
    client, kitchen
):
    product = ProductFactory(name="Stock pot", category=kitchen, is_featured=True)
    image = ProductImageFactory(product=product, alt_text="Stock pot, side view")
    listing = client.get("/c/kitchen/").content.decode()
    assert f'src="{image.thumbnail.url}" alt=""' in listing  # the name beside it is the label
    assert image.image.url not in listing
    page = client.get(product.get_absolute_url()).content.decode()
    assert f'src="{image.detail.url}" alt="Stock pot, side view"' in page
    assert image.image.url not in page


def test_not_found_page_offers_search_and_a_way_back(client):
    response = client.get("/p/no-such-thing/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'role="search"' in body and 'for="error-search-input"' in body
    assert 'href="/"' in body


def test_empty_category_points_back_to_its_parent(client, kitchen):
    body = client.get("/c/knives/").content.decode()
    assert "No products in this category yet." in body
    assert '<a href="/c/kitchen/">See everything in Kitchen</a>' in body
