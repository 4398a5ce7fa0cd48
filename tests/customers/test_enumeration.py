"""Sign-up and the guests' trade applications never tell whether an address has an account:
the visitor gets the same answer, nothing is created or changed for a taken address, and its
owner is told by email. New accounts log in with the link of their welcome email."""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from customers.models import User, WholesaleApplication
from customers.tokens import welcome_token_for
from tests.customers.emails import log_in_with_welcome_link, welcome_link
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "plum-tart-1984-rivers"
SIGNUP = {"full_name": "Nora Nouveau", "company_name": "Typed Co", "password": PASSWORD}
APPLICATION = {
    "full_name": "Lucie Lumière",
    "password": PASSWORD,
    "company_name": "Bistro Lumière",
    "vat_id": "FR40303265045",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
    "monthly_volume": "1k-5k",
    "message": "",
}


def answer(client, url, data):
    """What the visitor sees: the response and the page it leads to, minus the CSRF token."""
    response = client.post(url, data)
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    return (
        response.status_code,
        response.get("Location"),
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page),
    )


@pytest.fixture
def owner(retail):
    return UserFactory(email="nora@example.com", full_name="Nora Owner")


def unchanged(user):
    fresh = User.objects.select_related("profile").get(pk=user.pk)
    return (
        fresh.password == user.password
        and fresh.full_name == user.full_name
        and fresh.last_login == user.last_login
        and fresh.profile.company_name == user.profile.company_name
        and fresh.profile.group_id == user.profile.group_id
    )


# Sign-up -------------------------------------------------------------------------------------


def test_signup_answers_alike_for_a_new_and_a_taken_address(owner, commit):
    with commit():
        new = answer(Client(), "/accounts/signup/", {**SIGNUP, "email": "new@example.com"})
    with commit():
        taken = answer(Client(), "/accounts/signup/", {**SIGNUP, "email": "NORA@Example.com"})
    assert new == taken
    status, location, page = new
    assert status == 302 and location == "/accounts/signup/sent/"
    assert "Check your email" in page and "already exists" not in page


def test_a_taken_address_changes_nothing_and_its_owner_is_told(client, owner, commit):
    with commit():
        response = client.post("/accounts/signup/", {**SIGNUP, "email": "NORA@example.com"})
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="nora@example.com").count() == 1
    assert unchanged(owner)
    assert "_auth_user_id" not in client.session
    [email] = mail.outbox
    assert email.to == ["nora@example.com"]
    assert email.subject == "You already have a Comptoir account"
    assert "nothing has changed" in email.body and "/accounts/password-reset/" in email.body
    assert "/accounts/welcome/" not in email.body
    assert email.alternatives and "Forgot your password" in email.alternatives[0][0]


def test_a_new_address_gets_its_account_and_a_one_time_log_in_link(client, retail, commit):
    with commit():
        client.post("/accounts/signup/", {**SIGNUP, "email": "Nora@Example.com"})
    user = User.objects.get(email="nora@example.com")
    assert user.check_password(PASSWORD) and user.profile.company_name == "Typed Co"
    assert "_auth_user_id" not in client.session
    [email] = mail.outbox
    assert email.to == ["nora@example.com"]
    assert email.subject == "Your Comptoir account is ready"
    link = welcome_link("nora@example.com")
    response = log_in_with_welcome_link(client, "nora@example.com")
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Welcome! Your account is ready." in client.get("/accounts/").content.decode()
    again = Client()
    assert again.get(link).status_code == 404  # used
    assert again.post(link).status_code == 404
    assert "_auth_user_id" not in again.session


def test_the_welcome_link_follows_a_safe_next_only(retail, commit):
    with commit():
        Client().post(
            "/accounts/signup/", {**SIGNUP, "email": "a@example.com", "next": "/checkout/"}
        )
    with commit():
        Client().post(
            "/accounts/signup/",
            {**SIGNUP, "email": "b@example.com", "next": "https://evil.example/"},
        )
    assert unquote(welcome_link("a@example.com")).endswith("?next=/checkout/")
    assert "?next" not in welcome_link("b@example.com")
    response = log_in_with_welcome_link(Client(), "a@example.com")
    assert response["Location"] == "/checkout/"
    path = welcome_link("b@example.com")
    response = Client().post(path, {"next": "https://evil.example/"})
    assert response["Location"] == "/accounts/"


def test_welcome_and_password_reset_links_are_not_interchangeable(owner):
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    reset_token = default_token_generator.make_token(owner)
    assert Client().get(f"/accounts/welcome/{uid}.{reset_token}/").status_code == 404
    welcome = welcome_token_for(owner).partition(".")[2]
    page = Client().get(f"/accounts/reset/{uid}/{welcome}/", follow=True).content.decode()
    assert "This link no longer works" in page


@pytest.mark.parametrize("token", ["x", "..", "MQ.nope", "é.é", "\x00", "A" * 300])
def test_a_wrong_welcome_link_is_404_with_a_clear_page(client, owner, token):
    response = client.get(f"/accounts/welcome/{token}/")
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    assert client.post(f"/accounts/welcome/{token}/").status_code == 404


# Guests' trade applications --------------------------------------------------------------------


def test_a_guest_application_answers_alike_for_a_new_and_a_taken_address(
    owner, wholesale, settings, commit
):
    settings.SHOP_MANAGER_EMAILS = ["boss@example.com"]
    with commit():
        new = answer(Client(), "/wholesale/apply/", {**APPLICATION, "email": "new@example.com"})
    with commit():
        taken = answer(Client(), "/wholesale/apply/", {**APPLICATION, "email": "Nora@example.com"})
    assert new == taken
    assert new[0] == 302 and new[1] == "/accounts/signup/sent/"
    assert WholesaleApplication.objects.get().user.email == "new@example.com"
    assert unchanged(owner)
    assert not WholesaleApplication.objects.filter(user=owner).exists()
    to_owner = [m for m in mail.outbox if m.to == ["nora@example.com"]]
    assert [m.subject for m in to_owner] == ["Your Comptoir trade account application"]
    assert "nothing was recorded" in to_owner[0].body and "/wholesale/apply/" in to_owner[0].body
    to_managers = [m for m in mail.outbox if m.to == ["boss@example.com"]]
    assert len(to_managers) == 1 and "Bistro Lumière" in to_managers[0].subject


def test_a_taken_address_of_a_trade_customer_is_left_as_it_is(wholesale, commit):
    trade = UserFactory(email="chef@example.com", group=wholesale)
    with commit():
        response = Client().post("/wholesale/apply/", {**APPLICATION, "email": "chef@example.com"})
    assert response["Location"] == "/accounts/signup/sent/"
    assert unchanged(trade) and not WholesaleApplication.objects.exists()
    assert [m.to for m in mail.outbox] == [["chef@example.com"]]


def test_a_new_guest_applicant_logs_in_with_the_welcome_link(client, retail, wholesale, commit):
    with commit():
        client.post("/wholesale/apply/", {**APPLICATION, "email": "lucie@example.com"})
    assert "_auth_user_id" not in client.session
    assert log_in_with_welcome_link(client, "lucie@example.com")["Location"] == "/accounts/"
    assert "Pending review" in client.get("/accounts/").content.decode()
