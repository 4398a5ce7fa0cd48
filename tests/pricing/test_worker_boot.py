"""A gunicorn worker compiles the pricing rules as it boots, so its first request does not."""

import gc
import logging
import runpy
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from pricing import services
from pricing.models import PricingVersion
from tests.factories import PriceRuleFactory, ProductFactory

GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def default_group(transactional_db):
    """What the migration made and an earlier transactional test's flush removed."""
    from customers.models import CustomerGroup

    if not CustomerGroup.objects.filter(is_default=True).exists():
        CustomerGroup.objects.update_or_create(
            slug="retail",
            defaults={"name": "Retail", "is_default": True, "prices_include_tax": True},
        )


@pytest.fixture(autouse=True)
def collector_restored():
    """The hook tunes the garbage collector of the process it runs in: this one's, here."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def boot_worker(log: logging.Logger) -> None:
    hook = runpy.run_path(str(GUNICORN_CONFIG))["post_worker_init"]
    hook(SimpleNamespace(log=log))


def test_a_booted_worker_prices_its_first_request_with_one_query(django_assert_num_queries):
    product = ProductFactory(base_price=Decimal("20.00"))
    PriceRuleFactory(product=product, kind="fixed_price", value=Decimal("12.00"))
    services.rules_changed()

    boot_worker(logging.getLogger("test"))

    assert services._process_data.version == PricingVersion.current()
    with django_assert_num_queries(1):  # the version check: nothing compiled on the request
        data = services.pricing_data()
    assert data is services._process_data
    assert services.quote(product).unit_price == Decimal("12.00")


def test_a_worker_whose_compile_fails_still_boots_and_says_why(monkeypatch, caplog):
    def database_down():
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(services, "pricing_data", database_down)

    boot_worker(logging.getLogger("test"))

    assert services._process_data is None
    assert "Pricing rules not compiled at boot" in caplog.text


def test_a_booted_worker_leaves_what_it_built_out_of_garbage_collections():
    boot_worker(logging.getLogger("test"))
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] > 700
