"""Emails: the subject and the plain-text body are plain text, the HTML body is escaped; a
background task delivers them, and a failing mail server is recorded and retried, never raised
into the request that sent the email."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.emails import MAX_ATTEMPTS, deliver_email
from customers import services
from shop.orders.services import order_send_confirmation
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory, UserFactory
from tests.mail import DOWN

pytestmark = pytest.mark.django_db

COMPANY = "Acme & <Sons>"


def test_an_application_email_shows_the_company_name_as_typed(
    settings, django_capture_on_commit_callbacks
):
    settings.SHOP_MANAGER_EMAILS = ["boss@example.com"]
    user = UserFactory(email="lucie@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            user=user,
            company_name=COMPANY,
            vat_id="FR12345678901",
            country="FR",
            phone="+33 1 23 45 67 89",
            monthly_volume="1k-5k",
        )
    to_applicant, to_managers = mail.outbox
    assert to_managers.subject == f"New trade account application: {COMPANY}"
    assert f"{COMPANY} ({user.email}) applied" in to_managers.body
    assert f"trade account for {COMPANY} at" in to_applicant.body
    for email in (to_applicant, to_managers):
        assert "&amp;" not in email.subject + email.body and "&lt;" not in email.body


def test_the_order_confirmation_is_plain_text_with_an_escaped_html_part(settings):
    settings.SHOP_NAME = COMPANY
    order = OrderFactory(email="guest@example.com")
    OrderLineFactory(
        order=order, product=ProductFactory(name="Knives & <forks>", base_price=Decimal("10"))
    )
    order_send_confirmation(order_id=order.pk)
    [email] = mail.outbox
    assert email.subject == f"Your {COMPANY} order {order.number}"
    assert "Knives & <forks>" in email.body and COMPANY in email.body
    assert "&amp;" not in email.body and "&lt;" not in email.body
    html = email.alternatives[0][0]
    assert "Knives &amp; &lt;forks&gt;" in html and "<forks>" not in html


def test_the_password_reset_subject_is_plain_text(settings, client):
    settings.SHOP_NAME = COMPANY
    UserFactory(email="cleo@example.com")
    client.post("/accounts/password-reset/", {"email": "cleo@example.com"})
    [email] = mail.outbox
    assert email.subject == f"Reset your {COMPANY} password"
    assert f"your {COMPANY} account" in email.body
    assert "Acme &amp; &lt;Sons&gt;" in email.alternatives[0][0]


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_email_is_rendered_and_delivered_with_its_html_part():
    deliver_email.enqueue(subject="Hello", body="Plain", html="<p>Rich</p>", to=["a@example.com"])
    [message] = mail.outbox
    assert message.subject == "Hello" and message.body == "Plain"
    assert message.alternatives[0][0] == "<p>Rich</p>"


def test_with_the_mail_server_down_the_immediate_backend_records_the_failure(settings):
    settings.EMAIL_BACKEND = DOWN
    result = deliver_email.enqueue(subject="S", body="B", html="", to=["a@example.com"])
    assert result.status == TaskResultStatus.FAILED
    assert "SMTPServerDisconnected" in result.errors[0].exception_class_path


def test_the_database_backend_queues_emails_for_a_worker(settings):
    settings.TASKS = DATABASE_TASKS
    deliver_email.enqueue(subject="S", body="B", html="", to=["a@example.com"])
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"]["to"] == ["a@example.com"]


def test_a_failed_delivery_is_retried_later_and_stays_visible(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = DOWN
    before = timezone.now()
    with pytest.raises(OSError):
        deliver_email.call(subject="S", body="B", html="", to=["a@example.com"], attempt=1)
    [retry] = DBTaskResult.objects.all()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + timedelta(minutes=5)


def test_retries_stop_after_the_last_attempt(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = DOWN
    with pytest.raises(OSError):
        deliver_email.call(subject="S", body="B", html="", to=["a@b.example"], attempt=MAX_ATTEMPTS)
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_the_html_part_says_its_language_and_direction(language, direction):
    order = OrderFactory(language=language)
    OrderLineFactory(order=order, product=ProductFactory())
    order_send_confirmation(order_id=order.pk)
    [message] = mail.outbox
    assert f'<html lang="{language}" dir="{direction}">' in message.alternatives[0][0]
