from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, CustomerGroupFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    return kitchen, knives


def test_home_lists_root_categories_and_featured_products(client, tree):
    kitchen, knives = tree
    ProductFactory(name="Featured pan", category=knives, is_featured=True)
    ProductFactory(name="Plain pan", category=knives, is_featured=False)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kitchen" in body
    assert "Featured pan" in body
    assert "Plain pan" not in body


def test_category_page_shows_descendant_products_breadcrumbs_and_count(client, tree):
    kitchen, knives = tree
    ProductFactory(name="Bread knife", category=knives)
    ProductFactory(name="Stock pot", category=kitchen)
    ProductFactory(name="Inactive pot", category=kitchen, is_active=False)
    response = client.get(reverse("catalog:category", args=["kitchen"]))
    body = response.content.decode()
    assert "Bread knife" in body and "Stock pot" in body
    assert "Inactive pot" not in body
    assert "2 products" in body
    assert 'href="/c/knives/"' in body  # subcategory link

    child = client.get(reverse("catalog:category", args=["knives"])).content.decode()
    assert 'aria-label="Breadcrumb"' in child and 'href="/c/kitchen/"' in child
    assert "Stock pot" not in child


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Apple", "Banana", "Cherry"]),
        ("-name", ["Cherry", "Banana", "Apple"]),
        ("price", ["Banana", "Cherry", "Apple"]),
        ("-price", ["Apple", "Cherry", "Banana"]),
        ("bogus", ["Apple", "Banana", "Cherry"]),
    ],
)
def test_category_sorting(client, tree, sort, expected):
    kitchen, _ = tree
    for name, price in [("Apple", "30.00"), ("Banana", "10.00"), ("Cherry", "20.00")]:
        ProductFactory(name=name, category=kitchen, base_price=Decimal(price))
    body = client.get(f"/c/kitchen/?sort={sort}").content.decode()
    positions = [body.index(f">{name}<") for name in expected]
    assert positions == sorted(positions)


def test_category_pagination_and_bad_page_numbers(client, tree, settings):
    settings.SHOP_PAGE_SIZE = 5
    kitchen, _ = tree
    for i in range(12):
        ProductFactory(name=f"Item {i:02d}", category=kitchen)
    second = client.get("/c/kitchen/?page=2").content.decode()
    assert "Item 05" in second and "Item 04" not in second
    assert "Page 2 of 3" in second
    for bad in ["abc", "-1", "999", "1e9"]:
        assert client.get(f"/c/kitchen/?page={bad}").status_code == 200


def test_product_page_shows_price_sku_stock_and_quantity(client, tree):
    _, knives = tree
    product = ProductFactory(
        name="Chef knife", sku="KN-1", category=knives, base_price=Decimal("42.50"), stock=3
    )
    body = client.get(product.get_absolute_url()).content.decode()
    assert "Chef knife" in body and "KN-1" in body
    assert "€42.50" in body
    assert "3 available" in body
    assert 'name="quantity"' in body


def test_out_of_stock_product_says_so(client, tree):
    product = ProductFactory(category=tree[1], stock=0, track_stock=True)
    assert "Out of stock" in client.get(product.get_absolute_url()).content.decode()


def test_unknown_and_inactive_items_are_404_with_designed_page(client, tree):
    inactive = ProductFactory(category=tree[1], is_active=False)
    CategoryFactory(slug="closed", is_active=False)
    for url in ["/c/nope/", "/p/nope/", inactive.get_absolute_url(), "/c/closed/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()


def test_products_under_an_inactive_category_are_hidden(client, tree):
    kitchen, knives = tree
    product = ProductFactory(name="Hidden by parent", category=knives)
    kitchen.is_active = False
    kitchen.save()
    assert client.get(product.get_absolute_url()).status_code == 404
    assert "Hidden by parent" not in client.get("/search/?q=Hidden").content.decode()


def test_group_restricted_product_is_hidden_from_other_groups(client, tree):
    vip = CustomerGroupFactory(slug="vip", name="VIP")
    secret = ProductFactory(name="Secret kettle", category=tree[0])
    secret.visible_to.set([vip])
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert "Secret kettle" not in client.get("/c/kitchen/").content.decode()
    client.force_login(UserFactory(group=vip))
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert "Secret kettle" in client.get("/c/kitchen/").content.decode()


def test_search_finds_by_name_and_sku_and_handles_empty_and_no_result(client, tree):
    ProductFactory(name="Santoku knife", sku="KN-SANTOKU", category=tree[1])
    ProductFactory(name="Stock pot", sku="POT-1", category=tree[0])
    by_name = client.get("/search/?q=santoku").content.decode()
    assert "Santoku knife" in by_name and "Stock pot" not in by_name
    assert "Santoku knife" in client.get("/search/?q=KN-SANTOKU").content.decode()
    assert "Type a product name" in client.get("/search/?q=").content.decode()
    assert "Nothing matches" in client.get("/search/?q=zzzzqqq").content.decode()
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200
    assert client.get("/search/?q=%00%27%22%3Cscript%3E").status_code == 200


def test_search_box_keeps_the_query(client, tree):
    body = client.get("/search/?q=pan%20%3Cb%3E").content.decode()
    assert 'value="pan &lt;b&gt;"' in body


SEARCH_TORTURE = [
    "-" * 33,
    " ".join("-" * 40),
    "-(" * 40 + "x",
    '-"a" ' + "-" * 40,
    "knife " + "-" * 60,
    '"' * 41,
    "or " * 60,
    "-x " * 60,
    "!&|:*<->()'" * 10,
    "é 😀 \x00 -",
]


def test_search_never_fails_on_punctuation(client, tree):
    ProductFactory(name="Santoku knife", sku="KN-SANTOKU", category=tree[1])
    for query in SEARCH_TORTURE:
        assert client.get("/search/", {"q": query}).status_code == 200, query
    assert "Santoku knife" in client.get("/search/", {"q": "knife " + "-" * 60}).content.decode()


def test_search_terms_keep_words_phrases_exclusions_and_skus():
    from shop.catalog.search import MAX_SEARCH_TERMS, websearch_terms

    assert websearch_terms('"stock pot" -lid KN-SANTOKU or pan') == (
        '"stock pot" -lid KN-SANTOKU or pan'
    )
    assert websearch_terms("-" * 40) == ""
    assert websearch_terms("--knife ---- - !!") == "-knife"
    assert websearch_terms("-(-(-(knife") == "-knife"
    assert websearch_terms("café -crème") == "café -crème"
    assert websearch_terms("x " * 50) == " ".join(["x"] * MAX_SEARCH_TERMS)


@pytest.mark.postgresql
def test_full_text_search_keeps_phrases_and_exclusions(client, tree):
    ProductFactory(name="Stock pot with lid", sku="POT-LID", category=tree[0])
    ProductFactory(name="Stock pot", sku="POT-1", category=tree[0])
    ProductFactory(name="Pot stock rack", sku="RACK-1", category=tree[0])

    def found(query):
        return {row[0].name for row in client.get("/search/", {"q": query}).context["rows"]}

    assert found('"stock pot"') == {"Stock pot with lid", "Stock pot"}
    assert found('"stock pot" -lid') == {"Stock pot"}
    assert found("stock -lid " + "-" * 40) == {"Stock pot", "Pot stock rack"}
    assert found("POT-LID") == {"Stock pot with lid"}
    assert found("-" * 33) == set()
