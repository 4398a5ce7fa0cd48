"""Brute-force lockout on log-in: one failure count per account, whatever the letter case."""

import pytest
from axes.models import AccessAttempt

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GUESSES = ["BF@example.com", "bf@EXAMPLE.COM", "Bf@Example.Com", "bF@example.com", "BF@EXAMPLE.COM"]


def login(client, email, password, address="10.0.0.9"):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_failures_in_any_letter_case_count_against_one_account(client, settings):
    UserFactory(email="bf@example.com")
    assert len(GUESSES) == settings.AXES_FAILURE_LIMIT
    for guess in GUESSES[:-1]:
        assert login(client, guess, "wrong-password").status_code == 200
    assert login(client, GUESSES[-1], "wrong-password").status_code == 429

    for spelling in ["bf@example.com", "bF@eXaMpLe.cOm", "BF@example.COM", " Bf@example.com "]:
        assert login(client, spelling, "wrong-password").status_code == 429
        assert login(client, spelling, DEFAULT_PASSWORD).status_code == 429
    assert client.get("/accounts/").status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["bf@example.com"]


def test_another_account_is_not_locked_by_those_failures(client):
    UserFactory(email="bf@example.com")
    UserFactory(email="other@example.com")
    for guess in GUESSES:
        login(client, guess, "wrong-password")
    assert login(client, "Other@Example.com", DEFAULT_PASSWORD).status_code == 302
