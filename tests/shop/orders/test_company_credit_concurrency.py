"""Two members of one company race for the last of its credit (PostgreSQL only): the race is
first shown to be real with the company lock off, then shown to be prevented with it on (the
loser's order is sent for approval, never placed over the credit)."""

import threading
from decimal import Decimal

import pytest
from django.test import Client

from customers.models import Company
from shop.checkout import selectors as checkout_selectors
from shop.models import Order, OrderApproval
from shop.orders import selectors as order_selectors
from shop.orders.services import placement
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    CompanyFactory,
    CompanyMemberFactory,
    ShippingMethodFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, go_to_review, place
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel  # noqa: F401

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_members_at_review(shop_products):
    """Two members of a company with €200.00 of credit, each at the review step of an order
    on account of €144.00: there is credit for one of them only."""
    pan, pot = shop_products
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    company = CompanyFactory(group=wholesale, credit_limit=Decimal("200.00"))
    # Whichever of the two loses the race, someone else in the company may approve it.
    CompanyMemberFactory(company=company, role="approver")
    buyers = []
    # Different products: their row locks would queue the two orders anyway.
    for role, product, quantity in (("admin", pan, 10), ("buyer", pot, 4)):
        user = CompanyMemberFactory(company=company, role=role).user
        address = AddressFactory(user=user)
        client = Client()
        client.force_login(user)
        add(client, product, quantity)  # 100.00 + 20.00 freight, 144.00 with VAT
        _review, key, total = go_to_review(
            client,
            shipping_method=freight,
            payment="on_account",
            details={"billing_choice": str(address.pk), "shipping_choice": "same"},
        )
        buyers.append((client, key, total))
    return company, buyers


def submit_all(buyers):
    def submit(index):
        client, key, total = buyers[index]
        return place(client, key, total).url

    return in_parallel(len(buyers), submit)


def test_without_the_company_lock_two_members_overspend_its_credit(
    two_members_at_review, monkeypatch
):
    company, buyers = two_members_at_review
    monkeypatch.setattr(
        placement, "_lock_company", lambda pk: Company.objects.filter(pk=pk).first()
    )
    both_have_checked = threading.Barrier(len(buyers), timeout=TIMEOUT)
    real = checkout_selectors.available_payment

    def available_payment(**kwargs):
        payment = real(**kwargs)  # the credit is read and checked here
        both_have_checked.wait()
        return payment

    monkeypatch.setattr(checkout_selectors, "available_payment", available_payment)

    urls, errors = submit_all(buyers)

    assert errors == []
    assert all(url.startswith("/accounts/orders/") for url in urls)
    assert Order.objects.filter(company=company).count() == 2  # 288.00 on 200.00 of credit


def test_with_the_company_lock_only_one_member_gets_the_last_credit(two_members_at_review):
    """The other member's order goes to the company's approvers: it is not placed."""
    company, buyers = two_members_at_review

    urls, errors = submit_all(buyers)

    assert errors == []
    [placed] = [url for url in urls if url.startswith("/accounts/orders/")]
    [approval] = OrderApproval.objects.all()
    assert (approval.reason, approval.total) == ("over_credit", Decimal("144.00"))
    assert f"/portal/approvals/{approval.number}/" in urls
    assert Order.objects.filter(company=company).count() == 1
    used = order_selectors.company_credit_used(company_id=company.pk)
    assert used == Decimal("144.00") <= company.credit_limit
