"""Refunds by units of lines and shipping: never more than paid, a credit note on the invoice
for each (the credit notes add up to the refunds), stock back at most once, the buyer told."""

import contextlib
import random
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from core.errors import Refusal
from shop.models import CreditNote, Order, Product, Refund
from shop.orders import services as order_services
from shop.payments import services as payment_services
from tests.factories import (
    CardPaymentFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StaffUserFactory,
)

from .conftest import order_with_lines, paid_order, pdf_of

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def sold(quantities=(3, 2), *, discount=Decimal("1.00"), shipping=Decimal("5.00"), paid=True):
    """A paid order of lines of `quantities` units at €10.00 + 20 % (the first line with a share
    of a cart discount) and taxed shipping; its products' stock already decremented."""
    order = OrderFactory(shipping_net=shipping, shipping_tax=shipping * Decimal("0.2"))
    lines = []
    for index, quantity in enumerate(quantities):
        product = ProductFactory(stock=50)
        share = discount if index == 0 else ZERO
        line_total = Decimal("10.00") * quantity
        lines.append(
            OrderLineFactory(
                order=order,
                product=product,
                quantity=quantity,
                line_total=line_total,
                discount_share=share,
                tax=((line_total - share) * Decimal("0.2")).quantize(Decimal("0.01")),
            )
        )
    net = sum(line.line_total - line.discount_share for line in lines) + order.shipping_net
    tax = sum(line.tax for line in lines) + order.shipping_tax
    Order.objects.filter(pk=order.pk).update(net_total=net, tax_total=tax, total=net + tax)
    order.refresh_from_db()
    if paid:
        order = order_services.order_mark_paid(order=order)
    return order, lines


def refund(order, quantities=None, **kwargs):
    return order_services.order_refund(order=order, quantities=quantities or {}, **kwargs)


def test_a_manager_refunds_one_unit_and_the_buyer_gets_a_credit_note_and_an_email(
    seller, django_capture_on_commit_callbacks
):
    order, (first, _second) = sold()
    manager = StaffUserFactory(email="boss@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        mail.outbox.clear()
        made = refund(order, {first.pk: 1}, by=manager, reason="Damaged in transit")
    # 3 units: net 29.00 (30.00 less the 1.00 discount share), VAT 5.80 -> one unit 9.67 + 1.93
    assert (made.net, made.tax, made.amount) == (
        Decimal("9.67"),
        Decimal("1.93"),
        Decimal("11.60"),
    )
    assert made.method == "bank_transfer" and made.provider_reference == ""
    assert made.created_by == manager and made.created_by_email == "boss@example.com"
    note = made.credit_note
    assert note.reason == "refund" and note.total == Decimal("11.60")
    assert note.invoice == order.invoice
    [email] = mail.outbox
    assert email.to == [order.email] and "€11.60" in email.body
    assert note.number in email.body and "Damaged in transit" not in email.subject
    text = pdf_of(
        Client(),
        f"/orders/{order.number}/{order.access_token}/credit-notes/{note.number}.pdf",
    )
    assert f"Refund on invoice {order.invoice.number}" in text
    assert first.name in text and "Damaged in transit" in text and "€11.60" in text


def test_refunding_the_units_one_by_one_adds_up_to_the_line_exactly(seller):
    order, (first, _second) = sold(quantities=(3, 1))
    amounts = [refund(order, {first.pk: 1}).amount for _ in range(3)]
    assert sum(amounts) == first.line_total - first.discount_share + first.tax == Decimal("34.80")
    with pytest.raises(Refusal, match="at most 0 unit"):
        refund(order, {first.pk: 1})


def test_a_full_refund_gives_back_the_order_total_and_credits_the_whole_invoice(seller):
    order, lines = sold()
    refund(order, {line.pk: line.quantity for line in lines}, shipping=True)
    state = order_services.refund_state(order=order)
    assert state.refunded_total == order.total and state.remaining_total == ZERO
    assert state.fully_refunded
    credited = sum(note.total for note in CreditNote.objects.all())
    assert credited == order.invoice.total == order.total
    with pytest.raises(Refusal, match="no shipping left"):
        refund(order, shipping=True)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda order, lines: refund(order, {lines[0].pk: 4}), "at most 3 unit"),
        (lambda order, lines: refund(order, {}), "at least one unit or the shipping"),
        (lambda order, lines: refund(order, {lines[0].pk: 0}), "at least one unit"),
        (lambda order, lines: refund(order, {lines[0].pk: -1}), "0 or more"),
        (lambda order, lines: refund(order, {999999: 1}), "not part of the order"),
    ],
)
def test_refusals_are_clear_and_record_nothing(seller, make, message):
    order, lines = sold()
    with pytest.raises(Refusal, match=message):
        make(order, lines)
    assert not Refund.objects.exists() and not CreditNote.objects.exists()


def test_an_unpaid_order_cannot_be_refunded(seller):
    order, lines = sold(paid=False)
    with pytest.raises(Refusal, match="Only a paid order can be refunded"):
        refund(order, {lines[0].pk: 1})


def test_a_line_of_another_order_is_refused(seller):
    order, _lines = sold()
    _other, other_lines = sold()
    with pytest.raises(Refusal, match="not part of the order"):
        refund(order, {other_lines[0].pk: 1})


