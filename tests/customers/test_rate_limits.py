"""Sign-up, trade applications and password reset are rate-limited per client address and per
email address: past the limit a polite 429 that keeps what was typed, and nothing is done."""

import pytest
from django.core import mail

from customers.models import User, WholesaleApplication
from tests.customers.test_accounts import GOOD_PASSWORD
from tests.customers.test_applications import APPLICATION, GUEST
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many attempts in a short time"


def sign_up(client, n, **extra):
    return client.post(
        "/accounts/signup/",
        {"email": f"person{n}@example.com", "full_name": f"Person {n}", "password": GOOD_PASSWORD},
        **extra,
    )


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "signup": "3/h"}
    for n in range(3):
        assert sign_up(client, n).status_code == 302
    response = sign_up(client, 99)
    assert response.status_code == 429
    body = response.content.decode()
    assert TOO_MANY in body and 'value="person99@example.com"' in body
    assert not User.objects.filter(email="person99@example.com").exists()
    # Another client is not affected.
    assert sign_up(client, 100, REMOTE_ADDR="10.0.0.8").status_code == 302


def test_password_reset_emails_to_one_address_are_limited_whatever_the_client(client, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "password_reset": "2/h"}
    UserFactory(email="cleo@example.com")
    for n in range(2):
        response = client.post(
            "/accounts/password-reset/", {"email": "cleo@example.com"}, REMOTE_ADDR=f"10.0.1.{n}"
        )
        assert response.status_code == 302
    response = client.post(
        "/accounts/password-reset/", {"email": "CLEO@example.com"}, REMOTE_ADDR="10.0.1.9"
    )
    assert response.status_code == 429 and TOO_MANY in response.content.decode()
    assert len(mail.outbox) == 2


def test_guest_trade_applications_from_one_address_are_limited(client, settings, retail):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "application": "1/h"}
    assert client.post("/wholesale/apply/", {**GUEST, **APPLICATION}).status_code == 302
    response = client.post(
        "/wholesale/apply/", {**GUEST, **APPLICATION, "email": "other@bistro.example"}
    )
    assert response.status_code == 429 and TOO_MANY in response.content.decode()
    assert WholesaleApplication.objects.count() == 1
    assert not User.objects.filter(email="other@bistro.example").exists()
