"""Two saves bring the same product back at the same moment (PostgreSQL only): without the
lock on the pending alerts both read them and each waiting customer gets two emails; with it,
the second waits, finds them closed and sends nothing."""

import threading
import time

import pytest

from shop.catalog.alerts import selectors, services
from shop.catalog.models import Product, StockAlert
from tests.factories import ProductFactory
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel  # noqa: F401

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def waiting(default_group):  # noqa: F811
    product = ProductFactory(stock=0)
    services.stock_alert_request(product=product, email="ada@example.com")
    services.stock_alert_request(product=product, email="grace@example.com")
    Product.objects.filter(pk=product.pk).update(stock=6)
    return product


def after_reading_the_alerts(monkeypatch, hook):
    """Call `hook()` once the pending alerts were read, before they are closed."""
    real = selectors.visible_product_ids

    def visible_product_ids(**kwargs):
        hook()
        return real(**kwargs)

    monkeypatch.setattr(selectors, "visible_product_ids", visible_product_ids)


def notify_twice(product):
    return in_parallel(2, lambda _index: services.stock_alerts_notify(product_ids=[product.pk]))


def test_without_the_lock_two_saves_email_everyone_twice(waiting, monkeypatch, mailoutbox):
    monkeypatch.setattr(services, "lock_rows", lambda queryset: list(queryset.order_by("pk")))
    both_have_read = threading.Barrier(2, timeout=TIMEOUT)
    after_reading_the_alerts(monkeypatch, both_have_read.wait)

    results, errors = notify_twice(waiting)

    assert errors == []
    assert results == [2, 2]
    assert (
        sorted(m.to[0] for m in mailoutbox) == ["ada@example.com"] * 2 + ["grace@example.com"] * 2
    )


def test_with_the_lock_each_alert_is_emailed_once(waiting, monkeypatch, mailoutbox):
    after_reading_the_alerts(monkeypatch, lambda: time.sleep(0.3))  # hold the lock a little

    results, errors = notify_twice(waiting)

    assert errors == []
    assert sorted(results) == [0, 2]
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.com", "grace@example.com"]
    assert not StockAlert.objects.filter(notified_at=None).exists()
