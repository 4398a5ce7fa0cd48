"""Invoice and credit note numbers under real concurrent connections (PostgreSQL only): no
number given twice, none skipped. The race is first shown with the counter read unlocked
(through the `_counter` seam), then shown to be prevented by the row lock."""

import threading

import pytest
from django.db import IntegrityError, transaction

from core.errors import Refusal
from shop.invoices import services as invoice_services
from shop.models import CreditNote, DocumentCounter, Invoice, Order
from shop.orders import services as order_services
from tests.factories import OrderFactory, OrderLineFactory
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

__all__ = ["default_group"]  # the autouse fixture, re-used

ISSUERS = 20


def unpaid_orders(count) -> list[Order]:
    orders = []
    for _ in range(count):
        order = OrderFactory()
        OrderLineFactory(order=order)  # €10.00 + 20 %: the factory's order totals
        orders.append(order)
    return orders


@pytest.fixture
def counter_exists(default_group):
    """One invoice and one credit note issued before: the counter rows of the year exist (the
    first issue of a year creates them)."""
    [order] = unpaid_orders(1)
    order_services.order_mark_paid(order=order)
    order_services.order_set_status(order=order, status="cancelled")
    assert DocumentCounter.objects.count() == 2


def sequences(model) -> list[int]:
    return sorted(model.objects.values_list("sequence", flat=True))


def test_without_the_counter_lock_parallel_payments_take_the_same_number(
    counter_exists, monkeypatch
):
    """The race is real: every payment reads "last number 1" before any writes."""
    orders = unpaid_orders(ISSUERS)
    everyone_has_read = threading.Barrier(ISSUERS, timeout=TIMEOUT)

    def unlocked(*, kind, year):
        counter = DocumentCounter.objects.get(kind=kind, year=year)
        everyone_has_read.wait()
        return counter

    monkeypatch.setattr(invoice_services, "_counter", unlocked)
    _results, errors = in_parallel(
        ISSUERS, lambda index: order_services.order_mark_paid(order=orders[index])
    )

    # All read 1 and wrote 2: one invoice got 2, the database refused the others' duplicate.
    assert len(errors) == ISSUERS - 1
    assert all(isinstance(error, IntegrityError) for _index, error in errors)
    assert sequences(Invoice) == [1, 2]


def test_parallel_payments_and_rollbacks_leave_no_gap_and_no_duplicate(counter_exists):
    orders = unpaid_orders(ISSUERS)

    def pay(index):
        if index % 4 == 3:  # a payment whose transaction fails after its invoice
            with transaction.atomic():
                order_services.order_mark_paid(order=orders[index])
                raise Refusal("rolled back")
        return order_services.order_mark_paid(order=orders[index]).invoice.number

    results, errors = in_parallel(ISSUERS, pay)

    rolled_back = ISSUERS // 4
    assert len(errors) == rolled_back
    assert all(isinstance(error, Refusal) for _index, error in errors)
    assert sequences(Invoice) == list(range(1, ISSUERS - rolled_back + 2))  # 1 was before
    assert len(set(filter(None, results))) == ISSUERS - rolled_back
    counter = DocumentCounter.objects.get(kind="invoice")
    assert counter.last == ISSUERS - rolled_back + 1


def test_parallel_cancellations_number_their_credit_notes_without_gap(counter_exists):
    orders = [order_services.order_mark_paid(order=order) for order in unpaid_orders(ISSUERS)]

    _results, errors = in_parallel(
        ISSUERS,
        lambda index: order_services.order_set_status(order=orders[index], status="cancelled"),
    )

    assert errors == []
    assert sequences(CreditNote) == list(range(1, ISSUERS + 2))
    assert CreditNote.objects.filter(invoice__order__in=orders).count() == ISSUERS


def test_paying_one_order_twice_in_parallel_issues_one_invoice(counter_exists):
    [order] = unpaid_orders(1)
    _results, errors = in_parallel(10, lambda _index: order_services.order_mark_paid(order=order))
    assert errors == []
    assert Invoice.objects.filter(order=order).count() == 1
    assert sequences(Invoice) == [1, 2]
