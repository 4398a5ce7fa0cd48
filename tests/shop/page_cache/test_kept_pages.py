"""Storefront pages served whole from the page cache: the same page for the same context, the
visitor's own CSRF token, and every change shown at once."""

import pickle
import re
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import User
from shop.models import Cart, Product
from shop.page_cache import pages
from shop.page_cache.pages import CSRF_PLACEHOLDER
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    PriceRuleFactory,
    ProductFactory,
    SavedListFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen():
    category = CategoryFactory(name="Kitchen", slug="kitchen")
    kettle = ProductFactory(
        name="Copper kettle", slug="copper-kettle", category=category, is_featured=True
    )
    return category, kettle


def served(client, url, **extra):
    """(body, whether it came from the page cache, queries) of one GET."""
    before = pages.statistics["hit"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), pages.statistics["hit"] > before, len(queries)


@pytest.mark.parametrize("url", ["/", "/c/kitchen/", "/p/copper-kettle/", "/search/?q=kettle"])
def test_the_second_visit_is_served_whole_and_alike(client, kitchen, url):
    first, first_kept, _ = served(client, url)
    again, kept, queries = served(Client(), url)
    assert not first_kept and kept
    assert "Copper kettle" in again
    assert CSRF_PLACEHOLDER not in first + again
    assert queries == 1  # the versions, with the default group (and a product's stock)


@pytest.mark.parametrize("url", ["/", "/c/kitchen/", "/p/copper-kettle/", "/search/?q=kettle"])
def test_a_customer_s_kept_page_reads_the_session_then_their_account_with_the_versions(
    client, kitchen, url
):
    client.force_login(UserFactory(group=WholesaleGroupFactory()))
    served(client, url)
    body, kept, queries = served(client, url)
    assert kept and "Copper kettle" in body
    # The versions' query also reads a product page's stock and the customer's saved lists.
    assert queries == 2


def test_a_hit_costs_the_same_queries_whatever_the_catalogue(client, kitchen):
    category, _ = kitchen
    served(client, "/c/kitchen/")
    _, _, few = served(client, "/c/kitchen/")
    ProductFactory.create_batch(40, category=category)
    served(client, "/c/kitchen/")
    body, kept, many = served(client, "/c/kitchen/")
    assert kept and few == many
    assert body.count('class="product-card"') == 20


def test_each_visitor_gets_a_token_of_their_own_that_works(kitchen):
    _, kettle = kitchen
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/c/kitchen/")
    response = second.get("/c/kitchen/")
    body = response.content.decode()
    field = 'name="csrfmiddlewaretoken" value="'
    page_token = body.split(field, 1)[1].split('"', 1)[0]
    secret = response.cookies["csrftoken"].value
    assert CSRF_PLACEHOLDER not in body and len(page_token) == 64
    kept_pages = [  # the memory cache's pickled entries, each holding a compressed page
        zlib.decompress(pickle.loads(entry)[1]) for entry in caches["pages"]._cache.values()
    ]
    assert kept_pages and all(CSRF_PLACEHOLDER.encode() in page for page in kept_pages)
    assert all(page_token.encode() not in page for page in kept_pages)
    assert all(secret.encode() not in page for page in kept_pages)
    added = second.post(
        "/cart/add/", {"product": kettle.pk, "quantity": 1, "csrfmiddlewaretoken": page_token}
    )
    assert added.status_code == 302
    assert Cart.objects.get().lines.get().product == kettle


def test_product_and_stock_changes_show_at_once(client, kitchen):
    _, kettle = kitchen
    served(client, "/p/copper-kettle/")
    # A sale changes the count only: the kept page is served with the count of now.
    Product.objects.filter(pk=kettle.pk).update(stock=3)
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert "(3 available)" in body and kept
    Product.objects.filter(pk=kettle.pk).update(stock=2)
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert "(2 available)" in body and "3 available" not in body and kept
    Product.objects.filter(pk=kettle.pk).update(name_en="Steel kettle")
    assert "Steel kettle" in served(client, "/c/kitchen/")[0]
    Product.objects.filter(pk=kettle.pk).update(stock=0)
    assert "Out of stock" in served(client, "/c/kitchen/")[0]
    Product.objects.filter(pk=kettle.pk).update(is_active=False)
    assert "Steel kettle" not in served(client, "/")[0]


