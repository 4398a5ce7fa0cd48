"""Group-restricted catalogue: a hidden category or product is 404 for everyone else and absent
from every page (listings, search, counts, subcategory lists, featured products, breadcrumbs,
navigation); a product in a hidden category is hidden too. VIP's own view proves the checks
can fail."""

import re

import pytest
from django.test import Client

from tests.factories import CategoryFactory, CustomerGroupFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["guest", "retail", "wholesale", "other", "vip", "vip-after-logout"]


@pytest.fixture
def shop(retail, wholesale, vip):
    other = CustomerGroupFactory(name="Other", slug="other")
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    vip_shelf = CategoryFactory(name="Gold shelf", slug="gold-shelf", parent=kitchen)
    vip_shelf.visible_to.set([vip])
    early = CategoryFactory(name="Early access", slug="early-access")
    early.visible_to.set([vip])
    early_child = CategoryFactory(name="Preview corner", slug="preview-corner", parent=early)

    def product(name, category, visible_to=()):
        item = ProductFactory(
            name=name,
            slug=name.lower().replace(" ", "-"),
            category=category,
            is_featured=True,
            description="A zesty thing.",
        )
        item.visible_to.set(visible_to)
        return item

    product("Plain knife", knives)
    product("Trade crate", knives, [wholesale])
    product("Velvet ladle", knives, [vip, other])
    product("Gilded whisk", vip_shelf)
    product("Secret kettle", early_child)
    product("Walnut board", early)
    product("Paradox pan", early_child, [wholesale])  # its category is VIP-only
    return {
        "groups": {"retail": retail, "wholesale": wholesale, "vip": vip, "other": other},
        # name -> (url, groups that see it); None = every group
        "products": {
            "Plain knife": ("/p/plain-knife/", None),
            "Trade crate": ("/p/trade-crate/", {"wholesale"}),
            "Velvet ladle": ("/p/velvet-ladle/", {"vip", "other"}),
            "Gilded whisk": ("/p/gilded-whisk/", {"vip"}),
            "Secret kettle": ("/p/secret-kettle/", {"vip"}),
            "Walnut board": ("/p/walnut-board/", {"vip"}),
            "Paradox pan": ("/p/paradox-pan/", set()),
        },
        "categories": {
            "Kitchen": ("/c/kitchen/", None),
            "Knives": ("/c/knives/", None),
            "Gold shelf": ("/c/gold-shelf/", {"vip"}),
            "Early access": ("/c/early-access/", {"vip"}),
            "Preview corner": ("/c/preview-corner/", {"vip"}),
        },
        "kitchen_products": {"Plain knife", "Trade crate", "Velvet ladle", "Gilded whisk"},
    }


def viewer_client(viewer, shop) -> tuple[Client, str | None]:
    """A client for the viewer and the slug of the group it buys as (None for guests)."""
    client = Client()
    if viewer == "guest":
        return client, None
    group_slug = "vip" if viewer.startswith("vip") else viewer
    group = shop["groups"][group_slug]
    client.force_login(UserFactory(group=None if group.is_default else group))
    if viewer == "vip-after-logout":
        assert client.get("/p/secret-kettle/").status_code == 200
        client.post("/accounts/logout/")
        return client, None
    return client, group_slug


def sees(group_slug, audience) -> bool:
    return audience is None or (group_slug is not None and group_slug in audience)


def count_in(body: str) -> int:
    return int(re.search(r'<p class="product-count">(\d+) (?:product|result)', body).group(1))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_hidden_products_and_categories_are_404_for_everyone_else(viewer, shop):
    client, group = viewer_client(viewer, shop)
    for kind in ("products", "categories"):
        for name, (url, audience) in shop[kind].items():
            expected = 200 if sees(group, audience) else 404
            assert client.get(url).status_code == expected, (viewer, name)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_hidden_items_are_absent_from_every_page_of_the_others(viewer, shop):
    client, group = viewer_client(viewer, shop)
    everything = {**shop["products"], **shop["categories"]}
    visible = {name for name, (_, audience) in everything.items() if sees(group, audience)}
    hidden = set(everything) - visible
    pages = ["/", "/search/?q=zesty", "/search/?q=kettle", "/accounts/login/"] + [
        url for name, (url, _) in everything.items() if name in visible
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for name in hidden:
            assert name not in body, (viewer, url, name)
    # The positive side, so a page that hid everything would fail.
    home = client.get("/").content.decode()
    for name, (_, audience) in shop["products"].items():
        if sees(group, audience):
            assert name in home, (viewer, "featured", name)  # every product is featured
    for root in ("Kitchen", "Early access"):
        assert (root in home) == (root in visible)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_listings_and_subcategories_only_hold_what_the_viewer_may_see(viewer, shop):
    client, group = viewer_client(viewer, shop)
    visible_products = {
        name for name, (_, audience) in shop["products"].items() if sees(group, audience)
    }
    kitchen = client.get("/c/kitchen/").content.decode()
    expected = visible_products & shop["kitchen_products"]
    assert count_in(kitchen) == len(expected)
    assert {name for name in shop["products"] if name in kitchen} == expected
    subcategories = kitchen.split('aria-label="Subcategories"')[1].split("</nav>")[0]
    assert ('href="/c/gold-shelf/"' in subcategories) == (group == "vip")
    assert 'href="/c/knives/"' in subcategories

    search = client.get("/search/?q=zesty").content.decode()
    assert count_in(search) == len(visible_products)
    assert {name for name in shop["products"] if name in search} == visible_products


def test_breadcrumbs_show_the_vip_path_to_vip_customers_only(client, shop):
    client.force_login(UserFactory(group=shop["groups"]["vip"]))
    body = client.get("/p/secret-kettle/").content.decode()
    crumbs = body.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/c/early-access/">Early access' in crumbs
    assert 'href="/c/preview-corner/">Preview corner' in crumbs
    client.post("/accounts/logout/")
    assert client.get("/p/secret-kettle/").status_code == 404


def test_a_group_change_opens_and_closes_the_catalogue_on_the_next_request(client, shop):
    from customers import services

    user = UserFactory()
    client.force_login(user)
    assert client.get("/c/early-access/").status_code == 404
    services.customer_move_to_group(user_ids=[user.pk], group=shop["groups"]["vip"])
    assert client.get("/c/early-access/").status_code == 200
    services.customer_move_to_group(user_ids=[user.pk], group=shop["groups"]["retail"])
    assert client.get("/c/early-access/").status_code == 404
