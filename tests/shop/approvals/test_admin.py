"""Approval requests in the admin are read only for managers; the order shows its approver."""

import pytest

from tests.factories import OrderApprovalFactory, OrderFactory

pytestmark = pytest.mark.django_db


def test_a_manager_reads_requests_but_cannot_change_them(client, manager, bistro):
    approval = OrderApprovalFactory(company=bistro.company, buyer=bistro.buyer)
    response = client.get("/admin/shop/orderapproval/")
    assert response.status_code == 200
    body = response.content.decode()
    assert approval.number in body and "Bistro Lumière" in body and bistro.buyer.email in body
    change = client.get(f"/admin/shop/orderapproval/{approval.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    client.post(f"/admin/shop/orderapproval/{approval.pk}/change/", {"state": "approved"})
    approval.refresh_from_db()
    assert approval.state == "requested"
    assert client.get("/admin/shop/orderapproval/add/").status_code == 403
    assert client.get(f"/admin/shop/orderapproval/{approval.pk}/delete/").status_code == 403


def test_the_order_admin_shows_who_placed_and_who_approved(client, manager, bistro):
    order = OrderFactory(user=bistro.buyer, approved_by=bistro.approver)
    order.approved_at = order.placed_at
    order.save()
    body = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    assert "Customer (placed by)" in body
    assert bistro.buyer.email in body and bistro.approver.email in body
    assert "Approved by" in body
