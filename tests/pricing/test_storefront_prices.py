"""What each persona sees on the storefront: their own prices, never anyone else's."""

import os
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing import services
from pricing.models import PriceRule, QuantityRule
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    ProductFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.pricing.companies_support import company_with, member_of

pytestmark = pytest.mark.django_db

MARKERS = {
    "retail": "75.55",  # the guests' group: under "lowest" every buyer may pay it: the dearest
    "wholesale": "72.22",
    "negotiated": "70.55",  # below the wholesale marker: under "lowest" the cheaper rule wins
    "vip": "74.44",
    "company": "71.11",  # Bistro Lumière's negotiated price, for each of its members
}
# Whose marker a persona sees: a colleague gets the company's; a member of another company (with
# rules of its own elsewhere) gets their group's.
SEES = {"guest": "retail", "colleague": "company", "rival": "wholesale"}
PERSONAS = ["guest", "retail", "wholesale", "negotiated", "vip", "company", "colleague", "rival"]


@pytest.fixture
def shop():
    category = CategoryFactory(name="Kitchen", slug="kitchen")
    product = ProductFactory(
        name="Marker kettle",
        slug="marker-kettle",
        category=category,
        base_price=Decimal("99.00"),
        is_featured=True,
    )
    retail = default_group()
    wholesale = WholesaleGroupFactory()
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


PAGES = ["/", "/c/kitchen/", "/search/?q=kettle", "/p/marker-kettle/"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PAGES)
def test_each_persona_sees_only_their_own_price(client, shop, persona, url):
    product, people = shop
    if persona != "guest":
        client.force_login(people[persona])
    own = MARKERS[SEES.get(persona, persona)]
    response = client.get(url)
    body = response.content.decode()
    assert own in body
    for other, marker in MARKERS.items():
        if marker != own:
            assert marker not in body, f"{persona} saw the {other} price on {url}"
    assert "private" in response["Cache-Control"]


def test_logout_drops_back_to_guest_prices(client, shop):
    _, people = shop
    client.force_login(people["negotiated"])
    assert MARKERS["negotiated"] in client.get("/p/marker-kettle/").content.decode()
    client.post("/accounts/logout/")
    body = client.get("/p/marker-kettle/").content.decode()
    assert MARKERS["retail"] in body and MARKERS["negotiated"] not in body


def test_group_change_reprices_on_the_next_request(client, shop):
    _, people = shop
    user = people["retail"]
    client.force_login(user)
    assert MARKERS["retail"] in client.get("/c/kitchen/").content.decode()
    user.profile.group = people["vip"].profile.group
    user.profile.save()
    assert MARKERS["vip"] in client.get("/c/kitchen/").content.decode()


def test_reduced_price_is_struck_through_and_labelled(client, shop):
    _, people = shop
    client.force_login(people["wholesale"])
    body = client.get("/p/marker-kettle/").content.decode()
    assert "<del" in body and "€99.00" in body
    assert "Your trade price" in body
    assert "excl. VAT" in body


def test_retail_sees_gross_prices_with_tax_label(client):
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    product = ProductFactory(base_price=Decimal("10.00"))
    body = client.get(product.get_absolute_url()).content.decode()
    assert "€12.00" in body and "incl. VAT" in body
    assert "Your trade price" not in body and "<del" not in body


def test_product_page_shows_tiers_hints_and_matching_input_limits(client):
    wholesale = WholesaleGroupFactory()
    product = ProductFactory(name="Gel pen", base_price=Decimal("2.00"), stock=500)
    for quantity, price in [(12, "1.50"), (120, "0.95")]:
        PriceRule.objects.create(
            name=f"{quantity}+",
            group=wholesale,
            product=product,
            min_quantity=quantity,
            kind="fixed_price",
            value=price,
        )
    QuantityRule.objects.create(
        name="boxes", group=wholesale, product=product, min_quantity=12, step=12
    )
    client.force_login(UserFactory(group=wholesale))
    body = client.get(product.get_absolute_url()).content.decode()
    assert "12+" in body and "€1.50" in body and "120+" in body and "€0.95" in body
    assert "Sold in packs of 12" in body and "Minimum order: 12" in body
    assert 'min="12"' in body and 'step="12"' in body and 'max="492"' in body


def test_prices_hidden_from_guests_everywhere_when_the_shop_says_so(client, shop, settings):
    settings.SHOP_HIDE_PRICES_FROM_GUESTS = True
    for url in PAGES:
        body = client.get(url).content.decode()
        assert "Log in to see prices" in body, url
        assert "€" not in body, url
        assert not any(marker in body for marker in MARKERS.values()), url
    _, people = shop
    client.force_login(people["retail"])
    assert MARKERS["retail"] in client.get("/p/marker-kettle/").content.decode()


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/c/kitchen/", "/p/marker-kettle/", "/search/?q=kettle"])
@pytest.mark.usefixtures("rendered_pages")
def test_page_queries_are_the_same_with_10_and_1000_rules(
    client, shop, url, django_assert_max_num_queries
):
    product, people = shop
    client.force_login(people["wholesale"])
    group = people["wholesale"].profile.group
    ProductFactory.create_batch(15, category=product.category)

    def add_rules(count):
        PriceRule.objects.bulk_create(
            PriceRule(name=f"bulk {i}", group=group, kind="amount_off", value=Decimal("0.01"))
            for i in range(count)
        )
        PriceRule.objects.first().save()  # bumps the version like an admin edit

    add_rules(6)
    page_queries(client, url)  # compiles the rules
    few = page_queries(client, url)
    add_rules(990)
    page_queries(client, url)
    with django_assert_max_num_queries(10):
        many = page_queries(client, url)
    assert few == many


