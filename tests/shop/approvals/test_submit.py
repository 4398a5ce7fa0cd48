"""A company member's order over his spending limit, or on account over the company's credit,
is never placed: whatever the route, it goes to the company's approvers."""

import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from core.errors import Refusal
from shop.cart.models import Cart, CartLine
from shop.cart.sharing.models import SharedCart
from shop.models import Order, OrderApproval
from shop.orders import services as order_services
from tests.factories import CompanyMemberFactory, OrderApprovalFactory, OrderApprovalLineFactory
from tests.shop.conftest import ADDRESS, go_to_review, messages_of
from tests.shop.sharing.conftest import share

from .conftest import add, at_review, place, submit

pytestmark = pytest.mark.django_db


def test_the_review_page_says_the_order_goes_to_the_approvers(client, shop_products, bistro):
    pan, _pot = shop_products
    # 40 x 10.00 + 20.00 freight = 420.00 net, 504.00 with VAT: over the 500.00 limit.
    review, _key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    body = review.content.decode()
    assert total == "504.00"
    assert "This order exceeds your limit of €500.00: it will be sent to your approvers" in body
    assert 'name="note"' in body and "Send for approval" in body
    assert "Place order and pay" not in body


def test_under_the_limit_the_order_is_placed_as_before(client, shop_products, bistro):
    pan, _pot = shop_products
    review, key, total = at_review(client, bistro.buyer, pan, 30, bistro.freight)  # 384.00
    assert 'name="note"' not in review.content.decode()
    response = place(client, key, total)
    order = Order.objects.get()
    assert response.url == f"/accounts/orders/{order.number}/"
    assert order.approved_by is None and not OrderApproval.objects.exists()


def test_over_the_limit_the_order_is_sent_for_approval_not_placed(
    client, shop_products, bistro, django_capture_on_commit_callbacks
):
    pan, pot = shop_products
    client.force_login(bistro.buyer)
    add(client, pot, 2)
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, key, total, note="For the Christmas menu")

    assert not Order.objects.exists()
    approval = OrderApproval.objects.get()
    assert response.url == f"/portal/approvals/{approval.number}/"
    assert approval.number.startswith("PA-")
    assert (approval.company, approval.buyer) == (bistro.company, bistro.buyer)
    assert (approval.reason, approval.threshold, approval.total) == (
        "over_limit",
        Decimal("500.00"),
        Decimal("564.00"),  # 40 pans and 2 pots: 470.00 net, 564.00 with VAT
    )
    assert approval.note == "For the Christmas menu"
    assert approval.state == "requested"
    assert approval.payment_method == "bank_transfer"
    assert approval.shipping_method == bistro.freight
    assert approval.shipping_address["city"] == bistro.buyer.addresses.get().city
    assert sorted((line.sku, line.quantity) for line in approval.lines.all()) == [
        ("PAN-1", 40),
        ("POT-2", 2),
    ]
    assert not CartLine.objects.filter(cart__user=bistro.buyer).exists()  # in the request now
    pan.refresh_from_db()
    assert pan.stock == 100  # nothing is taken before the order is placed
    [email] = mail.outbox
    assert sorted(email.to) == sorted([bistro.admin.email, bistro.approver.email])
    assert bistro.buyer.email not in email.to
    assert "For the Christmas menu" in email.body and approval.number in email.body

    page = client.get(response.url)
    assert "sent to your approvers" in " ".join(messages_of(page))
    assert "Awaiting approval" in page.content.decode()


def test_a_replayed_submit_finds_the_same_request(client, shop_products, bistro):
    pan, _pot = shop_products
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    first = submit(client, key, total)
    again = submit(client, key, total)
    assert first.url == again.url
    assert OrderApproval.objects.count() == 1 and not Order.objects.exists()


def test_over_the_companys_credit_on_account_goes_for_approval(client, shop_products, bistro):
    pan, _pot = shop_products
    bistro.company.credit_limit = Decimal("300.00")
    bistro.company.save()
    # The approver has no spending limit; 30 pans on account: 384.00 over 300.00 of credit.
    delivery_review = at_review(
        client, bistro.approver, pan, 30, bistro.freight, payment="on_account"
    )
    review, key, total = delivery_review
    assert "available credit of €300.00: it will be sent to your approvers" in (
        review.content.decode()
    )
    submit(client, key, total)
    approval = OrderApproval.objects.get()
    assert (approval.reason, approval.threshold) == ("over_credit", Decimal("300.00"))
    assert not Order.objects.exists()


def test_the_delivery_step_offers_on_account_over_the_credit_to_members(
    client, shop_products, bistro
):
    pan, _pot = shop_products
    bistro.company.credit_limit = Decimal("100.00")
    bistro.company.save()
    client.force_login(bistro.approver)
    add(client, pan, 30)
    address = bistro.approver.addresses.get()
    client.post("/checkout/", {"billing_choice": str(address.pk), "shipping_choice": "same"})
    body = client.get("/checkout/delivery/").content.decode()
    assert 'value="on_account" disabled' not in body
    assert "the order will be sent to your approvers" in body


def test_a_forged_post_with_a_lower_total_places_nothing(client, shop_products, bistro):
    pan, _pot = shop_products
    _review, key, _total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    response = submit(client, key, "450.00")
    assert response.url == "/checkout/review/"  # the total is re-computed on the server
    assert not Order.objects.exists() and not OrderApproval.objects.exists()
    assert CartLine.objects.filter(cart__user=bistro.buyer).count() == 1


