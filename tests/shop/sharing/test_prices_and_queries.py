"""Whoever shared, the recipient sees only their own price (the storefront's persona markers,
tests/pricing/test_storefront_prices.py, applied to shared carts), and the recipient's page
runs a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pricing.models import PriceRule
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.pricing.companies_support import company_with, member_of
from tests.shop.conftest import add
from tests.shop.sharing.conftest import share

pytestmark = pytest.mark.django_db

MARKERS = {
    "retail": "75.55",
    "wholesale": "72.22",
    "negotiated": "70.55",
    "vip": "74.44",
    "company": "71.11",
}
PERSONAS = ["guest", "retail", "wholesale", "negotiated", "vip", "company", "colleague", "rival"]
# A colleague sees the company's price (the same company's); a member of another company, their
# group's.
SEES = {"guest": "retail", "colleague": "company", "rival": "wholesale"}


@pytest.fixture
def marker_shop():
    product = ProductFactory(
        name="Marker kettle", sku="MARK-1", category=CategoryFactory(), base_price=Decimal("99")
    )
    retail = default_group()
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    vip = CustomerGroupFactory(name="VIP", slug="vip")
    people = {
        "retail": UserFactory(group=retail),
        "wholesale": UserFactory(group=wholesale),
        "negotiated": UserFactory(group=wholesale),
        "vip": UserFactory(group=vip),
    }
    for key, group in [("retail", retail), ("wholesale", wholesale), ("vip", vip)]:
        PriceRule.objects.create(
            name=key, group=group, product=product, kind="fixed_price", value=MARKERS[key]
        )
    PriceRule.objects.create(
        name="negotiated",
        customer=people["negotiated"],
        product=product,
        kind="fixed_price",
        value=MARKERS["negotiated"],
    )
    bistro = company_with(name="Bistro Lumière", group=wholesale)
    people["company"], people["colleague"] = member_of(bistro), member_of(bistro)
    PriceRule.objects.create(
        name="company", company=bistro, product=product, kind="fixed_price", value="71.11"
    )
    rival = company_with(name="Rival SARL", group=wholesale)
    people["rival"] = member_of(rival)
    PriceRule.objects.create(
        name="rival", company=rival, product=ProductFactory(), kind="fixed_price", value="1.00"
    )
    return product, people


def client_of(persona, people) -> Client:
    client = Client()
    if persona != "guest":
        client.force_login(people[persona])
    return client


@pytest.mark.parametrize("recipient", PERSONAS)
@pytest.mark.parametrize("sharer", PERSONAS)
def test_the_recipient_sees_only_their_own_price_whoever_shared(marker_shop, sharer, recipient):
    product, people = marker_shop
    sharing = client_of(sharer, people)
    add(sharing, product, 1)
    path = share(sharing)
    body = client_of(recipient, people).get(path).content.decode()
    own = MARKERS[SEES.get(recipient, recipient)]
    assert own in body
    for other, marker in MARKERS.items():
        if marker != own:
            assert marker not in body, f"{recipient} saw the {other} price shared by {sharer}"


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("recipient", ["guest", "wholesale"])
def test_the_shared_cart_page_runs_a_constant_number_of_queries(tax_rates, recipient):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    category = CategoryFactory()
    hidden = ProductFactory(category=category, sku="HIDDEN-1")
    hidden.visible_to.add(CustomerGroupFactory(slug="vip"))
    counts = {}
    for size in (3, 30):
        products = [ProductFactory(category=category) for _ in range(size - 1)] + [hidden]
        sharer = Client()
        sharer.force_login(UserFactory(group=hidden.visible_to.get()))
        for product in products:
            add(sharer, product, 2)
        path = share(sharer)
        viewer = Client()
        if recipient != "guest":
            viewer.force_login(UserFactory(group=wholesale))
        viewer.get(path)  # warm the process-wide pricing data, as any page view does
        counts[size] = _queries(viewer, path)
        page = viewer.get(path).context["page"]
        assert (len(page.rows), len(page.unavailable)) == (size - 1, 1)
    assert counts[3] == counts[30], counts


def test_the_sharers_list_runs_a_constant_number_of_queries(shop_products):
    sharer = Client()
    add(sharer, shop_products[0], 1)
    share(sharer)
    few = _queries(sharer, "/cart/shared/")
    add(sharer, shop_products[1], 1)
    for _ in range(9):
        share(sharer)
    assert _queries(sharer, "/cart/shared/") == few