def test_a_card_order_is_refunded_through_the_provider(seller):
    order, lines = sold(paid=False)
    Order.objects.filter(pk=order.pk).update(payment_method="card")
    payment = CardPaymentFactory(order=order, status="input")
    payment_services.card_payment_process(
        payment=payment,
        step=lambda payment: payment.change_status("confirmed"),
        mark_paid=order_services.order_mark_paid,
    )
    order.refresh_from_db()

    made = refund(order, {lines[0].pk: 1})

    payment.refresh_from_db()
    assert made.provider_reference
    assert [entry["amount"] for entry in payment.attrs.refunds] == [str(made.amount)]
    assert payment.captured_amount == order.total - made.amount
    assert made.credit_note is not None


def test_a_card_refund_the_provider_refuses_records_nothing(seller):
    order, lines = sold()
    Order.objects.filter(pk=order.pk).update(payment_method="card")
    with pytest.raises(Refusal, match="no card payment"):
        refund(order, {lines[0].pk: 1})
    assert not Refund.objects.exists() and not CreditNote.objects.exists()


def stock(line) -> int:
    return Product.objects.get(pk=line.product_id).stock


def test_stock_comes_back_once_between_refunds_and_the_cancellation(seller):
    order, (first, second) = sold()
    refund(order, {first.pk: 2}, return_stock=True)
    refund(order, {second.pk: 1}, return_stock=False)  # kept: the unit was damaged
    assert (stock(first), stock(second)) == (52, 50)
    order_services.order_set_status(order=order, status="cancelled")
    # The rest comes back: 1 unit of the first line, both units of the second (the refund
    # without stock return gave none back).
    assert (stock(first), stock(second)) == (53, 52)
    order.refresh_from_db()
    assert order.stock_returned
    refund(order, {first.pk: 1}, return_stock=True)  # after the cancellation: nothing more
    assert stock(first) == 53


def test_returning_every_unit_by_refunds_marks_the_stock_returned(seller):
    order, lines = sold()
    refund(order, {line.pk: line.quantity for line in lines}, return_stock=True)
    order.refresh_from_db()
    assert order.stock_returned
    order_services.order_set_status(order=order, status="cancelled")
    assert [stock(line) for line in lines] == [53, 52]


def test_refunding_a_cancelled_paid_order_issues_no_second_credit(seller):
    order, lines = sold()
    refund(order, {lines[0].pk: 1})
    order_services.order_set_status(order=order, status="cancelled")
    assert sum(note.total for note in CreditNote.objects.all()) == order.total
    made = refund(order, {lines[0].pk: 2, lines[1].pk: 2}, shipping=True)  # the rest
    assert made.credit_note is None
    assert sum(note.total for note in CreditNote.objects.all()) == order.total
    state = order_services.refund_state(order=order)
    assert state.refunded_total == order.total


@pytest.mark.parametrize("seed", range(25))
def test_refunds_credit_notes_and_order_total_always_reconcile(seller, seed):
    """Random refund sequences (units of random lines, the shipping, sometimes a cancellation):
    the refunds never exceed the order, the credit notes never exceed the invoice, and while
    the order is not cancelled they are equal."""
    rng = random.Random(seed)
    quantities = tuple(rng.randint(1, 7) for _ in range(rng.randint(1, 4)))
    order, lines = sold(
        quantities,
        discount=Decimal(rng.randint(0, 300)) / 100,
        shipping=Decimal(rng.choice([0, 490, 1000])) / 100,
    )
    for _step in range(rng.randint(1, 8)):
        if rng.random() < 0.1 and order.status != "cancelled":
            order = order_services.order_set_status(order=order, status="cancelled")
            continue
        state = order_services.refund_state(order=order)
        choice = {
            entry.line.pk: rng.randint(0, entry.remaining)
            for entry in state.lines
            if entry.remaining and rng.random() < 0.6
        }
        with contextlib.suppress(Refusal):  # nothing chosen, or the shipping already refunded
            refund(order, choice, shipping=rng.random() < 0.3)
        refunds = sum(Refund.objects.filter(order=order).values_list("amount", flat=True), ZERO)
        credits = sum(CreditNote.objects.values_list("total", flat=True), ZERO)
        assert refunds <= order.total and credits <= order.invoice.total
        if order.status != "cancelled":
            assert credits == refunds
        else:
            assert credits == order.invoice.total
    state = order_services.refund_state(order=order)
    everything = {entry.line.pk: entry.remaining for entry in state.lines if entry.remaining}
    leftover_shipping = bool(state.shipping_total) and not state.shipping_refunded
    if everything or leftover_shipping:
        refund(order, everything, shipping=leftover_shipping)
    assert order_services.refund_state(order=order).refunded_total == order.total


def test_an_order_paid_before_invoices_existed_is_refunded_without_credit_note(seller):
    order = order_with_lines()
    Order.objects.filter(pk=order.pk).update(paid_at=order.placed_at, status="paid")
    line = order.lines.get()
    made = refund(order, {line.pk: 1})
    assert made.credit_note is None and made.amount == Decimal("12.00")


def test_paid_order_helper_is_consistent(seller):
    order = paid_order(lines=2)
    assert order.invoice.total == order.total == Decimal("24.00")
