"""What a browser posts is never trusted: extra price, discount and group fields are ignored, a
rule broken by a direct POST is refused on every path into the cart and the order, other
people's objects are 404 on every URL that takes an id, non-ASCII and NUL values in any path
or query parameter are answered without a server error, and no view accepts a POST without a
CSRF token. The URL checks walk the URLconf, so a new view is covered as soon as it exists."""

import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shop.models import Address, Cart, CartLine, Order
from tests.factories import (
    AddressFactory,
    CartDiscountFactory,
    CheckoutPolicyFactory,
    CustomerGroupFactory,
    OrderFactory,
    OrderLineFactory,
    QuantityRuleFactory,
    ShippingMethodFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import ADDRESS, add, address_fields, go_to_review, messages_of, place

pytestmark = pytest.mark.django_db

FORGED = {
    "price": "0.01",
    "unit_price": "0.01",
    "base_price": "0.01",
    "total": "0.01",
    "subtotal": "0.01",
    "discount": "100",
    "discount_amount": "999",
    "cart_discount": "1",
    "group": "",
    "group_id": "",
    "customer_group": "",
    "prices_include_tax": "false",
    "tax_rate": "0",
    "shipping_price": "0",
    "shipping_net": "0",
    "payment_terms_days": "365",
}


def cart_of(client) -> dict[str, int]:
    page = client.get("/cart/").context["page"]
    return {row.line.product.sku: row.line.quantity for row in page.rows}


# --- posted prices, discounts and groups ---------------------------------------------------------


def test_forged_price_discount_and_group_fields_are_ignored_through_checkout(
    client, shop_products, standard_shipping
):
    pan, pot = shop_products
    vip = CustomerGroupFactory(slug="vip", prices_include_tax=False)
    forged = dict(FORGED, group=vip.pk, group_id=vip.pk, customer_group=vip.pk)
    add(client, pan, 2, **forged)
    add(client, pot, 1, **forged)
    client.post("/cart/update/", {"product": pan.pk, "quantity": 3, **forged})
    review, key, total = go_to_review(
        client,
        shipping_method=standard_shipping,
        details={
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields("billing", ADDRESS),
            **forged,
        },
    )
    # 3 x 10.00 + 25.00 + 5.00 shipping = 60.00 net, 72.00 with 20% tax
    assert total == "72.00"
    response = client.post(
        "/checkout/place/",
        {"idempotency_key": key, "confirmed_total": total, **forged, "email": "x@evil.example"},
    )
    assert response.url.startswith("/orders/")
    order = Order.objects.get()
    assert (order.total, order.net_total, order.discount_amount) == (
        Decimal("72.00"),
        Decimal("60.00"),
        Decimal("0.00"),
    )
    assert order.group_name == "Retail" and order.prices_include_tax
    assert order.email == "guest@example.com" and order.payment_terms_days == 0
    assert sorted((line.sku, line.unit_price) for line in order.lines.all()) == [
        ("PAN-1", Decimal("10.00")),
        ("POT-2", Decimal("25.00")),
    ]


def test_a_forged_total_cannot_claim_a_discount_the_cart_does_not_reach(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    CartDiscountFactory(min_subtotal=Decimal("100.00"), kind="percent", value=Decimal("50"))
    add(client, pan, 1)
    _review, key, _total = go_to_review(client, shipping_method=standard_shipping)
    half = "9.00"  # what the order would cost with the 50% discount
    response = place(client, key, half)
    assert response.url == "/checkout/review/"
    assert not Order.objects.exists()


def test_a_shipping_method_of_another_group_cannot_be_posted(client, shop_products):
    pan, _pot = shop_products
    ShippingMethodFactory(name="Standard")
    freight = ShippingMethodFactory(
        name="Freight", price=Decimal("0.00"), groups=[WholesaleGroupFactory()]
    )
    add(client, pan, 1)
    client.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields("billing", ADDRESS),
        },
    )
    for shipping, payment in [
        (freight.pk, "bank_transfer"),
        ("abc", "bank_transfer"),
        (10**20, "bank_transfer"),
    ]:
        response = client.post(
            "/checkout/delivery/", {"shipping_method": shipping, "payment_method": payment}
        )
        assert response.status_code == 200  # answered by the form, nothing saved
    assert client.get("/checkout/review/").url == "/checkout/delivery/"


