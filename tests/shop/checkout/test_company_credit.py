"""Company members buy with the company's group prices and share its credit on account."""

from decimal import Decimal

import pytest
from django.test import Client

from customers import selectors
from customers.models import CustomerProfile
from shop.models import Order, OrderApproval
from shop.orders import selectors as order_selectors
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    CompanyFactory,
    CompanyMemberFactory,
    PriceRuleFactory,
    ShippingMethodFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.shop.conftest import add, go_to_review, place, review_form


def test_a_member_buys_in_the_companys_group_and_gets_its_prices(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory()
    PriceRuleFactory(group=wholesale, value=Decimal("50"))
    member = CompanyMemberFactory(company=CompanyFactory(group=wholesale)).user
    # The member's own profile still says Retail: the company decides.
    CustomerProfile.objects.filter(user=member).update(group=default_group())
    assert selectors.group_for(member) == wholesale
    assert selectors.group_and_country_for(member)[0] == wholesale
    client.force_login(member)
    body = client.get(pan.get_absolute_url()).content.decode()
    assert "€5.00" in body  # 10.00 net, half off for the wholesale group


@pytest.fixture
def company_trade(shop_products):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    company = CompanyFactory(
        name="Bistro Lumière", group=wholesale, payment_terms_days=45, credit_limit=Decimal("300")
    )
    first = CompanyMemberFactory(company=company, role="admin").user
    second = CompanyMemberFactory(company=company).user
    for user in (first, second):
        AddressFactory(user=user, company="")
    return company, freight, first, second


def on_account_review(client, user, product, quantity, freight):
    client.force_login(user)
    add(client, product, quantity)
    address = user.addresses.get()
    return go_to_review(
        client,
        shipping_method=freight,
        payment="on_account",
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )


def test_the_company_credit_is_shared_by_its_members(client, shop_products, company_trade):
    pan, _pot = shop_products
    company, freight, first, second = company_trade
    colleague = Client()
    # Each: 10 x 10.00 + 20.00 freight = 120.00 net, 144.00 with VAT; 300.00 of credit.
    _review, second_key, second_total = on_account_review(colleague, second, pan, 10, freight)
    _review, key, total = on_account_review(client, first, pan, 10, freight)
    place(client, key, total)
    order = Order.objects.get()
    assert order.company == company and order.company_name == "Bistro Lumière"
    assert order.payment_terms_days == 45

    credit = order_selectors.credit_status(user=second)
    assert credit.limit == Decimal("300") and credit.used == Decimal("144.00")
    assert credit.available == Decimal("156.00")
    portal = colleague.get("/portal/").content.decode()
    assert "€156.00" in portal and "Bistro Lumière" in portal

    add(colleague, pan, 10)  # 20 now: 264.00, more than the 156.00 left
    assert place(colleague, second_key, second_total).url == "/checkout/review/"  # changed
    review = colleague.get("/checkout/review/")
    assert "available credit of €156.00: it will be sent to your approvers" in (
        review.content.decode()
    )
    key, total = review_form(review)
    assert total == "264.00"
    response = place(colleague, key, total)
    approval = OrderApproval.objects.get()
    assert response.url == f"/portal/approvals/{approval.number}/"
    assert (approval.buyer, approval.reason, approval.threshold) == (
        second,
        "over_credit",
        Decimal("156.00"),
    )
    assert Order.objects.count() == 1  # the colleague's order waits for an approver


def test_a_customer_without_company_over_his_credit_still_cannot_pay_on_account(
    client, shop_products
):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    customer = UserFactory(group=wholesale)
    CustomerProfile.objects.filter(user=customer).update(
        payment_terms_days=30, credit_limit=Decimal("100.00")
    )
    AddressFactory(user=customer, company="")
    client.force_login(customer)
    add(client, pan, 10)  # 144.00 with freight and VAT
    client.post(
        "/checkout/",
        {"billing_choice": str(customer.addresses.get().pk), "shipping_choice": "same"},
    )
    delivery = client.get("/checkout/delivery/").content.decode()
    assert "Not enough available credit" in delivery
    response = client.post(
        "/checkout/delivery/", {"shipping_method": freight.pk, "payment_method": "on_account"}
    )
    assert response.status_code == 200  # on account is not a choice
    assert not OrderApproval.objects.exists() and not Order.objects.exists()
