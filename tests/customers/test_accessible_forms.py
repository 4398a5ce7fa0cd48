"""The account forms for everyone: required fields announced, one error summary that takes the
focus and links to each field, "Error: " in the title, each field's errors under one id."""

import re
from collections import Counter

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ids(body: str) -> Counter:
    return Counter(re.findall(r'\bid="([^"]+)"', body))


def title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def summary_links(body: str) -> list[str]:
    summary = re.search(r'<div class="form-errors error-summary"([^>]*)>(.*?)</div>', body, re.S)
    assert summary, "no error summary"
    assert 'tabindex="-1"' in summary.group(1) and "autofocus" in summary.group(1)
    assert "There is a problem" in summary.group(2)
    return re.findall(r'<a href="#([\w-]+)">', summary.group(2))


def test_sign_up_announces_its_required_fields(client):
    body = client.get("/accounts/signup/").content.decode()
    for name in ("email", "full_name", "password"):
        assert re.search(rf'<input[^>]*\brequired\b[^>]*id="id_{name}"', body), name
    assert not re.search(r'<input[^>]*\brequired\b[^>]*id="id_company_name"', body)
    assert not title(body).startswith("Error")


def test_sign_up_with_errors_links_each_field_and_repeats_no_id(client):
    body = client.post(
        "/accounts/signup/", {"email": "not-an-email", "full_name": "", "password": "123"}
    ).content.decode()
    assert title(body).startswith("Error: Create an account")
    assert summary_links(body)[:2] == ["id_email", "id_full_name"]
    assert summary_links(body).count("id_password") >= 2  # several password rules broken
    repeated = [name for name, count in ids(body).items() if count > 1]
    assert repeated == []
    password = re.search(r'<input[^>]*id="id_password"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in password
    assert "id_password_error" in password.split("aria-describedby=")[1]


def test_a_wrong_password_at_log_in_heads_the_form_and_the_title(client):
    UserFactory(email="ann@example.com")
    body = client.post(
        "/accounts/login/", {"username": "ann@example.com", "password": "wrong"}
    ).content.decode()
    assert title(body).startswith("Error: Log in")
    summary_links(body)  # a summary, even for an error of the whole form
    assert "Please enter a correct" in body


def test_the_trade_application_starts_on_the_shops_country(client, settings):
    settings.SHOP_DEFAULT_COUNTRY = "FR"
    body = client.get("/wholesale/apply/").content.decode()
    select = re.search(r'<select[^>]*id="id_country".*?</select>', body, re.S).group(0)
    assert re.search(r'<option value="FR"[^>]*selected', select)