def test_a_kept_product_page_shows_the_stock_of_now_in_the_readers_language(client, kitchen):
    _, kettle = kitchen
    Product.objects.filter(pk=kettle.pk).update(stock=5000)
    french = Client(headers={"accept-language": "fr"})
    served(french, "/p/copper-kettle/")
    for stock, shown in ((1234, "1\u202f234"), (1, "1")):
        Product.objects.filter(pk=kettle.pk).update(stock=stock)
        body, kept, _ = served(french, "/p/copper-kettle/")
        assert kept
        counts = re.findall(r'<span class="stock-count">([^<]*)</span>', body)
        assert len(counts) == 1 and f"({shown} " in counts[0], counts
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert "In stock (1 available)" in body and not kept  # English is a page of its own


def test_a_rule_change_shows_at_once(client, kitchen):
    _, kettle = kitchen
    served(client, "/c/kitchen/")
    PriceRuleFactory(group=default_group(), product=kettle, kind="fixed_price", value="7.77")
    body, kept, _ = served(client, "/c/kitchen/")
    assert "7.77" in body and not kept


def test_a_sale_ending_ends_on_kept_pages_too(client, kitchen, monkeypatch):
    """No version bump when a rule's window closes: the key holds the windows passed, and an
    entry never outlives the next one."""
    _, kettle = kitchen
    now = timezone.now()
    PriceRuleFactory(
        product=kettle,
        kind="fixed_price",
        value="6.66",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(minutes=5),
    )
    assert "6.66" in served(client, "/c/kitchen/")[0]
    assert served(client, "/c/kitchen/")[1]
    assert 0 < pages.pricing_context.seconds_until_next_window() <= 300
    later = now + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    body, kept, _ = served(client, "/c/kitchen/")
    assert "6.66" not in body and "10.00" in body and not kept


def test_a_message_is_shown_not_kept(client, kitchen):
    _, kettle = kitchen
    served(client, "/p/copper-kettle/")
    response = client.post("/cart/add/", {"product": kettle.pk, "quantity": 1, "next": "/"})
    assert response.status_code == 302
    body, kept, _ = served(client, "/")
    assert not kept and 'class="messages"' in body
    body, kept, _ = served(client, "/")
    assert 'class="messages"' not in body


@pytest.mark.parametrize(
    "url", ["/c/kitchen/?utm=x", "/c/kitchen/?page=1&page=2", "/search/?q=kettle&who=me"]
)
def test_made_up_addresses_are_rendered_never_kept(client, kitchen, url):
    for _visit in range(2):
        body, kept, _ = served(client, url)
        assert "Copper kettle" in body and not kept


def test_a_delivery_country_of_their_own_gets_its_own_page(client, kitchen):
    TaxRateFactory(country="FR", rate=Decimal("0.2000"))
    TaxRateFactory(country="DE", rate=Decimal("0.1900"))
    buyer = UserFactory()
    client.force_login(buyer)
    assert "12.00" in served(client, "/c/kitchen/")[0]
    AddressFactory(user=buyer, country="DE")
    body, kept, _ = served(client, "/c/kitchen/")
    assert "11.90" in body and not kept


def test_an_out_of_stock_page_is_never_kept_for_a_customer(client, kitchen):
    """It shows their own alert; a guest's is the same for every guest."""
    _, kettle = kitchen
    url = "/p/copper-kettle/"
    Product.objects.filter(pk=kettle.pk).update(stock=0)
    served(client, url)
    assert served(client, url)[1]
    client.force_login(UserFactory(email="ada@example.com"))
    for _visit in range(2):
        body, kept, _ = served(client, url)
        assert "ada@example.com" in body and not kept
    client.post(url + "stock-alert/", {})
    client.get(url)
    body, kept, _ = served(client, url)
    assert "We will email you at ada@example.com" in body and not kept
    client.force_login(UserFactory(email="bob@example.com"))
    body, _, _ = served(client, url)
    assert "bob@example.com" in body and "ada@" not in body


