"""The demo shop has an order of buyer@ awaiting approval in Bistro Lumière, made once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from customers.models import User
from shop.models import OrderApproval

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_one_request_awaiting_approver(client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    approval = OrderApproval.objects.get()
    assert approval.buyer.email == "buyer@example.com"
    assert approval.company.name == "Bistro Lumière" and approval.state == "requested"
    assert approval.total > approval.threshold == approval.buyer.company_membership.spending_limit
    client.force_login(User.objects.get(email="approver@example.com"))
    page = client.get(f"/portal/approvals/{approval.number}/").content.decode()
    assert "Approve and place the order" in page and "The total was" not in page
    buyer = Client()
    buyer.force_login(approval.buyer)
    assert approval.number in buyer.get("/portal/approvals/").content.decode()
