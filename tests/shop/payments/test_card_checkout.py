"""A buyer pays by card right after placing the order: the provider's page, then a clear
success or failure page. Guests reach their order by its secret, customers their own only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models import CardPayment, CheckoutPolicy, Order
from shop.orders import services as order_services
from tests.factories import (
    CardPaymentFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
    default_group,
)

from .conftest import CONFIRMED, REJECTED, card_order, failed_url, paid_url, pay_with, text

pytestmark = pytest.mark.django_db


def test_card_is_offered_to_guests_by_default(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order, pay_url = card_order(client, pan, standard_shipping)
    assert order.payment_method == "card"
    assert order.status == "placed" and order.paid_at is None
    assert pay_url == f"/checkout/pay/{order.number}/{order.access_token}/"


def test_a_group_without_card_is_not_offered_it(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    CheckoutPolicy.objects.create(group=default_group(), card=False)
    client.post("/cart/add/", {"product": pan.pk, "quantity": 1})
    client.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            "billing-full_name": "Alice Martin",
            "billing-line1": "3 rue des Lilas",
            "billing-postal_code": "69002",
            "billing-city": "Lyon",
            "billing-country": "FR",
        },
    )
    options = client.get("/checkout/delivery/").context["payment_options"]
    assert [option.code for option in options] == ["bank_transfer"]
    response = client.post(
        "/checkout/delivery/", {"shipping_method": standard_shipping.pk, "payment_method": "card"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_without_a_card_provider_card_is_not_offered(
    client, settings, shop_products, standard_shipping
):
    settings.PAYMENT_VARIANTS = {}
    pan, _pot = shop_products
    with pytest.raises(AssertionError):
        card_order(client, pan, standard_shipping)
    assert not Order.objects.exists()


def test_a_guest_pays_and_sees_the_order_paid(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    stock = pan.stock
    order, pay_url = card_order(client, pan, standard_shipping, quantity=2)
    page = client.get(pay_url)
    assert "Test payment provider" in text(page)
    assert f"Pay €{order.total}" in text(page)
    payment = CardPayment.objects.get(order=order)
    assert payment.total == order.total and payment.currency == "EUR"

    response = client.post(pay_url, CONFIRMED)
    assert response.status_code == 302 and response.url == paid_url(order)
    order.refresh_from_db()
    pan.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    assert pan.stock == stock - 2
    payment.refresh_from_db()
    assert payment.status == "confirmed" and payment.settled_at is not None

    success = client.get(response.url)
    assert "your payment went through" in text(success)
    assert order.number in text(success) and "Paid" in text(success)
    # Paying again is not offered: the pay page sends to the success page.
    assert client.get(pay_url).url == paid_url(order)


def test_a_refused_payment_shows_the_failure_and_keeps_the_order(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    order, pay_url = card_order(client, pan, standard_shipping)
    response = pay_with(client, pay_url, REJECTED)
    assert response.url == failed_url(order)
    order.refresh_from_db()
    assert order.status == "placed" and order.paid_at is None and not order.stock_returned
    failure = text(client.get(response.url))
    assert "Your payment did not go through" in failure
    assert "no money was taken" in failure
    assert "Try again" in failure and "Pay by bank transfer instead" in failure

    # Trying again starts a new payment, which can succeed.
    retry = client.post(pay_url, CONFIRMED)
    assert retry.url == paid_url(order)
    assert CardPayment.objects.filter(order=order).count() == 2
    order.refresh_from_db()
    assert order.paid_at is not None


def test_after_a_failure_the_guest_may_pay_by_bank_transfer(
    client, shop_products, standard_shipping
):
    pan, _pot = shop_products
    order, pay_url = card_order(client, pan, standard_shipping)
    pay_with(client, pay_url, REJECTED)
    response = client.post(f"/checkout/pay/{order.number}/{order.access_token}/bank-transfer/")
    assert response.url == f"/orders/{order.number}/{order.access_token}/"
    order.refresh_from_db()
    assert order.payment_method == "bank_transfer" and order.status == "placed"
    page = text(client.get(response.url))
    assert (
        "Please transfer" in page
        and f"order number {order.number} as the payment reference" in page
    )


def test_a_provider_error_is_a_message_not_a_500(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order, pay_url = card_order(client, pan, standard_shipping)
    client.get(pay_url)
    response = client.post(
        pay_url, {**REJECTED, "status": "waiting", "gateway_response": "failure"}
    )
    assert response.status_code == 200
    assert "could not process the payment" in text(response)
    order.refresh_from_db()
    assert order.paid_at is None


def test_a_bad_form_is_shown_again(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order, pay_url = card_order(client, pan, standard_shipping)
    response = client.post(pay_url, {"status": "nonsense"})
    assert response.status_code == 200 and response.context["form"].errors
    order.refresh_from_db()
    assert order.paid_at is None


def test_guests_need_the_orders_secret(client, shop_products, standard_shipping):
    pan, _pot = shop_products
    order, _pay_url = card_order(client, pan, standard_shipping)
    for url in (
        f"/checkout/pay/{order.number}/wrong-secret/",
        f"/checkout/pay/{order.number}/wrong-secret/paid/",
        f"/checkout/pay/{order.number}/wrong-secret/failed/",
        "/checkout/pay/NOT-A-NUMBER/x/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/checkout/pay/{order.number}/wrong/", CONFIRMED).status_code == 404


def test_customers_pay_their_own_orders_only(client):
    owner, other = UserFactory(), UserFactory()
    order = OrderFactory(user=owner, payment_method="card")
    url = f"/checkout/pay/{order.number}/"
    assert client.get(url).status_code == 302  # to log in
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, CONFIRMED).status_code == 404
    assert client.get(f"/checkout/pay/{order.number}/{order.access_token}/").status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    response = client.post(url, CONFIRMED)
    assert response.url == f"/checkout/pay/{order.number}/paid/"
    order.refresh_from_db()
    assert order.paid_at is not None


def test_a_cancelled_order_cannot_be_paid(client):
    order = OrderFactory(payment_method="card", status="cancelled")
    order.cancelled_at = order.placed_at
    order.save()
    response = client.get(f"/checkout/pay/{order.number}/{order.access_token}/")
    assert response.url == f"/orders/{order.number}/{order.access_token}/"
    assert not CardPayment.objects.exists()
    failure = text(client.get(failed_url(order)))
    assert "was cancelled" in failure


def _order_with_lines(count):
    order = OrderFactory(payment_method="card")
    for _index in range(count):
        OrderLineFactory(order=order)
    return order


@pytest.mark.parametrize("page", ["pay", "paid", "failed"])
def test_payment_pages_query_count_does_not_grow_with_the_order(client, page):
    counts = []
    for size in (1, 6):
        order = _order_with_lines(size)
        CardPaymentFactory(order=order, status="input")
        base = f"/checkout/pay/{order.number}/{order.access_token}/"
        url = base if page == "pay" else f"{base}{page}/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_payment_amount_is_the_orders_total(client):
    order = OrderFactory(payment_method="card", total=Decimal("99.95"))
    client.get(f"/checkout/pay/{order.number}/{order.access_token}/")
    payment = CardPayment.objects.get(order=order)
    assert (payment.total, payment.currency) == (Decimal("99.95"), "EUR")
    assert payment.billing_email == order.email
    assert payment.get_success_url().endswith(paid_url(order))
    assert payment.get_failure_url().endswith(failed_url(order))
    [item] = payment.get_purchased_items()
    assert item.price == Decimal("99.95") and item.sku == order.number


def test_an_unpaid_card_order_page_links_to_the_payment(client):
    order = OrderFactory(payment_method="card")
    page = text(client.get(f"/orders/{order.number}/{order.access_token}/"))
    assert f'href="/checkout/pay/{order.number}/{order.access_token}/"' in page
    order_services.order_mark_paid(order=order)
    page = text(client.get(f"/orders/{order.number}/{order.access_token}/"))
    assert "/checkout/pay/" not in page


def test_a_payment_the_provider_has_not_confirmed_yet_says_so(client):
    order = OrderFactory(payment_method="card")
    url = f"/checkout/pay/{order.number}/{order.access_token}/"
    client.get(url)
    response = client.post(url, {**CONFIRMED, "status": "preauth"})
    assert response.url == paid_url(order)
    page = text(client.get(response.url))
    assert "waiting for the confirmation of your payment" in page
    order.refresh_from_db()
    assert order.paid_at is None
