"""Approvers and company admins decide their colleagues' requests in the portal; the buyer
sees his own and may cancel them. Other companies' requests are 404."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from shop.models import Order, OrderApproval
from tests.factories import CompanyMemberFactory, UserFactory
from tests.shop.conftest import messages_of

from .conftest import at_review, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(shop_products, bistro):
    """The buyer's order of 40 pans (504.00 with VAT) awaiting approval."""
    pan, _pot = shop_products
    client = Client()
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    submit(client, key, total, note="For the Christmas menu")
    mail.outbox.clear()
    return OrderApproval.objects.get()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_total(response) -> str:
    return re.search(r'name="confirmed_total" value="([^"]+)"', response.content.decode()).group(1)


def approve(client, approval, total):
    return client.post(f"/portal/approvals/{approval.number}/approve/", {"confirmed_total": total})


def test_the_approver_sees_the_request_and_approves_it(
    requested, bistro, shop_products, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    approver = logged_in(bistro.approver)
    listing = approver.get("/portal/approvals/").content.decode()
    assert requested.number in listing and "For the Christmas menu" in listing
    assert "€504.00" in listing and bistro.buyer.email in listing
    page = approver.get(f"/portal/approvals/{requested.number}/")
    body = page.content.decode()
    assert "Approve and place the order of €504.00" in body
    assert "Over the buyer&#x27;s spending limit: €500.00" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = approve(approver, requested, page_total(page))

    order = Order.objects.get()
    assert response.url == f"/portal/approvals/{requested.number}/"
    assert (order.user, order.company, order.total) == (
        bistro.buyer,
        bistro.company,
        Decimal("504.00"),
    )
    assert order.approved_by == bistro.approver and order.approved_at is not None
    requested.refresh_from_db()
    assert (requested.state, requested.decided_by, requested.order) == (
        "approved",
        bistro.approver,
        order,
    )
    pan.refresh_from_db()
    assert pan.stock == 60  # taken when the order is placed
    recipients = sorted(tuple(email.to) for email in mail.outbox)
    assert recipients == [(bistro.buyer.email,), (bistro.buyer.email,)]  # approved + placed
    assert any("is approved" in email.subject for email in mail.outbox)

    buyer = logged_in(bistro.buyer)
    assert order.number in buyer.get("/accounts/orders/").content.decode()
    order_page = buyer.get(f"/accounts/orders/{order.number}/").content.decode()
    assert "Approved by" in order_page and bistro.approver.email in order_page


def test_a_price_change_after_the_page_view_sends_the_approver_back(
    requested, bistro, shop_products
):
    pan, _pot = shop_products
    approver = logged_in(bistro.approver)
    seen = page_total(approver.get(f"/portal/approvals/{requested.number}/"))
    pan.base_price = Decimal("12.00")  # the pan is dearer now
    pan.save()
    response = approve(approver, requested, seen)
    assert response.url == f"/portal/approvals/{requested.number}/"
    assert not Order.objects.exists()
    requested.refresh_from_db()
    assert requested.state == "requested" and requested.decided_by is None
    page = approver.get(response.url)
    assert "The total changed since you opened this request: it is now €600.00" in " ".join(
        messages_of(page)
    )
    body = page.content.decode()
    assert "The total was €504.00 when the order was submitted; it is €600.00 today." in body
    approve(approver, requested, page_total(page))
    assert Order.objects.get().total == Decimal("600.00")


def test_out_of_stock_at_approval_places_nothing_and_keeps_the_request(
    requested, shop_products, bistro
):
    pan, _pot = shop_products
    pan.stock = 10
    pan.save()
    approver = logged_in(bistro.approver)
    response = approve(approver, requested, "504.00")
    assert not Order.objects.exists()
    requested.refresh_from_db()
    assert requested.state == "requested"
    assert messages_of(approver.get(response.url))


def test_the_buyer_cannot_approve_his_own_request(requested, bistro):
    buyer = logged_in(bistro.buyer)
    page = buyer.get(f"/portal/approvals/{requested.number}/").content.decode()
    assert "Approve and place" not in page and "Cancel my request" in page
    approve(buyer, requested, "504.00")
    assert not Order.objects.exists()
    requested.refresh_from_db()
    assert requested.state == "requested"


def test_a_plain_buyer_does_not_see_a_colleagues_request(requested, bistro):
    colleague = logged_in(CompanyMemberFactory(company=bistro.company).user)
    assert requested.number not in colleague.get("/portal/approvals/").content.decode()
    assert colleague.get(f"/portal/approvals/{requested.number}/").status_code == 404
    assert approve(colleague, requested, "504.00").status_code == 404
    assert not Order.objects.exists()


def test_another_companys_approver_gets_a_404(requested):
    rival = logged_in(CompanyMemberFactory(role="admin").user)
    assert rival.get(f"/portal/approvals/{requested.number}/").status_code == 404
    assert approve(rival, requested, "504.00").status_code == 404
    assert (
        rival.post(f"/portal/approvals/{requested.number}/reject/", {"reason": "No"}).status_code
        == 404
    )
    assert requested.number not in rival.get("/portal/approvals/").content.decode()
    assert not Order.objects.exists()


def test_customers_without_a_company_have_no_approvals_page(client, bistro):
    client.force_login(UserFactory())
    assert client.get("/portal/approvals/").status_code == 404
    assert Client().get("/portal/approvals/").status_code == 302  # to the log-in page


def test_a_bad_number_is_a_404(bistro):
    assert logged_in(bistro.approver).get("/portal/approvals/PA-0000/").status_code == 404


def test_reject_needs_a_reason_and_tells_the_buyer(
    requested, bistro, django_capture_on_commit_callbacks
):
    admin = logged_in(bistro.admin)
    url = f"/portal/approvals/{requested.number}/reject/"
    response = admin.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Say why you reject this order" in response.content.decode()
    requested.refresh_from_db()
    assert requested.state == "requested"

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"reason": "Too many pans this month"})
    requested.refresh_from_db()
    assert (requested.state, requested.decided_by) == ("rejected", bistro.admin)
    assert requested.rejection_reason == "Too many pans this month"
    [email] = mail.outbox
    assert email.to == [bistro.buyer.email] and "Too many pans this month" in email.body
    assert not Order.objects.exists()
    buyer_page = logged_in(bistro.buyer).get(f"/portal/approvals/{requested.number}/")
    body = buyer_page.content.decode()
    assert "Rejected" in body and "Too many pans this month" in body
    assert "PAN-1" in body and "Approve and place" not in body


