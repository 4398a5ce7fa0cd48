"""A card payment confirmed while the clean-up releases unpaid card orders (PostgreSQL only):
the payment wins, the paid order is never cancelled. The race is first shown with the order
lock taken away (a test seam), then shown to be prevented with it."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from shop.models import Order
from shop.orders import services as order_services
from shop.payments import services
from tests.factories import CardPaymentFactory, OrderFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 30


@pytest.fixture(autouse=True)
def default_group(transactional_db):
    from customers.models import CustomerGroup

    if not CustomerGroup.objects.filter(is_default=True).exists():
        CustomerGroup.objects.update_or_create(
            slug="retail",
            defaults={"name": "Retail", "is_default": True, "prices_include_tax": True},
        )


def cancel(*, order):
    return order_services.order_set_status(order=order, status="cancelled")


def confirm_while_releasing(payment) -> list:
    """The provider confirms `payment` (holding what its processing locks) while the clean-up
    releases its order; returns the errors of both threads."""
    locked, errors = threading.Event(), []

    def confirm_and_wait(payment):
        payment.change_status("confirmed")
        locked.set()
        time.sleep(1)  # the clean-up runs now

    def pay():
        try:
            services.card_payment_process(
                payment=payment, step=confirm_and_wait, mark_paid=order_services.order_mark_paid
            )
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    def release():
        try:
            assert locked.wait(TIMEOUT)
            services.card_order_release(
                order_id=payment.order_id,
                placed_before=payment.order.placed_at + timedelta(minutes=1),
                cancel=cancel,
                mark_paid=order_services.order_mark_paid,
            )
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay), threading.Thread(target=release)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return errors


def test_without_the_order_lock_a_paid_order_is_cancelled(monkeypatch):
    def unlocked(order_id):
        return Order.objects.filter(pk=order_id).first()

    monkeypatch.setattr(services, "_lock_order", unlocked)
    payment = CardPaymentFactory(order=OrderFactory(payment_method="card"), status="input")
    assert confirm_while_releasing(payment) == []
    order = Order.objects.get(pk=payment.order_id)
    assert order.paid_at is not None and order.status == "cancelled"  # the race


def test_with_the_order_lock_the_confirmed_payment_wins():
    payment = CardPaymentFactory(order=OrderFactory(payment_method="card"), status="input")
    assert confirm_while_releasing(payment) == []
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == "paid" and order.paid_at is not None and not order.stock_returned
