"""Emails: the subject and the plain-text body are plain text, the HTML body is escaped."""

from decimal import Decimal

import pytest
from django.core import mail

from customers import services
from shop.orders.services.placement import order_send_confirmation
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory, UserFactory

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
