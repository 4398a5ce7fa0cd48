"""The language switcher: a cookie for everyone, and for a logged-in customer their preferred
language, which logging in restores and which the shop's emails to them use."""

import pytest
from django.conf import settings
from django.test import Client

from customers.models import CustomerProfile
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language, next_url="/cart/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_a_guest_switches_with_a_cookie_and_goes_back(client):
    response = switch(client, "ar", "/search/?q=pan")
    assert response.status_code == 302 and response.url == "/search/?q=pan"
    assert response.cookies[COOKIE].value == "ar"
    page = client.get("/")
    assert '<html lang="ar"' in page.content.decode()


def test_a_customer_keeps_the_choice_in_their_profile(client):
    user = UserFactory()
    client.force_login(user)
    switch(client, "fr")
    assert CustomerProfile.objects.get(user=user).language == "fr"


def test_an_unknown_language_changes_nothing_and_is_no_error(client):
    user = UserFactory()
    client.force_login(user)
    response = switch(client, "xx")
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert CustomerProfile.objects.get(user=user).language == ""


def test_the_switcher_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert switch(client, "fr").status_code == 403


def test_logging_in_restores_the_preferred_language():
    user = UserFactory(email="amina@example.com")
    CustomerProfile.objects.filter(user=user).update(language="ar")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "amina@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"


def test_signing_up_keeps_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    client.cookies[COOKIE] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "full_name": "Claire Martin",
                "email": "claire@example.com",
                "password": "a-long-enough-passphrase-42",
            },
        )
    assert CustomerProfile.objects.get(user__email="claire@example.com").language == "fr"
