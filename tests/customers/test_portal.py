"""/portal/ is for customers whose group has portal access, and only for them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(wholesale):
    user = UserFactory(email="wendy@example.com", group=wholesale)
    profile = user.profile
    profile.company_name = "Atelier Martin SARL"
    profile.vat_id = "FR40303265045"
    profile.payment_terms_days = 30
    profile.credit_limit = Decimal("5000.00")
    profile.save()
    return user


def test_guests_are_sent_to_log_in_and_back(client, retail):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/portal/"


def test_retail_customers_are_sent_to_apply_with_an_explanation(customer_client):
    response = customer_client.get("/portal/", follow=True)
    assert response.redirect_chain == [("/wholesale/apply/", 302)]
    assert "The trade portal is for approved wholesale customers" in response.content.decode()


def test_a_trade_buyer_sees_company_group_terms_and_links(client, buyer):
    client.force_login(buyer)
    response = client.get("/portal/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Trade portal",
        "Atelier Martin SARL",
        "FR40303265045",
        '<dd class="customer-group">Wholesale</dd>',
        "30 days net",
        "€5,000.00",
        "€150.00 excluding VAT",  # the group's minimum order
        "Browse the catalogue",
    ]:
        assert text in body, text
    for url_name, label in [
        ("orders:list", "Your orders"),
        ("cart:quick_order", "Quick order by SKU"),
    ]:
        assert f'<a href="{reverse(url_name)}">{label}</a>' in body


def test_the_header_links_to_the_portal_for_trade_buyers_only(client, buyer, customer):
    client.force_login(buyer)
    assert 'href="/portal/"' in client.get("/").content.decode()
    client.force_login(customer)
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/portal/"' not in header


def test_leaving_the_group_closes_the_portal_on_the_next_request(client, buyer, retail):
    client.force_login(buyer)
    assert client.get("/portal/").status_code == 200
    services.customer_move_to_group(user_ids=[buyer.pk], group=retail)
    assert client.get("/portal/")["Location"] == "/wholesale/apply/"


def test_logging_out_closes_the_portal(client, buyer):
    client.force_login(buyer)
    client.post("/accounts/logout/")
    assert client.get("/portal/")["Location"].startswith("/accounts/login/")