def test_switched_off_every_page_is_rendered(client, kitchen, settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 0
    for _visit in range(2):
        assert not served(client, "/c/kitchen/")[1]


def test_a_kept_product_page_lists_each_customers_own_saved_lists(client, kitchen):
    """The page is kept for their group; the list chooser is rendered for each of them."""
    ada, bob = UserFactory(), UserFactory()
    SavedListFactory(owner=ada, name="Ada's restaurant")
    SavedListFactory(owner=bob, name="Bob's bakery")
    client.force_login(ada)
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert "Ada&#x27;s restaurant" in body and not kept
    client.force_login(bob)
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert kept
    assert "Bob&#x27;s bakery" in body and "Ada" not in body
    assert f'name="product" value="{kitchen[1].pk}"' in body
    assert "visitor-part" not in body and CSRF_PLACEHOLDER not in body


def test_a_kept_product_page_shows_the_customers_lists_as_they_are_now_in_order(client, kitchen):
    ada = UserFactory()
    SavedListFactory(owner=ada, name="zinc bar")
    SavedListFactory(owner=ada, name="Bistro")
    SavedListFactory(owner=UserFactory(), name="Someone else's")
    client.force_login(ada)
    served(client, "/p/copper-kettle/")
    SavedListFactory(owner=ada, name="Canteen")
    body, kept, _ = served(client, "/p/copper-kettle/")
    assert kept
    shown = re.findall(r'<option value="\d+">([^<]+)</option>', body)
    assert shown == ["Bistro", "Canteen", "zinc bar"]


@pytest.fixture
def trade_buyer(kitchen):
    """A logged-in trade buyer whose group pays 3.33 for the kettle, with its kept page warm."""
    _, kettle = kitchen
    group = WholesaleGroupFactory()
    PriceRuleFactory(group=group, product=kettle, kind="fixed_price", value="3.33")
    buyer = UserFactory(group=group, password="a long old password")
    client = Client()
    client.force_login(buyer)
    assert "3.33" in served(client, "/c/kitchen/")[0]
    return buyer, client


def test_a_deactivated_buyer_gets_the_guests_page_and_is_logged_out(trade_buyer):
    buyer, client = trade_buyer
    User.objects.filter(pk=buyer.pk).update(is_active=False)
    body, _, _ = served(client, "/c/kitchen/")
    assert "3.33" not in body and "Copper kettle" in body
    assert client.get("/accounts/").status_code == 302


def test_a_password_changed_elsewhere_ends_the_session_on_a_kept_page(trade_buyer):
    buyer, client = trade_buyer
    buyer.set_password("a brand new password")
    buyer.save()
    body, _, _ = served(client, "/c/kitchen/")
    assert "3.33" not in body
    assert client.get("/accounts/").status_code == 302


def test_a_deleted_account_s_session_gets_the_guests_page(trade_buyer):
    buyer, client = trade_buyer
    buyer.delete()
    body, _, _ = served(client, "/c/kitchen/")
    assert "3.33" not in body and "Copper kettle" in body


def test_a_group_change_shows_on_the_next_kept_page(trade_buyer, kitchen):
    buyer, client = trade_buyer
    _, kettle = kitchen
    other = WholesaleGroupFactory(name="Hotels", slug="hotels")
    PriceRuleFactory(group=other, product=kettle, kind="fixed_price", value="4.44")
    served(client, "/c/kitchen/")
    buyer.profile.group = other
    buyer.profile.save()
    body, _, _ = served(client, "/c/kitchen/")
    assert "4.44" in body and "3.33" not in body
