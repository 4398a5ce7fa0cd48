"""Two approvers decide one request at once (PostgreSQL only): the request's row lock lets
one of them place the order and tells the other it is decided. Shown first with the lock off."""

import threading
from decimal import Decimal

import pytest
from django.test import Client

from core.errors import Refusal
from shop.models import Order, OrderApproval
from shop.orders.approvals import services
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel  # noqa: F401

from .conftest import at_review, submit

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def requested(shop_products, bistro):
    pan, _pot = shop_products
    client = Client()
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    submit(client, key, total)
    return OrderApproval.objects.get()


def approve_together(approval, approvers):
    def approve(index):
        try:
            order = services.approval_approve(
                approval=OrderApproval.objects.get(pk=approval.pk),
                approver=approvers[index],
                confirmed_total=Decimal("504.00"),
            )
        except Refusal as refusal:
            return refusal.message
        return order.number

    return in_parallel(len(approvers), approve)


def test_without_the_row_lock_both_approvers_are_told_they_approved(requested, bistro, monkeypatch):
    both_have_read = threading.Barrier(2, timeout=TIMEOUT)

    def unlocked_pending(approval):
        approval = OrderApproval.objects.select_related("buyer").get(pk=approval.pk)
        assert approval.is_pending
        both_have_read.wait()
        return approval

    monkeypatch.setattr(services, "_locked_pending", unlocked_pending)

    results, errors = approve_together(requested, [bistro.approver, bistro.admin])

    assert errors == []
    # Only the order's idempotency key kept a second order out; both decisions were written.
    assert results[0] == results[1] and results[0].startswith("CPT-")
    assert Order.objects.count() == 1


def test_with_the_row_lock_one_approver_places_the_order(requested, bistro):
    results, errors = approve_together(requested, [bistro.approver, bistro.admin])

    assert errors == []
    placed = [result for result in results if result.startswith("CPT-")]
    told = [result for result in results if not result.startswith("CPT-")]
    assert len(placed) == 1 and len(told) == 1
    assert "already decided" in told[0]
    order = Order.objects.get()
    requested.refresh_from_db()
    assert requested.order == order and order.approved_by == requested.decided_by
    assert order.approved_by in (bistro.approver, bistro.admin)
