"""`manage.py release_unpaid_card_orders`: card orders left unpaid past the delay are
cancelled and their stock put back; paid ones never are."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shop.models import Order
from shop.orders import services as order_services
from tests.factories import CardPaymentFactory, OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


def order_placed(minutes_ago, *, payment_method="card", product=None, quantity=2):
    order = OrderFactory(
        payment_method=payment_method, placed_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    OrderLineFactory(order=order, product=product or ProductFactory(), quantity=quantity)
    return order


def release(**options) -> str:
    out = StringIO()
    call_command("release_unpaid_card_orders", stdout=out, **options)
    return out.getvalue()


def test_unpaid_card_orders_past_the_delay_are_cancelled_and_their_stock_returned(settings):
    settings.SHOP_CARD_PAYMENT_TIMEOUT_MINUTES = 60
    product = ProductFactory(stock=5)
    old = order_placed(61, product=product, quantity=2)
    CardPaymentFactory(order=old, status="input")
    recent = order_placed(30, product=product)
    output = release()
    old.refresh_from_db()
    product.refresh_from_db()
    assert old.status == "cancelled" and old.stock_returned
    assert product.stock == 7
    assert old.card_payments.get().status == "cancelled"  # dropped at the provider
    assert Order.objects.get(pk=recent.pk).status == "placed"
    assert "1 unpaid card order(s) cancelled" in output and old.number in output
    # Run again: nothing more to do, the stock is returned once.
    release()
    product.refresh_from_db()
    assert product.stock == 7


def test_the_delay_comes_from_the_option(settings):
    order = order_placed(20)
    release(minutes=30)
    assert Order.objects.get(pk=order.pk).status == "placed"
    release(minutes=10)
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_paid_and_other_orders_are_never_cancelled():
    paid = order_placed(600)
    order_services.order_mark_paid(order=paid)
    bank = order_placed(600, payment_method="bank_transfer")
    release()
    assert Order.objects.get(pk=paid.pk).status == "paid"
    assert Order.objects.get(pk=bank.pk).status == "placed"


def test_a_confirmed_payment_not_applied_yet_pays_the_order_instead():
    order = order_placed(600)
    payment = CardPaymentFactory(order=order, status="confirmed")
    output = release()
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "paid" and payment.settled_at is not None
    assert "1 found paid" in output


def test_a_payment_confirmed_after_the_release_is_flagged_for_refund(client):
    order = order_placed(600)
    payment = CardPaymentFactory(order=order, status="input")
    release()
    client.get(payment.get_process_url(), {"verification_result": "confirmed"})
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "cancelled" and payment.attention
