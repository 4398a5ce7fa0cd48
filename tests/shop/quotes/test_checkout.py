"""An accepted quote through checkout: the order is placed at the quoted prices, its lines name
the quote; used, expired and too-small quantities fall back to the usual prices, told."""

from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from shop.cart.models import Cart, CartLine
from shop.models import Order
from shop.quotes import services
from tests.factories import CompanyMemberFactory, UserFactory
from tests.shop.conftest import go_to_review, place

from .conftest import offer, request_quote

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def review(client, user, freight):
    address = user.addresses.first()
    return go_to_review(
        client,
        shipping_method=freight,
        details={"billing_choice": str(address.pk), "shipping_choice": "same"},
    )


@pytest.fixture
def accepted(shop_products, trade_buyer, staff):
    """The trade buyer accepted an offer of 10 pans at 7.00 (usual price 10.00)."""
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff, {pan: "7.00"})
    client = client_for(trade_buyer)
    response = client.post(f"/portal/quotes/{quote.number}/accept/")
    assert response.status_code == 302 and response.url == "/checkout/"
    quote.refresh_from_db()
    return quote, client


def test_order_is_placed_at_the_quoted_price_and_its_line_names_the_quote(
    accepted, trade_buyer, freight
):
    quote, client = accepted
    page, key, total = review(client, trade_buyer, freight)
    assert f"quote {quote.number}" in page.content.decode()
    assert total == "108.00"  # 10 x 7.00 + 20.00 freight, 20 % VAT
    response = place(client, key, total)
    assert response.status_code == 302 and response.url.startswith("/accounts/orders/")
    [line] = Order.objects.get(user=trade_buyer).lines.all()
    assert (line.unit_price, line.quote) == (Decimal("7.00"), quote)
    assert any(quote.number in step and "7.00" in step for step in line.explanation)
    assert line.reasons[2]["code"] == "quoted"
    quote.refresh_from_db()
    assert quote.times_used == 1
    assert quote.events.filter(kind="used", actor=trade_buyer).count() == 1
    assert Cart.objects.get(user=trade_buyer).quote is None


def test_once_only_quote_cannot_be_used_again(accepted, trade_buyer, freight):
    quote, client = accepted
    place(client, *review(client, trade_buyer, freight)[1:])
    response = client.post(f"/portal/quotes/{quote.number}/to-cart/", follow=True)
    assert "already used" in response.content.decode()
    assert not CartLine.objects.filter(cart__user=trade_buyer).exists()


def test_quote_usable_more_than_once_prices_two_orders(shop_products, trade_buyer, staff, freight):
    pan, _pot = shop_products
    quote = request_quote(trade_buyer, {pan: 10})
    offer(quote, staff, {pan: "7.00"}, usable_once=False)
    client = client_for(trade_buyer)
    client.post(f"/portal/quotes/{quote.number}/accept/")
    place(client, *review(client, trade_buyer, freight)[1:])
    client.post(f"/portal/quotes/{quote.number}/to-cart/")
    _page, key, total = review(client, trade_buyer, freight)
    assert total == "108.00"
    place(client, key, total)
    prices = Order.objects.filter(user=trade_buyer).values_list("lines__unit_price", flat=True)
    assert list(prices) == [Decimal("7.00"), Decimal("7.00")]
    quote.refresh_from_db()
    assert quote.times_used == 2


def test_colleague_cart_with_a_used_quote_is_priced_normally_and_told(
    shop_products, staff, freight
):
    """Two colleagues put the same once-only quote in their carts: the second to order pays
    the usual price, and is told why before he confirms."""
    pan, _pot = shop_products
    member = CompanyMemberFactory()
    colleague = CompanyMemberFactory(company=member.company).user
    for user in (member.user, colleague):
        user.addresses.create(
            full_name="A Buyer", line1="1 rue X", postal_code="75001", city="Paris", country="FR"
        )
    assert member.company.group == freight.groups.get()  # the wholesale group
    quote = request_quote(member.user, {pan: 10})
    offer(quote, staff, {pan: "7.00"})
    first, second = client_for(member.user), client_for(colleague)
    first.post(f"/portal/quotes/{quote.number}/accept/")
    second.post(f"/portal/quotes/{quote.number}/to-cart/")
    _page, second_key, second_total = review(second, colleague, freight)
    place(first, *review(first, member.user, freight)[1:])

    response = second.post(
        "/checkout/place/",
        {"idempotency_key": second_key, "confirmed_total": second_total},
        follow=True,
    )
    told = [str(message) for message in response.context["messages"]]
    assert any("already used" in message and "144.00" in message for message in told)
    assert not Order.objects.filter(user=colleague).exists()
    page, key, total = review(second, colleague, freight)
    assert "already used" in page.content.decode()
    assert total == "144.00"  # 10 x 10.00 + 20.00, 20 % VAT
    assert place(second, key, total).status_code == 302
    assert Order.objects.get(user=colleague).lines.get().quote is None


def test_below_the_quoted_quantity_the_usual_price_applies(
    accepted, trade_buyer, freight, shop_products
):
    quote, client = accepted
    pan, _pot = shop_products
    client.post("/cart/update/", {"product": pan.pk, "quantity": 9})
    _page, key, total = review(client, trade_buyer, freight)
    assert total == "132.00"  # 9 x 10.00 + 20.00, 20 % VAT
    place(client, key, total)
    [line] = Order.objects.get(user=trade_buyer).lines.all()
    assert line.unit_price == Decimal("10.00") and line.quote is None
    quote.refresh_from_db()
    assert quote.times_used == 0


def test_expired_quote_is_refused_and_the_cart_priced_as_usual(accepted, trade_buyer):
    quote, client = accepted
    later = timezone.now() + timezone.timedelta(days=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get("/cart/")
    body = response.content.decode()
    assert f"Quote {quote.number} expired on" in body
    assert response.context["page"].quote.subtotal == Decimal("100.00")


def test_another_buyers_cart_carrying_the_quote_gets_no_quoted_price(
    accepted, shop_products, wholesale
):
    """A cart pointing to someone else's quote (never made by the services) is priced as
    usual: the placement checks whose quote it is."""
    quote, _client = accepted
    pan, _pot = shop_products
    other = UserFactory(group=wholesale)
    cart = Cart.objects.create(user=other, quote=quote)
    CartLine.objects.create(cart=cart, product=pan, quantity=10)
    response = client_for(other).get("/cart/")
    assert "is not yours" in response.content.decode()
    assert response.context["page"].quote.subtotal == Decimal("100.00")
    assert services.quote_for_order(quote_id=quote.pk, customer=other)[1] == {}
