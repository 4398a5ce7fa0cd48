"""The provider's answer is applied to the order once: replays, late failures, confirmations
for a cancelled or already paid order, and amounts that do not match change nothing on the
order (the last ones flag the payment for a manager)."""

from decimal import Decimal

import pytest
from django.core import mail

from shop.models import CardPayment
from shop.orders import services as order_services
from shop.payments import services
from tests.factories import CardPaymentFactory, OrderFactory

pytestmark = pytest.mark.django_db


def to(status):
    def step(payment):
        payment.change_status(status)

    return step


def process(payment, status):
    return services.card_payment_process(
        payment=payment, step=to(status), mark_paid=order_services.order_mark_paid
    )


@pytest.fixture
def payment():
    return CardPaymentFactory(status="input")


def counting_mark_paid(calls):
    def mark_paid(*, order):
        calls.append(order.pk)
        return order_services.order_mark_paid(order=order)

    return mark_paid


def test_a_confirmation_marks_the_order_paid_once(payment):
    calls = []
    for _replay in range(3):
        processed = services.card_payment_process(
            payment=payment, step=to("confirmed"), mark_paid=counting_mark_paid(calls)
        )
        assert processed.outcome == services.PAID
    assert calls == [payment.order_id]
    payment.order.refresh_from_db()
    assert payment.order.status == "paid" and payment.order.paid_at is not None


def test_a_confirmation_for_an_order_paid_otherwise_is_flagged(payment):
    order_services.order_mark_paid(order=payment.order)
    processed = process(payment, "confirmed")
    assert processed.outcome == services.ATTENTION
    payment.refresh_from_db()
    assert payment.attention and "already paid" in payment.attention_reason
    assert payment.settled_at is None


def test_a_late_failure_after_the_confirmation_changes_nothing(payment):
    process(payment, "confirmed")
    paid_at = CardPayment.objects.get().order.paid_at
    processed = process(payment, "rejected")
    assert processed.outcome == services.PAID
    payment.refresh_from_db()
    assert payment.status == "confirmed" and "late status" in payment.message
    payment.order.refresh_from_db()
    assert payment.order.status == "paid" and payment.order.paid_at == paid_at


def test_a_confirmation_for_a_cancelled_order_is_recorded_not_resurrected(payment):
    order_services.order_set_status(order=payment.order, status="cancelled")
    processed = process(payment, "confirmed")
    assert processed.outcome == services.ATTENTION
    payment.refresh_from_db()
    assert payment.status == "confirmed"  # the money was taken: recorded as such
    assert payment.attention and "cancelled" in payment.attention_reason
    payment.order.refresh_from_db()
    assert payment.order.status == "cancelled" and payment.order.paid_at is None
    # Replayed: still flagged once, still cancelled.
    assert process(payment, "confirmed").outcome == services.ATTENTION
    payment.order.refresh_from_db()
    assert payment.order.status == "cancelled"


def test_a_payment_of_another_amount_is_refused(payment):
    CardPayment.objects.filter(pk=payment.pk).update(total=Decimal("1.00"))
    processed = process(payment, "confirmed")
    assert processed.outcome == services.ATTENTION
    payment.order.refresh_from_db()
    assert payment.order.paid_at is None
    payment.refresh_from_db()
    assert payment.attention and "refund" in payment.attention_reason


def test_a_payment_in_another_currency_is_refused(payment):
    CardPayment.objects.filter(pk=payment.pk).update(currency="USD")
    assert process(payment, "confirmed").outcome == services.ATTENTION
    payment.order.refresh_from_db()
    assert payment.order.paid_at is None


def test_a_rejection_leaves_the_order_unpaid(payment):
    assert process(payment, "rejected").outcome == services.FAILED
    payment.order.refresh_from_db()
    assert payment.order.status == "placed" and payment.order.paid_at is None


def test_the_callback_url_applies_the_providers_answer(client, payment):
    """The dummy provider's 3-D Secure return goes through django-payments' process route."""
    url = payment.get_process_url()
    assert url == f"/payments/process/{payment.token}/"
    response = client.get(url, {"verification_result": "confirmed"})
    order = payment.order
    assert response.status_code == 302
    assert response.url == f"/checkout/pay/{order.number}/{order.access_token}/paid/"
    order.refresh_from_db()
    assert order.status == "paid"
    mail.outbox.clear()
    # Replayed callback: the same page, the order paid once.
    paid_at = order.paid_at
    assert client.get(url, {"verification_result": "confirmed"}).status_code == 302
    order.refresh_from_db()
    assert order.paid_at == paid_at
    # A late "rejected" callback after the confirmation.
    response = client.get(url, {"verification_result": "rejected"})
    assert response.url.endswith("/paid/")
    order.refresh_from_db()
    assert order.status == "paid"


def test_an_unknown_callback_or_provider_is_404(client):
    assert client.get("/payments/process/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/payments/process/not-a-provider/").status_code == 404


def test_a_callback_for_a_cancelled_order_flags_it(client):
    order = OrderFactory(payment_method="card")
    payment = CardPaymentFactory(order=order, status="input")
    order_services.order_set_status(order=order, status="cancelled")
    response = client.get(payment.get_process_url(), {"verification_result": "confirmed"})
    assert response.status_code == 302 and response.url.endswith("/failed/")
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "cancelled" and payment.attention
    assert "we refund it" in client.get(response.url).content.decode()
