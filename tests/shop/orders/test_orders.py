"""The buyer's orders, invoices, guest links, reorder and address book: others' are 404."""

from decimal import Decimal

import pytest
from django.test import Client

from shop.models import Address, Order
from tests.factories import AddressFactory, QuantityRuleFactory, UserFactory
from tests.shop.conftest import ADDRESS, add, go_to_review, place

pytestmark = pytest.mark.django_db


def buy(client, product, quantity, shipping_method) -> Order:
    add(client, product, quantity)
    _review, key, total = go_to_review(client, shipping_method=shipping_method)
    place(client, key, total)
    return Order.objects.order_by("-id").first()


@pytest.fixture
def two_buyers(shop_products, standard_shipping):
    pan, _pot = shop_products
    alice, bob = UserFactory(), UserFactory()
    alice_client, bob_client = Client(), Client()
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    alice_order = buy(alice_client, pan, 2, standard_shipping)
    bob_order = buy(bob_client, pan, 1, standard_shipping)
    return alice_client, alice_order, bob_client, bob_order


def test_the_buyer_sees_their_orders_and_invoices(two_buyers):
    alice_client, alice_order, _bob_client, bob_order = two_buyers
    listing = alice_client.get("/accounts/orders/").content.decode()
    assert alice_order.number in listing and bob_order.number not in listing
    detail = alice_client.get(f"/accounts/orders/{alice_order.number}/")
    assert detail.status_code == 200 and "Awaiting payment" in detail.content.decode()
    invoice = alice_client.get(f"/accounts/orders/{alice_order.number}/invoice/")
    body = invoice.content.decode()
    # Unpaid by bank transfer: no invoice number yet, a pro forma (the invoice comes with
    # the payment, tests/shop/invoices).
    assert (
        invoice.status_code == 200 and f"Pro forma invoice for order {alice_order.number}" in body
    )
    assert "<script" not in body and "style=" not in body


def test_other_peoples_orders_and_invoices_are_404(two_buyers):
    alice_client, alice_order, bob_client, bob_order = two_buyers
    for url in [
        f"/accounts/orders/{bob_order.number}/",
        f"/accounts/orders/{bob_order.number}/invoice/",
        "/accounts/orders/CPT-NOPE0000/",
    ]:
        assert alice_client.get(url).status_code == 404
    assert alice_client.post(f"/accounts/orders/{bob_order.number}/reorder/").status_code == 404


