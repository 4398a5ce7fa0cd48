"""Checkout: guest and B2B, shipping and payment per group, tax by destination, and
`order_place` re-checking everything on the server."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from pricing import explain
from shop.models import Address, Order, Product
from shop.orders import services as order_services
from shop.orders.services import snapshots
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    CustomerGroupFactory,
    OrderFactory,
    QuantityRuleFactory,
    ShippingMethodFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import ADDRESS, add, go_to_review, messages_of, place

pytestmark = pytest.mark.django_db


def test_a_guest_buys_two_products_end_to_end(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    pan, pot = shop_products
    add(client, pan, 2)
    add(client, pot, 1)
    review, key, total = go_to_review(client, shipping_method=standard_shipping)
    body = review.content.decode()
    # 45.00 net goods + 5.00 shipping, 20% VAT on everything: 60.00.
    assert total == "60.00"
    assert "Place order and pay €60.00" in body and "Of which VAT" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = place(client, key, total)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/{order.access_token}/"
    confirmation = client.get(response.url)
    assert "Thank you for your order!" in confirmation.content.decode()
    assert order.total == Decimal("60.00") and order.tax_total == Decimal("10.00")
    assert order.user is None and order.email == "guest@example.com"
    assert order.payment_method == "bank_transfer" and order.status == "placed"
    assert {line.sku: line.quantity for line in order.lines.all()} == {"PAN-1": 2, "POT-2": 1}
    assert Product.objects.get(pk=pan.pk).stock == 98
    assert Product.objects.get(pk=pot.pk).stock == 99
    assert client.get("/cart/").context["page"].is_empty
    [email] = mail.outbox
    assert order.number in email.subject
    assert f"/orders/{order.number}/{order.access_token}/" in email.body


def test_a_double_submit_gives_one_order_one_decrement_one_email(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    pan, _pot = shop_products
    add(client, pan, 3)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with django_capture_on_commit_callbacks(execute=True):
        first = place(client, key, total)
        second = place(client, key, total)
    assert first.url == second.url
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=pan.pk).stock == 97
    assert len(mail.outbox) == 1


def test_a_replayed_key_from_another_buyer_gets_nothing(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    add(client, pan, 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    place(client, key, total)
    intruder = Client()
    intruder.force_login(UserFactory())
    response = place(intruder, key, total)
    assert response.status_code == 302 and "/orders/" not in response.url


def test_a_price_change_after_review_is_refused_with_the_new_total(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    add(client, pan, 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    Product.objects.filter(pk=pan.pk).update(base_price=Decimal("20.00"))
    response = place(client, key, total)
    assert response.url == "/checkout/review/"
    follow = client.get(response.url)
    assert any("changed since you reviewed" in m and "€30.00" in m for m in messages_of(follow))
    assert not Order.objects.exists()
    assert Product.objects.get(pk=pan.pk).stock == 100


@pytest.mark.parametrize("posted_total", ["0.01", "abc", "", "1e9", "NaN"])
def test_a_tampered_total_is_refused(client, shop_products, standard_shipping, posted_total):
    pan, _pot = shop_products
    add(client, pan, 1)
    _review, key, _total = go_to_review(client, shipping_method=standard_shipping)
    response = place(client, key, posted_total)
    assert response.status_code == 302
    assert not Order.objects.exists()


def test_stock_sold_out_after_review_is_refused(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    add(client, pan, 5)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    Product.objects.filter(pk=pan.pk).update(stock=2)
    response = place(client, key, total)
    assert response.url == "/cart/"
    assert any("Only 2" in m for m in messages_of(client.get("/cart/")))
    assert not Order.objects.exists()


def test_a_rule_added_after_review_is_enforced_at_place(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    add(client, pan, 5)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    QuantityRuleFactory(product=pan, min_quantity=4, step=4)
    assert place(client, key, total).url == "/cart/"
    assert not Order.objects.exists()


def test_guest_checkout_can_be_switched_off_for_the_default_group(client, shop_products):
    pan, _pot = shop_products
    CheckoutPolicyFactory(guest_checkout=False)
    add(client, pan, 1)
    response = client.get("/checkout/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_guest_checkout_switched_off_meanwhile_applies_on_the_next_step(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    policy = CheckoutPolicyFactory(guest_checkout=True)
    add(client, pan, 1)
    assert client.get("/checkout/").status_code == 200
    policy.guest_checkout = False
    policy.save()
    response = client.get("/checkout/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_payment_method_withdrawn_meanwhile_is_gone_on_the_next_step(
    client, shop_products, trade
):
    pan, _pot = shop_products
    wholesale, freight, buyer, address = trade
    client.force_login(buyer)
    add(client, pan, 1)
    client.post("/checkout/", trade_details(address))
    options = client.get("/checkout/delivery/").context["payment_options"]
    assert "on_account" in [option.code for option in options]
    wholesale.checkout_policy.pay_on_account = False
    wholesale.checkout_policy.save()
    options = client.get("/checkout/delivery/").context["payment_options"]
    assert "on_account" not in [option.code for option in options]
    response = client.post(
        "/checkout/delivery/", {"shipping_method": freight.pk, "payment_method": "on_account"}
    )
    assert response.status_code == 200  # refused by the form


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, tax_rates):
    assert client.get("/checkout/").url == "/cart/"
    assert client.get("/checkout/review/").url == "/cart/"


def test_details_errors_keep_what_was_typed(client, shop_products):
    pan, _pot = shop_products
    add(client, pan, 1)
    response = client.post(
        "/checkout/",
        {
            "email": "not-an-email",
            "billing_choice": "new",
            "shipping_choice": "same",
            "billing-full_name": "Alice",
            "billing-city": "Lyon",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="not-an-email"' in body and 'value="Alice"' in body


def test_only_available_shipping_methods_are_offered(client, shop_products):
    pan, _pot = shop_products
    wholesale = WholesaleGroupFactory()
    ShippingMethodFactory(name="Standard", price=Decimal("5.00"), free_above=Decimal("50.00"))
    ShippingMethodFactory(name="Freight", groups=[wholesale])
    ShippingMethodFactory(name="Belgium only", countries="BE")
    ShippingMethodFactory(name="Big orders", min_subtotal=Decimal("500.00"))
    ShippingMethodFactory(name="Retired", is_active=False)
    add(client, pan, 1)
    client.post(
        "/checkout/",
        {
            "email": "a@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **{f"billing-{k}": v for k, v in ADDRESS.items()},
        },
    )
    options = client.get("/checkout/delivery/").context["shipping_options"]
    assert [option.method.name for option in options] == ["Standard"]
    assert not options[0].is_free and options[0].display == Decimal("6.00")

    client.post("/cart/update/", {"product": pan.pk, "quantity": "5"})  # 60.00 incl. VAT
    options = client.get("/checkout/delivery/").context["shipping_options"]
    assert options[0].is_free and options[0].display == Decimal("0.00")

    freight = ShippingMethodFactory(name="Forged")
    freight.groups.set([wholesale])
    response = client.post(
        "/checkout/delivery/", {"shipping_method": freight.pk, "payment_method": "bank_transfer"}
    )
    assert response.status_code == 200  # not offered: the form refuses it


def test_tax_follows_the_shipping_country(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    add(client, pan, 1)
    germany = dict(ADDRESS, country="DE", city="Berlin", postal_code="10115")
    _review, key, total = go_to_review(
        client, shipping_method=standard_shipping, billing=ADDRESS, shipping=germany
    )
    assert total == "17.85"  # (10.00 + 5.00) x 1.19
    place(client, key, total)
    order = Order.objects.get()
    assert order.country == "DE" and order.lines.get().tax_rate == Decimal("0.1900")
    assert order.billing_address["country"] == "FR"


@pytest.fixture
def trade(shop_products):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    buyer = UserFactory(group=wholesale, email="buyer@trade.example")
    buyer.profile.payment_terms_days = 30
    buyer.profile.credit_limit = Decimal("500.00")
    buyer.profile.company_name = "Atelier Martin"
    buyer.profile.save()
    address = AddressFactory(user=buyer, company="Atelier Martin")
    return wholesale, freight, buyer, address


def trade_details(address):
    return {"billing_choice": str(address.pk), "shipping_choice": "same"}


def test_b2b_pays_on_account_within_credit(client, shop_products, trade):
    pan, _pot = shop_products
    _wholesale, freight, buyer, address = trade
    client.force_login(buyer)
    add(client, pan, 10)  # 100.00 net + 20.00 freight = 120.00 net, 144.00 gross
    client.post("/checkout/", trade_details(address))
    delivery = client.get("/checkout/delivery/")
    body = delivery.content.decode()
    assert "Available credit" in body and "€500.00" in body
    review, key, total = go_to_review(
        client, shipping_method=freight, payment="on_account", details=trade_details(address)
    )
    assert "Net total" in review.content.decode() and total == "144.00"
    place(client, key, total)
    order = Order.objects.get()
    assert order.payment_method == "on_account" and order.payment_terms_days == 30
    assert order.payment_due is not None and order.company_name == "Atelier Martin"
    assert order.shipping_address == address.as_snapshot()
    confirmation = client.get(f"/accounts/orders/{order.number}/").content.decode()
    assert re.search(r'class="credit-used">€144.00<', confirmation)
    assert re.search(r'class="credit-available">€356.00<', confirmation)

    add(client, pan, 30)  # 300 + 20 = 320 net, 384 gross: more than the 356.00 left
    client.post("/checkout/", trade_details(address))
    delivery = client.get("/checkout/delivery/")
    credit = delivery.context["credit"]
    assert credit.used == Decimal("144.00") and credit.available == Decimal("356.00")
    [_card, bank, on_account] = delivery.context["payment_options"]
    assert bank.available and not on_account.available
    assert "Not enough available credit" in on_account.reason
    response = client.post(
        "/checkout/delivery/", {"shipping_method": freight.pk, "payment_method": "on_account"}
    )
    assert response.status_code == 200  # refused by the form


def test_on_account_is_refused_at_place_when_credit_runs_out(client, shop_products, trade):
    pan, _pot = shop_products
    _wholesale, freight, buyer, address = trade
    client.force_login(buyer)
    add(client, pan, 10)
    _review, key, total = go_to_review(
        client, shipping_method=freight, payment="on_account", details=trade_details(address)
    )
    buyer.profile.credit_limit = Decimal("100.00")
    buyer.profile.save()
    assert place(client, key, total).url == "/cart/"
    assert not Order.objects.exists()


def test_on_account_needs_payment_terms(client, shop_products, trade):
    pan, _pot = shop_products
    _wholesale, freight, buyer, address = trade
    buyer.profile.payment_terms_days = 0
    buyer.profile.save()
    client.force_login(buyer)
    add(client, pan, 10)
    client.post("/checkout/", trade_details(address))
    options = client.get("/checkout/delivery/").context["payment_options"]
    assert [(o.code, o.available) for o in options] == [
        ("card", True),
        ("bank_transfer", True),
        ("on_account", False),
    ]


def test_retail_customers_are_never_offered_pay_on_account(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    user = UserFactory()
    user.profile.payment_terms_days = 30
    user.profile.credit_limit = Decimal("1000")
    user.profile.save()
    client.force_login(user)
    add(client, pan, 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    options = client.get("/checkout/delivery/").context["payment_options"]
    assert [o.code for o in options] == ["card", "bank_transfer"]


def test_customers_save_new_addresses_to_their_book(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    user = UserFactory()
    client.force_login(user)
    add(client, pan, 1)
    details = {
        "billing_choice": "new",
        "shipping_choice": "same",
        "save_new": "on",
        **{f"billing-{k}": v for k, v in ADDRESS.items()},
    }
    _review, key, total = go_to_review(client, shipping_method=standard_shipping, details=details)
    assert Address.objects.get(user=user).city == "Lyon"
    place(client, key, total)
    assert Order.objects.get().email == user.email


def test_someone_elses_saved_address_cannot_be_used(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    stranger = AddressFactory()
    client.force_login(UserFactory())
    add(client, pan, 1)
    response = client.post(
        "/checkout/", {"billing_choice": str(stranger.pk), "shipping_choice": "same"}
    )
    assert response.status_code == 200 and "shipping" not in client.session.get("checkout", {})


def test_lines_snapshot_the_winning_rule_and_survive_deletions(
    client, shop_products, standard_shipping
):
    from tests.factories import PriceRuleFactory

    pan, _pot = shop_products
    rule = PriceRuleFactory(name="Pan promo", product=pan, kind="fixed_price", value=Decimal("8"))
    user = UserFactory()
    client.force_login(user)
    add(client, pan, 2)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    place(client, key, total)
    order = Order.objects.get()
    line = order.lines.get()
    assert line.unit_price == Decimal("8.00") and line.base_unit_price == Decimal("10.00")
    assert line.price_rule_id == rule.pk and line.price_rule_name == "Pan promo"
    assert any("Pan promo" in text for text in line.explanation)
    # the structured form is kept too, and renders to the same text again
    assert line.reasons[0] == {"code": "strategy", "values": {"strategy": "lowest"}}
    assert explain.render(explain.from_json(line.reasons)) == line.explanation
    assert order.group_name == "Retail" or order.group_name

    rule.delete()
    Product.objects.filter(pk=pan.pk).delete()
    standard_shipping.delete()
    user.delete()
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.user is None and line.product is None and order.shipping_method is None
    assert line.sku == "PAN-1" and line.unit_price == Decimal("8.00")
    assert order.total == Decimal(total)


def test_deleting_a_group_keeps_its_orders(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    group = CustomerGroupFactory(name="Friends")
    user = UserFactory(group=group)
    client.force_login(user)
    add(client, pan, 1)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    place(client, key, total)
    user.delete()
    group.delete()
    order = Order.objects.get()
    assert order.group is None and order.group_name == "Friends"


def test_order_numbers_are_random_and_readable(monkeypatch):
    numbers = {order_services.order_number_new() for _ in range(200)}
    assert len(numbers) == 200
    assert all(n.startswith("CPT-") and len(n) == 12 for n in numbers)
    assert not any(set(n[4:]) & set("ILOU") for n in numbers)


def test_an_order_whose_random_number_is_taken_gets_another(
    client, shop_products, standard_shipping, monkeypatch
):
    pan, _pot = shop_products
    taken = OrderFactory().number
    numbers = iter([taken, "CPT-23456789"])
    monkeypatch.setattr(snapshots, "order_number_new", lambda: next(numbers))
    add(client, pan, 2)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    response = place(client, key, total)
    order = Order.objects.get(idempotency_key=key)
    assert response.status_code == 302 and "/orders/" in response["Location"]
    assert order.number == "CPT-23456789"
    assert order.lines.get().quantity == 2
    assert Product.objects.get(pk=pan.pk).stock == pan.stock - 2


def test_checkout_views_need_a_csrf_token(shop_products, standard_shipping):
    pan, _pot = shop_products
    client = Client(enforce_csrf_checks=True)
    for url in ["/checkout/", "/checkout/delivery/", "/checkout/place/"]:
        assert client.post(url, {}).status_code == 403