def test_cached_listing_cards_never_cross_groups_or_customers(client, shop):
    """Cards are cached; whoever warms the cache, every viewer still sees only their price."""
    product, people = shop
    order = ["negotiated", "wholesale", "vip", "retail", "negotiated", "retail"]
    order += ["company", "rival", "colleague", "wholesale", "company", "rival"]
    for persona in order:
        client.force_login(people[persona])
        body = client.get("/c/kitchen/").content.decode()
        own = SEES.get(persona, persona)
        assert MARKERS[own] in body
        assert [m for k, m in MARKERS.items() if k != own and m in body] == []
    client.logout()
    assert MARKERS["retail"] in client.get("/c/kitchen/").content.decode()


def test_cached_cards_show_product_changes_at_once(client, shop):
    product, _ = shop
    assert "Marker kettle" in client.get("/c/kitchen/").content.decode()
    product.name = "Renamed kettle"
    product.save()
    body = client.get("/c/kitchen/").content.decode()
    assert "Renamed kettle" in body and "Marker kettle" not in body
    product.stock = 0
    product.save()
    assert "Out of stock" in client.get("/c/kitchen/").content.decode()


def test_hidden_price_login_link_returns_to_the_product(client, shop, settings):
    """The link sits in a cached card, so it must not depend on the page it was cached on."""
    settings.SHOP_HIDE_PRICES_FROM_GUESTS = True
    client.get("/c/kitchen/")
    body = client.get("/search/?q=kettle").content.decode()
    assert "/accounts/login/?next=/p/marker-kettle/" in body


@pytest.mark.parametrize(
    "url", ["/c/kitchen/?sort=price", "/search/?q=kettle&sort=price", "/", "/p/marker-kettle/"]
)
def test_warm_caches_never_carry_a_companys_price_to_anyone_else(client, shop, url):
    """Every persona in turn, twice, on pages whose cards and price orders are kept."""
    _, people = shop
    for _round in range(2):
        for persona in PERSONAS:
            client.logout()
            if persona != "guest":
                client.force_login(people[persona])
            body = client.get(url).content.decode()
            own = SEES.get(persona, persona)
            assert MARKERS[own] in body, (persona, url)
            assert [k for k, m in MARKERS.items() if k != own and m in body] == [], persona


# --- whole pages kept by the page cache (shop.page_cache) --------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/15"


def worker_caches(backend: str, prefix: str) -> list[dict]:
    """The caches of two serving processes: their own memory each, or one Redis; the page
    frame is in each process's own memory either way."""
    memory = "django.core.cache.backends.locmem.LocMemCache"
    names = (f"{prefix}-1", f"{prefix}-2")
    if backend == "redis":
        shared = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
        return [
            {"default": shared, "pages": shared, "frame": {"BACKEND": memory, "LOCATION": name}}
            for name in names
        ]
    return [
        {
            "default": {"BACKEND": memory, "LOCATION": name},
            "pages": {"BACKEND": memory, "LOCATION": f"{name}-pages"},
            "frame": {"BACKEND": memory, "LOCATION": f"{name}-frame"},
        }
        for name in names
    ]


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is needed in CI: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_kept_pages_never_carry_a_price_to_another_persona(client, shop, settings, backend):
    """Every persona on every page, through two workers, in an order that lets each warm the
    page another reads next; then a rule change, which nobody may miss."""
    from django.core.cache import caches

    from shop.page_cache import pages

    if backend == "redis":
        require_redis()
    product, people = shop
    workers = worker_caches(backend, prefix=f"leak-{uuid.uuid4().hex}")
    urls = [*PAGES, "/c/kitchen/?sort=price", "/search/?q=kettle&sort=-price"]
    markers = dict(MARKERS)
    hits = pages.statistics["hit"]
    try:
        for round_ in range(3):
            if round_ == 2:
                rule = PriceRule.objects.get(name="wholesale")
                rule.value = markers["wholesale"] = "73.33"
                rule.save()
                services.rules_changed()
            for persona in reversed(PERSONAS) if round_ == 1 else PERSONAS:
                client.logout()
                if persona != "guest":
                    client.force_login(people[persona])
                own = markers[SEES.get(persona, persona)]
                for worker, caches_of_worker in enumerate(workers):
                    settings.CACHES = caches_of_worker
                    for url in urls:
                        body = client.get(url).content.decode()
                        assert own in body, (persona, worker, url)
                        seen = [k for k, m in markers.items() if m != own and m in body]
                        assert seen == [], (persona, worker, url)
                        if round_ == 2:
                            assert MARKERS["wholesale"] not in body, (persona, worker, url)
    finally:
        for cache in caches.all():
            cache.clear()
    assert pages.statistics["hit"] - hits > 100