def test_guests_must_log_in_for_account_orders(client, two_buyers):
    _alice_client, alice_order, _bob_client, _bob_order = two_buyers
    response = client.get(f"/accounts/orders/{alice_order.number}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_guest_orders_need_the_secret_link(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order = buy(client, pan, 1, standard_shipping)
    assert order.user is None
    good = f"/orders/{order.number}/{order.access_token}/"
    assert client.get(good).status_code == 200
    assert Client().get(good).status_code == 200  # the link works on any device
    assert Client().get(good + "invoice/").status_code == 200
    for bad in [f"/orders/{order.number}/wrong/", f"/orders/{order.number}/{'x' * 43}/"]:
        assert Client().get(bad).status_code == 404
    assert len(order.access_token) >= 40


def test_reorder_uses_the_quick_order_checks(two_buyers, shop_products):
    alice_client, alice_order, _bob_client, _bob_order = two_buyers
    pan, _pot = shop_products
    response = alice_client.post(f"/accounts/orders/{alice_order.number}/reorder/")
    assert response.url == "/cart/"
    cart = alice_client.get("/cart/")
    assert [(r.line.product.sku, r.line.quantity) for r in cart.context["page"].rows] == [
        ("PAN-1", 2)
    ]
    # A rule that the old quantity breaks: refused with its reason, cart unchanged.
    QuantityRuleFactory(product=pan, min_quantity=5, step=5)
    alice_client.post("/cart/remove/", {"product": pan.pk})
    response = alice_client.post(f"/accounts/orders/{alice_order.number}/reorder/", follow=True)
    assert response.context["page"].is_empty
    assert any("packs of 5" in str(m) for m in response.context["messages"])


def test_orders_are_never_changed_by_later_price_changes(two_buyers, shop_products):
    alice_client, alice_order, _bob_client, _bob_order = two_buyers
    pan, _pot = shop_products
    pan.base_price = Decimal("99.00")
    pan.save()
    alice_order.refresh_from_db()
    assert alice_order.lines.get().unit_price == Decimal("10.00")


def test_the_address_book_is_private(client, db):
    alice, bob = UserFactory(), UserFactory()
    bobs = AddressFactory(user=bob)
    client.force_login(alice)
    assert client.get(f"/accounts/addresses/{bobs.pk}/").status_code == 404
    assert client.post(f"/accounts/addresses/{bobs.pk}/", ADDRESS).status_code == 404
    assert client.post(f"/accounts/addresses/{bobs.pk}/delete/").status_code == 404
    assert Address.objects.filter(pk=bobs.pk).exists()
    assert bobs.line1 not in client.get("/accounts/addresses/").content.decode()


def test_address_book_add_edit_delete(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/accounts/addresses/new/", ADDRESS).url == "/accounts/addresses/"
    address = Address.objects.get(user=user)
    client.post(f"/accounts/addresses/{address.pk}/", dict(ADDRESS, city="Paris"))
    address.refresh_from_db()
    assert address.city == "Paris"
    response = client.post("/accounts/addresses/new/", dict(ADDRESS, country="XX"))
    assert response.status_code == 200 and Address.objects.filter(user=user).count() == 1
    client.post(f"/accounts/addresses/{address.pk}/delete/")
    assert not Address.objects.filter(user=user).exists()


def test_order_and_address_views_need_a_csrf_token(two_buyers):
    _alice_client, alice_order, _bob_client, _bob_order = two_buyers
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice_order.user)
    address = AddressFactory(user=alice_order.user)
    for url in [
        f"/accounts/orders/{alice_order.number}/reorder/",
        "/accounts/addresses/new/",
        f"/accounts/addresses/{address.pk}/",
        f"/accounts/addresses/{address.pk}/delete/",
    ]:
        assert client.post(url, ADDRESS).status_code == 403


def test_status_workflow_and_cancel_returns_stock_once(client, shop_products, standard_shipping):
    from core.errors import Refusal
    from shop.models import Product
    from shop.orders import services

    pan, _pot = shop_products
    order = buy(client, pan, 3, standard_shipping)
    assert Product.objects.get(pk=pan.pk).stock == 97
    with pytest.raises(Refusal):
        services.order_set_status(order=order, status="shipped")  # bank transfer: pay first
    with pytest.raises(Refusal):
        services.order_set_status(order=order, status="completed")
    services.order_set_status(order=order, status="cancelled")
    services.order_set_status(order=order, status="cancelled")
    with pytest.raises(Refusal):
        services.order_set_status(order=order, status="placed")
    with pytest.raises(Refusal):
        services.order_mark_paid(order=order)
    order.refresh_from_db()
    assert order.status == "cancelled" and order.stock_returned
    assert Product.objects.get(pk=pan.pk).stock == 100


def test_mark_paid_then_ship_and_complete(client, shop_products, standard_shipping):
    from core.errors import Refusal
    from shop.orders import services

    pan, _pot = shop_products
    order = buy(client, pan, 1, standard_shipping)
    order = services.order_mark_paid(order=order)
    assert order.status == "paid" and order.paid_at is not None
    order = services.order_set_status(order=order, status="shipped")
    order = services.order_set_status(order=order, status="completed")
    assert order.completed_at is not None
    with pytest.raises(Refusal):
        services.order_set_status(order=order, status="cancelled")


def test_unknown_statuses_are_refused(client, shop_products, standard_shipping):
    from core.errors import Refusal
    from shop.orders import services

    pan, _pot = shop_products
    order = buy(client, pan, 1, standard_shipping)
    with pytest.raises(Refusal):
        services.order_set_status(order=order, status="teleported")


def test_a_non_ascii_secret_is_404_like_any_wrong_secret(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order = buy(client, pan, 1, standard_shipping)
    for token in ["é", "%C3%A9", "😀", order.access_token[:-1] + "é", "%00"]:
        for suffix in ["", "invoice/"]:
            assert Client().get(f"/orders/{order.number}/{token}/{suffix}").status_code == 404


def test_a_malformed_order_number_is_404_on_every_order_page(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    guest_order = buy(client, pan, 1, standard_shipping)
    customer = UserFactory()
    customer_client = Client()
    customer_client.force_login(customer)
    own = buy(customer_client, pan, 1, standard_shipping)
    for number in ["%00", own.number + "%00", "CPT-%0000000000", "é", "😀", own.number.lower()]:
        for suffix in ["", "invoice/"]:
            url = f"/accounts/orders/{number}/{suffix}"
            assert customer_client.get(url).status_code == 404, url
            url = f"/orders/{number}/{guest_order.access_token}/{suffix}"
            assert Client().get(url).status_code == 404, url
        url = f"/accounts/orders/{number}/reorder/"
        assert customer_client.post(url).status_code == 404, url
    assert customer_client.get(f"/accounts/orders/{own.number}/").status_code == 200


def test_a_malformed_order_number_is_not_looked_up(db, django_assert_num_queries):
    from shop.orders import selectors

    customer = UserFactory()
    with django_assert_num_queries(0):
        for number in ["CPT-\x00", "CPT-ABCD123\x00", "CPT-ABCDEFGO", "X" * 10_000, "", "é"]:
            assert selectors.order_for_customer(user=customer, number=number) is None
            assert selectors.order_for_guest(number=number, token="x" * 43) is None
