import pytest
from django.contrib.auth.models import Group

from customers.permissions import SHOP_MANAGERS
from tests.factories import StaffUserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated images go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need real parallel connections, `postgresql` tests check behaviour
    only PostgreSQL has (full-text search): PostgreSQL only."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skips = {
        "concurrency": pytest.mark.skip(reason="concurrency tests run on PostgreSQL only"),
        "postgresql": pytest.mark.skip(reason="PostgreSQL behaviour"),
    }
    for item in items:
        for keyword, skip in skips.items():
            if keyword in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the shop's default language: a request activates the reader's and
    leaves it active in the thread, and a factory's `name=` writes the active language's
    column (django-modeltranslation)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_pricing_process():
    """Each test starts like a new process: no compiled rules held in memory."""
    from pricing import services

    services._process_data = None
    yield
    services._process_data = None


@pytest.fixture
def manager(client):
    """Logged in as a manager whose permissions come only from the migration-made group."""
    user = StaffUserFactory(email="manager@example.com")
    user.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _fresh_price_orders():
    """No listing order kept from another test (their ids and versions may coincide)."""
    from pricing import sorting
    from shop.catalog import listings, selectors

    sorting.forget_orders()
    listings.forget_listings()
    selectors.forget_category_trees()
    yield
    sorting.forget_orders()
    listings.forget_listings()
    selectors.forget_category_trees()


@pytest.fixture(autouse=True)
def _no_tax_rates(request):
    """Database tests state the tax rates they rely on, like any other pricing input: the EU
    rates the migrations seed are removed (a transactional test flushes them anyway), and
    `eu_vat_rates` brings them back."""
    names = set(request.fixturenames)
    if "eu_vat_rates" in names:
        return
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif names & {"db", "transactional_db"}:
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    else:
        return
    from shop.models import TaxRate

    TaxRate.objects.all().delete()


@pytest.fixture
def eu_vat_rates(db):
    """The rates of the 27 member states, as the data migration seeds them."""
    import importlib

    from django.apps import apps

    importlib.import_module("shop.migrations.0009_eu_vat_rates").add_missing_rates(apps, None)


@pytest.fixture
def rendered_pages(settings):
    """Storefront pages rendered on every request, never served from the page cache: for the
    tests that count what rendering a page costs (tests/shop/page_cache counts kept pages)."""
    settings.SHOP_PAGE_CACHE_SECONDS = 0
