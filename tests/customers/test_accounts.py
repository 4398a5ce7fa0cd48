"""Sign-up, log-in (with lockout), log-out, password change and reset, the account page."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from customers import selectors
from customers.models import User
from tests.customers.emails import log_in_with_welcome_link
from tests.factories import DEFAULT_PASSWORD, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "plum-tart-1984-rivers"


def signup(client, **overrides):
    data = {
        "email": "Nora@Example.com",
        "full_name": "Nora Nouveau",
        "company_name": "",
        "password": GOOD_PASSWORD,
    }
    return client.post("/accounts/signup/", {**data, **overrides})


# Sign-up -------------------------------------------------------------------------------------


def test_signup_creates_the_account_and_profile_in_the_default_group_and_logs_in(
    client, retail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, company_name="Nouveau & Fils")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    user = User.objects.get(email="nora@example.com")
    assert user.full_name == "Nora Nouveau"
    assert user.check_password(GOOD_PASSWORD)
    assert user.profile.group == retail
    assert user.profile.company_name == "Nouveau & Fils"
    log_in_with_welcome_link(client, "nora@example.com")
    page = client.get("/accounts/").content.decode()
    assert "nora@example.com" in page and "Nouveau &amp; Fils" in page and "Retail" in page


def test_signup_page_has_labelled_fields(client):
    body = client.get("/accounts/signup/").content.decode()
    for field, label in [
        ("email", "Email address"),
        ("full_name", "Your name"),
        ("company_name", "Company"),
        ("password", "Password"),
    ]:
        assert f'<label for="id_{field}">{label}' in body
    assert 'name="csrfmiddlewaretoken"' in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password": "83920174650"}, "password", "entirely numeric"),
        ({"password": "short"}, "password", "too short"),
        ({"password": "nora@example.com"}, "password", "too similar"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_signup_errors_are_tied_to_their_field(client, overrides, field, message):
    response = signup(client, **overrides)
    assert response.status_code == 200
    body = response.content.decode()
    errors = re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', body)
    assert any(message in error for error in errors), errors
    widget = re.search(rf"<(input|select|textarea)[^>]*id=\"id_{field}\"[^>]*>", body).group(0)
    assert f"id_{field}_error" in widget and 'aria-invalid="true"' in widget
    assert not User.objects.filter(email__iexact="nora@example.com").exists()


def test_signup_follows_a_safe_next_and_ignores_another_site(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, next="/portal/")
        signup(Client(), email="x@example.com", next="https://evil.example/")
    assert log_in_with_welcome_link(client, "nora@example.com")["Location"] == "/portal/"
    assert log_in_with_welcome_link(Client(), "x@example.com")["Location"] == "/accounts/"


def test_signup_refuses_a_post_without_csrf_token(retail):
    client = Client(enforce_csrf_checks=True)
    assert signup(client).status_code == 403
    assert not User.objects.exists()


# Log-in, log-out --------------------------------------------------------------------------


def login(client, email, password, **extra):
    return client.post(
        "/accounts/login/",
        {"username": email, "password": password, **extra},
        REMOTE_ADDR="10.0.0.9",
    )


def test_login_rotates_the_session_key(client, customer):
    client.get("/accounts/login/")
    session = client.session
    session["seen"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = login(client, "CLEO@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert client.get("/accounts/").status_code == 200


def test_login_locks_out_after_repeated_failures_with_a_clear_message(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, customer.email, "wrong-password")
        assert response.status_code == 200
        assert "correct email address and password" in response.content.decode()
    response = login(client, customer.email, "wrong-password")
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = login(client, customer.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert client.get("/accounts/").status_code == 302


def test_logout_needs_a_post_and_returns_the_visitor_to_the_default_group(client, vip):
    early = CategoryFactory(name="Early access", slug="early-access")
    early.visible_to.set([vip])
    ProductFactory(name="Copper kettle", slug="copper-kettle", category=early)
    client.force_login(UserFactory(group=vip))
    assert client.get("/p/copper-kettle/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/p/copper-kettle/").status_code == 404
    assert "Early access" not in client.get("/").content.decode()


# Password change and reset ----------------------------------------------------------------


def test_password_change_checks_the_old_password_then_keeps_the_customer_logged_in(
    customer_client, customer
):
    page = customer_client.get("/accounts/password/").content.decode()
    assert "Change your password" in page and "site-header" in page
    response = customer_client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = customer_client.post(
        "/accounts/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()
    customer.refresh_from_db()
    assert customer.check_password(GOOD_PASSWORD)
    assert customer_client.get("/accounts/").status_code == 200


def test_password_change_needs_a_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_password_reset_answers_the_same_whether_or_not_the_email_exists(client, customer):
    known = client.post("/accounts/password-reset/", {"email": "CLEO@example.com"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    sent = client.get("/accounts/password-reset/sent/").content.decode()
    assert "If an account exists for the address you entered" in sent
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["cleo@example.com"]
    assert email.subject == "Reset your Comptoir password"
    assert email.alternatives and "Choose a new password" in email.alternatives[0][0]


def test_the_password_reset_link_sets_a_new_password_once(client, customer):
    client.post("/accounts/password-reset/", {"email": customer.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        follow=True,
    )
    assert "Your password has been changed" in response.content.decode()
    customer.refresh_from_db()
    assert customer.check_password(GOOD_PASSWORD)
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


# The account page and profile editing -----------------------------------------------------


def test_account_page_needs_a_login(client):
    assert client.get("/accounts/")["Location"] == "/accounts/login/?next=/accounts/"


def test_account_page_shows_group_profile_and_invites_to_apply(customer_client):
    body = customer_client.get("/accounts/").content.decode()
    assert "cleo@example.com" in body and "Cléo Client" in body
    assert '<dd class="customer-group">Retail</dd>' in body
    assert "Apply for a trade account" in body


def test_account_page_of_a_trade_customer_shows_terms(client, wholesale):
    user = UserFactory(group=wholesale)
    user.profile.payment_terms_days = 45
    user.profile.credit_limit = "2500.00"
    user.profile.save()
    client.force_login(user)
    body = client.get("/accounts/").content.decode()
    assert "45 days" in body and "€2,500.00" in body and "Go to the trade portal" in body


def test_profile_editing_saves_and_keeps_bad_input_with_a_message(customer_client, customer):
    data = {
        "full_name": "Cléo Martin",
        "company_name": "Martin SARL",
        "vat_id": "fr 40 303 265 045",
        "phone": "+33 1 23 45 67 89",
    }
    bad = customer_client.post("/accounts/profile/", {**data, "vat_id": "12345"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "starts with the country code" in body
    assert 'value="12345"' in body and 'value="Martin SARL"' in body
    response = customer_client.post("/accounts/profile/", data, follow=True)
    assert "Your details are saved." in response.content.decode()
    customer.refresh_from_db()
    customer.profile.refresh_from_db()
    assert customer.full_name == "Cléo Martin"
    assert customer.profile.vat_id == "FR40303265045"
    assert customer.profile.company_name == "Martin SARL"


def test_profile_editing_creates_a_missing_profile_and_never_changes_the_group(client, vip):
    user = UserFactory(group=vip)
    client.force_login(user)
    client.post(
        "/accounts/profile/",
        {"full_name": "X", "company_name": "", "vat_id": "", "phone": "", "group": "1"},
    )
    assert selectors.group_for(user) == vip
    bare = UserFactory()
    bare.profile.delete()
    client.force_login(bare)
    assert client.get("/accounts/").status_code == 200
    client.post("/accounts/profile/", {"full_name": "Bare", "company_name": "B"})
    bare.refresh_from_db()
    assert bare.profile.company_name == "B" and bare.profile.group.is_default
