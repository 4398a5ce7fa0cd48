"""`card_refund` refunds through the provider (the dummy one here) and says no clearly."""

from decimal import Decimal

import pytest

from core.errors import Refusal
from shop.orders import services as order_services
from shop.payments import services
from tests.factories import CardPaymentFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    payment = CardPaymentFactory(status="input")
    services.card_payment_process(
        payment=payment,
        step=lambda payment: payment.change_status("confirmed"),
        mark_paid=order_services.order_mark_paid,
    )
    payment.refresh_from_db()
    return payment


def test_a_partial_then_the_full_refund(paid):
    first = services.card_refund(payment=paid, amount=Decimal("2.00"))
    paid.refresh_from_db()
    assert first and paid.captured_amount == Decimal("10.00") and paid.status == "confirmed"
    second = services.card_refund(order=paid.order, amount=Decimal("10.00"))
    assert second != first
    paid.refresh_from_db()
    assert paid.captured_amount == Decimal("0.00") and paid.status == "refunded"
    assert [refund["amount"] for refund in paid.attrs.refunds] == ["2.00", "10.00"]


def test_more_than_was_paid_is_refused(paid):
    with pytest.raises(Refusal, match="At most €12.00"):
        services.card_refund(payment=paid, amount=Decimal("12.01"))


def test_nothing_or_a_negative_amount_is_refused(paid):
    for amount in (Decimal("0"), Decimal("-1")):
        with pytest.raises(Refusal, match="greater than zero"):
            services.card_refund(payment=paid, amount=amount)


def test_an_unconfirmed_payment_cannot_be_refunded():
    payment = CardPaymentFactory(status="rejected")
    with pytest.raises(Refusal, match="cannot be refunded"):
        services.card_refund(payment=payment, amount=Decimal("1.00"))


def test_an_order_without_card_payment_has_nothing_to_refund():
    with pytest.raises(Refusal, match="no card payment"):
        services.card_refund(order=OrderFactory(), amount=Decimal("1.00"))


def test_a_provider_refusal_is_a_refusal(paid, monkeypatch):
    from payments import PaymentError
    from payments.dummy import DummyProvider

    def refuse(self, payment, amount=None):
        raise PaymentError("card expired")

    monkeypatch.setattr(DummyProvider, "refund", refuse)
    with pytest.raises(Refusal, match="card expired"):
        services.card_refund(payment=paid, amount=Decimal("1.00"))
    paid.refresh_from_db()
    assert paid.captured_amount == Decimal("12.00")
