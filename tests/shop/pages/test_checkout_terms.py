"""Consumers accept the terms of sale on the review step; the order records the version."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from customers.permissions import SHOP_MANAGERS
from shop.models import Order
from shop.pages import services as page_services
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    ShippingMethodFactory,
    StaffUserFactory,
    TermsPageFactory,
    UserFactory,
    WholesaleGroupFactory,
    WithdrawalPageFactory,
)
from tests.shop.conftest import add, go_to_review, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_pages(db):
    return TermsPageFactory(), WithdrawalPageFactory()


def place_accepting(client, key, total, version):
    return client.post(
        "/checkout/place/",
        {"idempotency_key": key, "confirmed_total": total, "accept_terms": "1",
         "terms_version": str(version)},
    )  # fmt: skip


def test_a_guest_must_tick_the_terms_and_the_order_records_the_version(
    client, shop_products, standard_shipping, legal_pages
):
    terms, _withdrawal = legal_pages
    add(client, shop_products[0], 1)
    review, key, total = go_to_review(client, shipping_method=standard_shipping)
    body = review.content.decode()
    assert 'name="accept_terms"' in body
    assert '<a href="/pages/terms-of-sale/">terms of sale</a>' in body
    assert '<a href="/pages/withdrawal/">withdrawal policy</a>' in body

    refused = place(client, key, total)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Tick the box to accept the terms of sale" in page
    assert 'aria-invalid="true"' in page and "Place order and pay" in page
    assert not Order.objects.exists()

    response = place_accepting(client, key, total, terms.version)
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.terms_version == terms.versions.get(number=terms.version)
    assert order.terms_accepted_at is not None


def test_terms_changed_since_the_review_are_accepted_again(
    client, shop_products, standard_shipping, legal_pages
):
    terms, _withdrawal = legal_pages
    add(client, shop_products[0], 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    shown = terms.version
    terms.body = "New terms: shipping is now charged."
    page_services.page_save(page=terms)

    refused = place_accepting(client, key, total, shown)
    assert "Our terms of sale changed" in refused.content.decode()
    assert not Order.objects.exists()
    place_accepting(client, key, total, terms.version)
    assert Order.objects.get().terms_version.body == "New terms: shipping is now charged."


def test_without_published_terms_checkout_goes_on_and_records_nothing(
    client, shop_products, standard_shipping
):
    TermsPageFactory(is_published=False)
    add(client, shop_products[0], 1)
    review, key, total = go_to_review(client, shipping_method=standard_shipping)
    assert 'name="accept_terms"' not in review.content.decode()
    assert place(client, key, total).status_code == 302
    order = Order.objects.get()
    assert order.terms_version is None and order.terms_accepted_at is None


def test_logged_in_consumers_accept_the_terms_too(
    client, shop_products, standard_shipping, legal_pages
):
    client.force_login(UserFactory())
    add(client, shop_products[0], 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    place(client, key, total)
    assert not Order.objects.exists()


def test_trade_buyers_are_not_asked_their_account_agreement_has_the_terms(
    client, shop_products, legal_pages
):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    buyer = UserFactory(group=wholesale)
    address = AddressFactory(user=buyer)
    client.force_login(buyer)
    add(client, shop_products[0], 10)
    review, key, total = go_to_review(
        client,
        shipping_method=freight,
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )
    assert 'name="accept_terms"' not in review.content.decode()
    assert place(client, key, total).status_code == 302
    assert Order.objects.get().terms_version is None


def test_the_order_admin_links_the_accepted_version(
    client, shop_products, standard_shipping, legal_pages
):
    terms, _withdrawal = legal_pages
    add(client, shop_products[0], 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    place_accepting(client, key, total, terms.version)
    order = Order.objects.get()
    manager = StaffUserFactory(email="manager@example.com")
    manager.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    client.force_login(manager)
    body = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    version = order.terms_version
    link = f"/admin/shop/pageversion/{version.pk}/change/"
    assert f'href="{link}"' in body and "Terms of sale, version 1" in body
    kept = client.get(link)
    assert kept.status_code == 200 and "These terms apply to every order." in kept.content.decode()