def test_a_decided_request_cannot_be_decided_again(requested, bistro):
    approve(logged_in(bistro.approver), requested, "504.00")
    admin = logged_in(bistro.admin)
    response = approve(admin, requested, "504.00")
    assert "already decided" in " ".join(messages_of(admin.get(response.url)))
    admin.post(f"/portal/approvals/{requested.number}/reject/", {"reason": "Late"})
    assert Order.objects.count() == 1
    requested.refresh_from_db()
    assert (requested.state, requested.decided_by) == ("approved", bistro.approver)


def test_the_buyer_cancels_his_pending_request(requested, bistro):
    approver = logged_in(bistro.approver)
    approver.post(f"/portal/approvals/{requested.number}/cancel/")
    requested.refresh_from_db()
    assert requested.state == "requested"  # only the buyer cancels
    buyer = logged_in(bistro.buyer)
    assert buyer.post(f"/portal/approvals/{requested.number}/cancel/").url == "/portal/approvals/"
    requested.refresh_from_db()
    assert requested.state == "cancelled"
    approve(approver, requested, "504.00")
    assert not Order.objects.exists()


def test_an_approvers_own_order_goes_to_the_others(
    client, shop_products, bistro, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    member = bistro.approver.company_membership
    member.spending_limit = Decimal("100.00")
    member.save()
    _review, key, total = at_review(client, bistro.approver, pan, 40, bistro.freight)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, key, total)
    approval = OrderApproval.objects.get()
    [email] = mail.outbox
    assert email.to == [bistro.admin.email]
    approve(client, approval, "504.00")  # his own
    assert not Order.objects.exists()
    approve(logged_in(bistro.admin), approval, "504.00")
    assert Order.objects.get().approved_by == bistro.admin


def test_an_order_over_the_credit_is_approved_only_once_the_credit_covers_it(shop_products, bistro):
    """The approver lifts his company's spending limits, never the credit the shop grants."""
    pan, _pot = shop_products
    bistro.company.credit_limit = Decimal("300.00")
    bistro.company.save()
    buyer = Client()
    _review, key, total = at_review(buyer, bistro.approver, pan, 30, bistro.freight, "on_account")
    submit(buyer, key, total)  # 384.00 on account, 300.00 of credit
    approval = OrderApproval.objects.get(reason="over_credit")
    admin = logged_in(bistro.admin)
    page = admin.get(f"/portal/approvals/{approval.number}/").content.decode()
    assert "€300.00 of credit available: not enough for this order on account" in page
    assert "Approve and place" not in page

    response = approve(admin, approval, "384.00")  # posted anyway
    assert "does not cover this order of €384.00" in " ".join(messages_of(admin.get(response.url)))
    assert not Order.objects.exists()
    approval.refresh_from_db()
    assert approval.state == "requested"

    bistro.company.credit_limit = Decimal("500.00")  # the shop grants more credit
    bistro.company.save()
    approve(admin, approval, "384.00")
    order = Order.objects.get()
    assert (order.user, order.approved_by, order.payment_method) == (
        bistro.approver,
        bistro.admin,
        "on_account",
    )