def test_a_guest_cannot_post_pay_on_account(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    CheckoutPolicyFactory(pay_on_account=True)
    add(client, pan, 1)
    go_to_review(client, shipping_method=standard_shipping)
    response = client.post(
        "/checkout/delivery/",
        {"shipping_method": standard_shipping.pk, "payment_method": "on_account"},
    )
    assert response.status_code == 200
    assert client.session["checkout"]["payment_method"] == "bank_transfer"


# --- a rule broken by a direct POST ------------------------------------------------------------


@pytest.fixture
def packs_of_five(shop_products):
    """Pans sell in packs of 5 for everyone: 3 breaks the rule."""
    pan, _pot = shop_products
    QuantityRuleFactory(product=pan, min_quantity=5, step=5)
    return pan


def test_a_broken_rule_is_refused_at_add_and_update(client, packs_of_five):
    pan = packs_of_five
    response = add(client, pan, 3)
    assert any("packs of 5" in m for m in messages_of(client.get(response.url)))
    assert cart_of(client) == {}
    add(client, pan, 5)
    client.post("/cart/update/", {"product": pan.pk, "quantity": 7})
    assert cart_of(client) == {"PAN-1": 5}


def test_a_broken_rule_is_refused_at_quick_order_and_reorder(client, packs_of_five):
    pan = packs_of_five
    buyer = UserFactory(group=WholesaleGroupFactory())
    client.force_login(buyer)
    response = client.post("/portal/quick-order/", {"lines": "PAN-1 3"})
    assert response.status_code == 200
    assert "packs of 5" in response.content.decode()
    order = OrderFactory(user=buyer)
    OrderLineFactory(order=order, product=pan, quantity=3)
    response = client.post(f"/accounts/orders/{order.number}/reorder/", follow=True)
    assert any("packs of 5" in m for m in messages_of(response))
    assert cart_of(client) == {}


def test_a_broken_rule_is_refused_at_the_merge(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory()
    QuantityRuleFactory(group=wholesale, product=pan, min_quantity=6, step=6)
    add(client, pan, 3)  # fine for a guest, not for the wholesale account
    buyer = UserFactory(group=wholesale)
    from tests.factories import DEFAULT_PASSWORD

    client.post("/accounts/login/", {"username": buyer.email, "password": DEFAULT_PASSWORD})
    response = client.get("/cart/")
    assert any("packs of 6" in m for m in messages_of(response))
    assert cart_of(client) == {}


def test_a_broken_rule_is_refused_at_checkout_and_place(client, shop_products, standard_shipping):
    """A cart line that breaks a rule (written behind the forms' back) stops every step."""
    pan, _pot = shop_products
    add(client, pan, 3)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    QuantityRuleFactory(product=pan, min_quantity=5, step=5)
    for url in ["/checkout/", "/checkout/delivery/", "/checkout/review/"]:
        assert client.get(url).url == "/cart/"
    assert client.post("/checkout/delivery/", {"shipping_method": standard_shipping.pk}).url == (
        "/cart/"
    )
    response = place(client, key, total)
    assert response.url == "/cart/"
    assert any("packs of 5" in m for m in messages_of(client.get("/cart/")))
    assert not Order.objects.exists()


def test_the_minimum_order_value_cannot_be_skipped_by_a_direct_post(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory(min_order_subtotal=Decimal("500.00"))
    CheckoutPolicyFactory(group=wholesale)
    freight = ShippingMethodFactory(groups=[wholesale])
    buyer = UserFactory(group=wholesale)
    address = AddressFactory(user=buyer)
    client.force_login(buyer)
    add(client, pan, 60)
    _review, key, total = go_to_review(
        client,
        shipping_method=freight,
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )
    client.post("/cart/update/", {"product": pan.pk, "quantity": 2})  # now 20.00 net
    assert client.get("/checkout/review/").url == "/cart/"
    assert place(client, key, total).url in ("/cart/", "/checkout/review/")
    assert place(client, key, "24.00").url in ("/cart/", "/checkout/review/")
    assert not Order.objects.exists()


# --- the URLconf: ids and CSRF -----------------------------------------------------------------

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
SKIPPED = {"admin", "password_reset_confirm"}  # Django's own views, tested by Django


def site_urls(resolver=None, prefix="", namespace="", skipped=SKIPPED):
    """(route with <name> placeholders, namespaced url name) of every view outside the admin
    and the `skipped` url names."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or route.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from site_urls(entry, route, inner, skipped)
        elif isinstance(entry, URLPattern) and entry.name not in skipped:
            yield route, namespace + entry.name


def fill(route: str, values: dict) -> str:
    return "/" + CONVERTER.sub(lambda m: str(values[m.group(1)]), route.lstrip("^").rstrip("$"))


@pytest.fixture
def alice_and_bob(shop_products):
    pan, _pot = shop_products
    alice, bob = UserFactory(email="alice@example.com"), UserFactory(email="bob@example.com")
    orders = {}
    for user in (alice, bob):
        orders[user.email] = OrderFactory(user=user)
        OrderLineFactory(order=orders[user.email], product=pan, quantity=1)
        AddressFactory(user=user)
    guest_order = OrderFactory()
    return alice, bob, orders, guest_order


def test_other_peoples_objects_are_404_on_every_url_that_takes_an_id(client, alice_and_bob):
    alice, bob, orders, guest_order = alice_and_bob
    client.force_login(alice)
    bobs_order = orders[bob.email]
    bobs_address = Address.objects.get(user=bob)
    tested = set()
    for route, name in site_urls():
        params = set(CONVERTER.findall(route))
        if not params & {"number", "pk", "token"}:
            continue
        attempts = [
            # Bob's objects.
            {"number": bobs_order.number, "pk": bobs_address.pk, "token": bobs_order.access_token},
            # A guest's order with a wrong or another order's secret.
            {"number": guest_order.number, "pk": 10**9, "token": "x" * 43},
            {"number": guest_order.number, "pk": 0, "token": orders[alice.email].access_token},
            # Nobody's.
            {"number": "CPT-NOPE0000", "pk": 999_999, "token": "nope"},
        ]
        for attempt in attempts:
            attempt["credit_number"] = "CN-2026-000001"  # a credit note's number
        if "token" not in params:
            attempts = attempts[:1] + attempts[3:]
        for values in attempts:
            url = fill(route, values)
            assert client.get(url).status_code in (404, 405), url  # 405: POST-only view
            assert client.post(url, ADDRESS).status_code == 404, url
        tested.add(name)
    assert tested >= {
        "orders:detail",
        "orders:invoice",
        "orders:reorder",
        "addresses:edit",
        "addresses:delete",
        "orders:guest",
        "orders:guest_invoice",
    }
    assert Address.objects.filter(user=bob).exists() and Order.objects.count() == 3
    assert not CartLine.objects.filter(cart__user=alice).exists()


def test_no_view_accepts_a_post_without_a_csrf_token(alice_and_bob, shop_products):
    alice, _bob, orders, guest_order = alice_and_bob
    pan, _pot = shop_products
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    own = orders[alice.email]
    values = {
        "number": own.number,
        "token": own.access_token,
        "pk": Address.objects.get(user=alice).pk,
        "slug": pan.slug,
        "credit_number": "CN-2026-000001",
        "variant": "card",
    }
    before = (Order.objects.count(), Address.objects.count(), CartLine.objects.count())
    # The card provider's callbacks are server-to-server posts, exempt from CSRF: they name
    # a payment by its secret token, or carry the provider's signature.
    routes = list(site_urls(skipped={*SKIPPED, "process_payment", "static_process_payment"}))
    refused = set()
    for route, name in routes:
        url = fill(route, values)
        body = {**ADDRESS, "product": pan.pk, "quantity": 1, "lines": "PAN-1 1"}
        response = client.post(url, body)
        assert response.status_code == 403, url
        refused.add(name)
    assert {"cart:add", "cart:update", "cart:remove", "checkout:place", "orders:reorder"} <= refused
    assert {"addresses:create", "addresses:delete", "cart:quick_order", "logout"} <= refused
    assert "signup" in refused
    assert (Order.objects.count(), Address.objects.count(), CartLine.objects.count()) == before
    assert Cart.objects.filter(user=alice, lines__isnull=False).count() == 0
    assert guest_order.number not in {o.number for o in Order.objects.filter(user=alice)}


def test_the_order_admin_refuses_a_post_without_a_csrf_token(alice_and_bob):
    from django.contrib.auth.models import Group

    from customers.permissions import SHOP_MANAGERS
    from tests.factories import StaffUserFactory

    _alice, _bob, orders, _guest = alice_and_bob
    manager = StaffUserFactory()
    manager.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    order = next(iter(orders.values()))
    assert (
        client.post(f"/admin/shop/order/{order.pk}/change/", {"status": "cancelled"}).status_code
        == 403
    )
    response = client.post(
        "/admin/shop/order/", {"action": "cancel", "_selected_action": [order.pk]}
    )
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == "placed" and not order.stock_returned


# --- the URLconf: non-ASCII and NUL in every path and query parameter --------------------------

BAD_VALUES = ["é", "😀", "\x00"]
BAD_QUERY_VALUES = [*BAD_VALUES, "-" * 33]  # and a NOT per dash for the full-text parser
QUERY_PARAMETERS = {"q": "pan", "page": "2", "sort": "name"}  # what the views read from GET


def bad_input_urls(route: str, values: dict) -> list[str]:
    """The route with each path parameter in turn replaced by, or followed by, each bad value,
    then with every query parameter the views read set the same ways."""
    quoted = {name: quote(str(value), safe="") for name, value in values.items()}
    urls = []
    for name in CONVERTER.findall(route):
        for bad in BAD_VALUES:
            for value in (bad, f"{values[name]}{bad}"):
                urls.append(fill(route, {**quoted, name: quote(value, safe="")}))
    base = fill(route, quoted)
    for bad in BAD_QUERY_VALUES:
        urls.append(base + "?" + urlencode(dict.fromkeys(QUERY_PARAMETERS, bad)))
        urls.append(base + "?" + urlencode({k: v + bad for k, v in QUERY_PARAMETERS.items()}))
    return urls


def test_non_ascii_and_nul_input_is_never_a_server_error(shop_products, alice_and_bob):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    pan, _pot = shop_products
    alice, _bob, orders, guest_order = alice_and_bob
    alice.group = WholesaleGroupFactory()  # the trade portal's pages too
    alice.save()
    customer = Client()
    customer.force_login(alice)
    own = orders[alice.email]
    address = Address.objects.get(user=alice).pk  # before a tampered route may delete it
    checked = set()
    for route, name in site_urls(skipped={"logout"}):
        params = set(CONVERTER.findall(route))
        values = {
            "number": guest_order.number if "token" in params else own.number,
            "token": guest_order.access_token,
            "pk": address,
            "slug": pan.category.slug if name == "catalog:category" else pan.slug,
            "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
            "credit_number": "CN-2026-000001",
            "variant": "card",
        }
        if name == "password_reset_confirm":
            values["token"] = "set-password"
        for url in bad_input_urls(route, values):
            for client in (Client(), customer):
                assert client.get(url).status_code < 500, url
                if params:
                    assert client.post(url).status_code < 500, url
        checked.add(name)
    assert {
        "orders:detail",
        "orders:invoice",
        "orders:reorder",
        "orders:guest",
        "orders:guest_invoice",
        "invoices:invoice",
        "invoices:guest_credit_note",
        "orders:list",
        "catalog:search",
        "catalog:category",
        "catalog:product",
        "addresses:edit",
        "password_reset_confirm",
    } <= checked
    assert Order.objects.count() == 3
