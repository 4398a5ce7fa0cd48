"""`manage.py send_payment_reminders`, run daily: an order on account past its due date, unpaid
and not cancelled gets a reminder, at most once every SHOP_PAYMENT_REMINDER_DAYS days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.dates import MONTHS

from shop.models import Order, OrderEmail
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"


def on_account(*, days_late=3, **fields):
    """An unpaid order on account whose payment was due `days_late` days ago."""
    today = timezone.localdate()
    return OrderFactory(
        payment_method="on_account",
        payment_terms_days=30,
        payment_due=today - timedelta(days=days_late),
        **fields,
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_payment_reminders", *args, stdout=out)
        return out.getvalue()

    return run


def test_an_overdue_order_gets_a_reminder_with_the_amount_due_date_and_bank_details(run):
    shop_details_save(details=ShopDetails(legal_name="Comptoir SAS", iban=IBAN, bic="AGRIFRPP"))
    order = on_account(days_late=3)
    output = run()
    assert output.strip() == f"1 payment reminder(s) sent: {order.number}."
    [message] = mail.outbox
    due = order.payment_due
    assert message.to == ["guest@example.com"]
    assert message.subject == f"Your Comptoir order {order.number}: payment reminder"
    assert (
        f"The payment of €12.00 for your order {order.number} was due on "
        f"{due.day} {due:%B} {due.year}" in message.body
    )
    assert "IBAN: FR76 3000 6000 0112 3456 7890 189" in message.body
    assert f"Payment reference: {order.number}" in message.body
    assert f"http://127.0.0.1:8000/orders/{order.number}/{order.access_token}/" in message.body
    [(html, _mimetype)] = message.alternatives
    assert "FR76 3000 6000 0112 3456 7890 189" in html
    order.refresh_from_db()
    assert order.last_reminder_at is not None
    assert [row.kind for row in OrderEmail.objects.all()] == ["payment_reminder"]


def test_reminders_respect_the_interval(run, settings):
    settings.SHOP_PAYMENT_REMINDER_DAYS = 7
    order = on_account()
    run()
    assert len(mail.outbox) == 1
    run()  # the next day's run, or a second run the same day
    assert len(mail.outbox) == 1

    Order.objects.filter(pk=order.pk).update(last_reminder_at=timezone.now() - timedelta(days=6))
    run()
    assert len(mail.outbox) == 1
    Order.objects.filter(pk=order.pk).update(last_reminder_at=timezone.now() - timedelta(days=7))
    run()
    assert len(mail.outbox) == 2

    settings.SHOP_PAYMENT_REMINDER_DAYS = 2
    Order.objects.filter(pk=order.pk).update(last_reminder_at=timezone.now() - timedelta(days=3))
    run()
    assert len(mail.outbox) == 3


def test_paid_cancelled_not_yet_due_and_other_payment_methods_get_no_reminder(run):
    on_account(paid_at=timezone.now(), status="paid")
    on_account(status="cancelled", cancelled_at=timezone.now())
    on_account(days_late=0)  # due today: not late yet
    on_account(days_late=-5)
    OrderFactory(payment_method="bank_transfer")
    late = on_account(days_late=1)
    assert run().strip() == f"1 payment reminder(s) sent: {late.number}."
    assert [message.to for message in mail.outbox] == [["guest@example.com"]]
    assert late.number in mail.outbox[0].body


def test_a_dry_run_lists_the_orders_and_sends_nothing(run):
    first = on_account(days_late=10)
    second = on_account(days_late=2)
    output = run("--dry-run")
    assert output.strip() == (
        f"2 payment reminder(s) would be sent: {first.number}, {second.number} "
        "(dry run: nothing sent)."
    )
    assert mail.outbox == [] and OrderEmail.objects.count() == 0
    assert not Order.objects.exclude(last_reminder_at=None).exists()
    run()
    assert len(mail.outbox) == 2


def test_a_reminder_resent_by_a_manager_counts_as_the_last_one(
    client, manager, run, django_capture_on_commit_callbacks
):
    order = on_account()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/shop/order/{order.pk}/resend-email/", {"kind": "payment_reminder"})
    assert len(mail.outbox) == 1
    assert run().strip() == "0 payment reminder(s) sent."
    assert len(mail.outbox) == 1


def test_the_reminder_is_in_the_order_s_language(run):
    order = on_account(days_late=3, language="fr")
    due = order.payment_due
    with translation.override("fr"):
        french_month = str(MONTHS[due.month])
    assert french_month != f"{due:%B}"  # Django's own catalogue translates month names
    run()
    [message] = mail.outbox
    assert f"{due.day} {french_month} {due.year}" in message.body
