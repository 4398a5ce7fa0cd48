"""Sorting a listing by price uses the price the viewer pays, not the base price."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing import sorting
from pricing.models import PriceRule
from shop.catalog import selectors
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)

pytestmark = pytest.mark.django_db

PRICE = re.compile(r'<span class="price-amount">([^<]+)</span>')
CARD_LINK = re.compile(r'<a href="/p/([\w-]+)/" class="product-card-link">')


def shown_prices(response) -> list[str]:
    return PRICE.findall(response.content.decode())


def slugs(response) -> list[str]:
    return CARD_LINK.findall(response.content.decode())


@pytest.fixture
def pan():
    """Kitchen: a knife at 56.53 and a pan at 62.60 that trade buyers get 20 % off (50.08)."""
    TaxRateFactory()
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    ProductFactory(name="Chef knife", slug="knife", category=kitchen, base_price=Decimal("56.53"))
    return ProductFactory(
        name="Cast-iron pan", slug="pan", category=kitchen, base_price=Decimal("62.60")
    )


def test_trade_buyers_kitchen_sorted_by_price_lists_their_price_first(client, pan):
    wholesale = WholesaleGroupFactory()
    PriceRuleFactory(group=wholesale, product=pan, value=Decimal("20"))
    client.force_login(UserFactory(group=wholesale))

    response = client.get("/c/kitchen/?sort=price")

    assert shown_prices(response) == ["€50.08", "€56.53"]
    assert slugs(response) == ["pan", "knife"]


def test_descending_sort_uses_the_viewers_price_too(client, pan):
    wholesale = WholesaleGroupFactory()
    PriceRuleFactory(group=wholesale, product=pan, value=Decimal("20"))
    client.force_login(UserFactory(group=wholesale))

    response = client.get("/c/kitchen/?sort=-price")

    assert shown_prices(response) == ["€56.53", "€50.08"]


def test_ties_go_by_name_then_id_in_both_directions(client):
    shelf = CategoryFactory(slug="shelf")
    for slug, name, price in [
        ("bravo", "Bravo", "5.00"),
        ("alpha-1", "Alpha", "5.00"),
        ("alpha-2", "Alpha", "5.00"),
        ("zulu", "Zulu", "1.00"),
        ("yankee", "Yankee", "9.00"),
    ]:
        ProductFactory(slug=slug, name=name, category=shelf, base_price=Decimal(price))

    assert slugs(client.get("/c/shelf/?sort=price")) == [
        "zulu",
        "alpha-1",
        "alpha-2",
        "bravo",
        "yankee",
    ]
    assert slugs(client.get("/c/shelf/?sort=-price")) == [
        "yankee",
        "alpha-1",
        "alpha-2",
        "bravo",
        "zulu",
    ]


def test_price_order_is_paginated(client, settings):
    settings.SHOP_PAGE_SIZE = 2
    shelf = CategoryFactory(slug="shelf")
    for number in range(5):
        ProductFactory(slug=f"p{number}", category=shelf, base_price=Decimal(50 - number))

    first = slugs(client.get("/c/shelf/?sort=price"))
    third = client.get("/c/shelf/?sort=price&page=3")

    assert first == ["p4", "p3"]
    assert slugs(third) == ["p0"]
    assert "sort=price&amp;page=2" in third.content.decode()


def test_groups_seeing_gross_prices_sort_by_the_gross_price(client):
    """Net 10.00 at 20 % is 12.00 gross; net 11.00 at 5.5 % is 11.61 gross."""
    TaxRateFactory(tax_class="standard", rate=Decimal("0.2000"))
    TaxRateFactory(tax_class="reduced", rate=Decimal("0.0550"))
    shelf = CategoryFactory(slug="shelf")
    ProductFactory(slug="standard", category=shelf, base_price=Decimal("10.00"))
    ProductFactory(slug="reduced", category=shelf, base_price="11.00", tax_class="reduced")

    assert slugs(client.get("/c/shelf/?sort=price")) == ["reduced", "standard"]
    client.force_login(UserFactory(group=WholesaleGroupFactory()))
    assert slugs(client.get("/c/shelf/?sort=price")) == ["standard", "reduced"]


def test_search_results_sort_by_the_viewers_price(client, pan):
    wholesale = WholesaleGroupFactory()
    PriceRuleFactory(group=wholesale, product=pan, value=Decimal("20"))
    ProductFactory(name="Chef apron", slug="apron", base_price=Decimal("30.00"))

    assert slugs(client.get("/search/?q=chef&sort=-price")) == ["knife", "apron"]
    client.force_login(UserFactory(group=wholesale))
    response = client.get("/search/?q=dependable&sort=price")
    assert slugs(response) == ["apron", "pan", "knife"]
    assert 'name="q" value="dependable"' in response.content.decode()


def test_the_order_follows_rule_and_catalogue_changes(client, pan):
    knife = selectors.Product.objects.get(slug="knife")
    assert slugs(client.get("/c/kitchen/?sort=price")) == ["knife", "pan"]

    PriceRuleFactory(product=pan, value=Decimal("20"))  # a public sale
    assert slugs(client.get("/c/kitchen/?sort=price")) == ["pan", "knife"]

    knife.base_price = Decimal("10.00")
    knife.save()
    assert slugs(client.get("/c/kitchen/?sort=price")) == ["knife", "pan"]

    ProductFactory(slug="spoon", category=knife.category, base_price=Decimal("1.00"))
    assert slugs(client.get("/c/kitchen/?sort=price")) == ["spoon", "knife", "pan"]

    knife.is_active = False
    knife.save()
    assert slugs(client.get("/c/kitchen/?sort=price")) == ["spoon", "pan"]


def test_a_rule_window_opening_reorders_without_a_version_change(pan):
    now = timezone.now()
    PriceRuleFactory(product=pan, value=Decimal("50"), starts_at=now + timedelta(hours=1))
    listing = selectors.Product.objects.filter(category=pan.category)

    def order(at):
        ordered = sorting.price_sorted(listing, listing=("test",), at=at)
        return [product.slug for product in ordered[0:10]]

    assert order(now) == ["knife", "pan"]
    assert order(now + timedelta(hours=2)) == ["pan", "knife"]
    assert order(now) == ["knife", "pan"]


def test_guests_who_may_not_see_prices_are_not_offered_a_price_sort(client, settings, pan):
    settings.SHOP_HIDE_PRICES_FROM_GUESTS = True

    response = client.get("/c/kitchen/?sort=-price")

    assert "Price, low to high" not in response.content.decode()
    assert slugs(response) == ["pan", "knife"]  # by name


@pytest.fixture
def four_buyers():
    """Two groups and two customers of the first group, each with their own cheapest product
    (all base 50.00; a guest sees the shelf by name)."""
    shelf = CategoryFactory(slug="shelf")
    products = {
        slug: ProductFactory(
            slug=slug, name=f"Widget {slug}", category=shelf, base_price=Decimal("50.00")
        )
        for slug in ["a", "b", "c", "d"]
    }
    first, second = WholesaleGroupFactory(), CustomerGroupFactory(prices_include_tax=False)
    buyers = {
        "first": UserFactory(group=first),
        "second": UserFactory(group=second),
        "special": UserFactory(group=first),
        "guest": None,
    }
    PriceRuleFactory(group=first, product=products["b"], kind="fixed_price", value="11.11")
    PriceRuleFactory(group=second, product=products["c"], kind="fixed_price", value="22.22")
    PriceRuleFactory(
        customer=buyers["special"], product=products["d"], kind="fixed_price", value="33.33"
    )
    return buyers, products


@pytest.mark.parametrize("url", ["/c/shelf/?sort=price", "/search/?q=widget&sort=price"])
def test_each_buyer_sees_only_their_own_price_order(client, four_buyers, url):
    buyers, _cheap = four_buyers
    expected = {
        "guest": ["a", "b", "c", "d"],
        "first": ["b", "a", "c", "d"],
        "second": ["c", "a", "b", "d"],
        "special": ["b", "d", "a", "c"],
    }
    sees = {
        "guest": set(),
        "first": {"€11.11"},
        "second": {"€22.22"},
        "special": {"€11.11", "€33.33"},  # their own rule and their group's
    }
    markers = {"€11.11", "€22.22", "€33.33"}
    for _round in range(2):  # the second round is served from the kept orders
        for persona, user in buyers.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            assert slugs(response) == expected[persona], persona
            assert set(shown_prices(response)) & markers == sees[persona], persona


def test_a_customer_without_own_rules_shares_the_groups_order():
    group = default_group()
    shelf = CategoryFactory(slug="shelf")
    ProductFactory(category=shelf)
    listing = selectors.Product.objects.filter(category=shelf)
    sorting.price_sorted(listing, listing=("shelf",), customer=UserFactory(), group=group)
    sorting.price_sorted(listing, listing=("shelf",), customer=UserFactory(), group=group)
    assert len(sorting._orders) == 1
    assert not PriceRule.objects.exists()


def test_a_visibility_swap_that_saves_no_product_still_reorders(client):
    """One product hidden from retail and another shown, no product saved, the same count."""
    shelf = CategoryFactory(slug="shelf")
    wholesale = WholesaleGroupFactory()
    cheap, middle, dear = (
        ProductFactory(slug=slug, category=shelf, base_price=Decimal(price))
        for slug, price in [("cheap", "1.00"), ("middle", "5.00"), ("dear", "9.00")]
    )
    dear.visible_to.set([wholesale])
    assert slugs(client.get("/c/shelf/?sort=price")) == ["cheap", "middle"]

    cheap.visible_to.set([wholesale])
    dear.visible_to.clear()

    assert slugs(client.get("/c/shelf/?sort=price")) == ["middle", "dear"]