def test_order_place_itself_refuses_an_order_over_the_limit(shop_products, bistro):
    """Quick order, shared carts and reorder all fill the cart that `order_place` places:
    the limit is checked there, under the company lock."""
    pan, _pot = shop_products
    cart = Cart.objects.create(user=bistro.buyer)
    CartLine.objects.create(cart=cart, product=pan, quantity=40)
    with pytest.raises(order_services.ApprovalRequired) as refused:
        order_services.order_place(
            cart=cart,
            customer=bistro.buyer,
            email=bistro.buyer.email,
            billing_address=ADDRESS,
            shipping_address=ADDRESS,
            shipping_method_id=bistro.freight.pk,
            payment_method="bank_transfer",
            confirmed_total=Decimal("504.00"),
            idempotency_key=uuid.uuid4().hex,
        )
    assert (refused.value.reason, refused.value.total) == ("over_limit", Decimal("504.00"))
    assert refused.value.quantities == {pan.pk: 40}
    assert not Order.objects.exists() and cart.lines.count() == 1


def test_an_approval_of_another_request_cannot_be_forged_into_order_place(shop_products, bistro):
    """Only a request in the approved state, decided by an approver of the buyer's company,
    lifts the limit."""
    pan, _pot = shop_products
    outsider = CompanyMemberFactory(role="approver").user
    for state, decided_by in (
        ("requested", None),
        ("approved", bistro.buyer),
        ("approved", outsider),
    ):
        approval = OrderApprovalFactory(
            company=bistro.company, buyer=bistro.buyer, state=state, decided_by=decided_by
        )
        OrderApprovalLineFactory(approval=approval, product=pan, quantity=40)
        with pytest.raises(Refusal):
            order_services.order_place(
                cart=None,
                customer=bistro.buyer,
                email=bistro.buyer.email,
                billing_address=ADDRESS,
                shipping_address=ADDRESS,
                shipping_method_id=bistro.freight.pk,
                payment_method="bank_transfer",
                confirmed_total=Decimal("504.00"),
                idempotency_key=uuid.uuid4().hex,
                approval=approval,
            )
    assert not Order.objects.exists()


def test_a_note_too_long_is_refused_and_kept(client, shop_products, bistro):
    pan, _pot = shop_products
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    note = "Please " + "x" * 1000
    response = submit(client, key, total, note=note)
    assert response.status_code == 200
    body = response.content.decode()
    assert "at most 1000 characters" in body and note in body
    assert not OrderApproval.objects.exists()


def test_a_member_without_limit_pays_by_transfer_without_approval(client, shop_products, bistro):
    pan, _pot = shop_products
    _review, key, total = at_review(client, bistro.admin, pan, 60, bistro.freight)
    place(client, key, total)
    assert Order.objects.get().user == bistro.admin


def test_the_cart_changed_in_another_tab_is_reviewed_again(
    client, shop_products, bistro, monkeypatch
):
    pan, pot = shop_products
    _review, key, total = at_review(client, bistro.buyer, pan, 40, bistro.freight)
    real_submit = order_services.order_place

    def place_then_add(**kwargs):
        try:
            return real_submit(**kwargs)
        finally:
            CartLine.objects.create(cart=kwargs["cart"], product=pot, quantity=1)

    monkeypatch.setattr(order_services, "order_place", place_then_add)
    response = submit(client, key, total)
    assert response.url == "/checkout/review/"
    assert not OrderApproval.objects.exists()
    assert "Your cart changed" in " ".join(messages_of(client.get("/checkout/review/")))


def test_nobody_else_to_approve_keeps_the_cart_and_says_what_to_do(client, shop_products, bistro):
    pan, _pot = shop_products
    # A company of one admin who gave himself a limit: nobody else may approve his orders.
    bistro.approver.company_membership.delete()
    bistro.buyer.company_membership.delete()
    admin = bistro.admin
    admin.company_membership.spending_limit = Decimal("100.00")
    admin.company_membership.save()
    _review, key, total = at_review(client, admin, pan, 40, bistro.freight)
    response = submit(client, key, total)
    assert response.url == "/checkout/review/"
    assert "Nobody else in your company can approve this order" in " ".join(
        messages_of(client.get(response.url))
    )
    assert not OrderApproval.objects.exists() and not Order.objects.exists()
    assert CartLine.objects.filter(cart__user=admin, product=pan, quantity=40).exists()


def test_a_shared_cart_sent_for_approval_is_marked_ordered_once_approved(
    client, shop_products, bistro
):
    pan, _pot = shop_products
    sharer = Client()
    add(sharer, pan, 40)
    path = share(sharer)
    client.force_login(bistro.buyer)
    client.post(path + "add/")
    address = bistro.buyer.addresses.get()
    _review, key, total = go_to_review(
        client,
        shipping_method=bistro.freight,
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )
    submit(client, key, total)
    approval = OrderApproval.objects.get()
    assert approval.shared_cart == SharedCart.objects.get()
    assert SharedCart.objects.get().order is None  # not ordered yet: it waits for approval

    approver = Client()
    approver.force_login(bistro.approver)
    approver.post(f"/portal/approvals/{approval.number}/approve/", {"confirmed_total": total})
    shared = SharedCart.objects.get()
    assert shared.order is not None and shared.order.approved_by == bistro.approver


def test_nobody_else_to_approve_an_order_over_the_credit_says_to_pay_otherwise(
    client, shop_products, bistro
):
    pan, _pot = shop_products
    bistro.approver.company_membership.delete()
    bistro.buyer.company_membership.delete()
    bistro.company.credit_limit = Decimal("100.00")
    bistro.company.save()
    _review, key, total = at_review(client, bistro.admin, pan, 30, bistro.freight, "on_account")
    response = submit(client, key, total)
    assert response.url == "/checkout/review/"
    message = " ".join(messages_of(client.get(response.url)))
    assert "available credit does not cover this order" in message
    assert not OrderApproval.objects.exists() and not Order.objects.exists()
