"""A company admin decides, on the colleagues page, whether buyers see all the company's orders."""

import pytest

from tests.factories import CompanyMemberFactory, OrderFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/portal/company/settings/"


def test_an_admin_lets_buyers_see_every_order_of_the_company(client, company, admin):
    buyer = CompanyMemberFactory(company=company, role="buyer").user
    colleague_order = OrderFactory(user=admin, company=company)
    client.force_login(buyer)
    assert colleague_order.number not in client.get("/accounts/orders/").content.decode()

    client.force_login(admin)
    page = client.get("/portal/company/").content.decode()
    assert 'name="buyers_see_company_orders"' in page
    response = client.post(SETTINGS, {"buyers_see_company_orders": "on"}, follow=True)
    assert "settings are saved" in response.content.decode()
    company.refresh_from_db()
    assert company.buyers_see_company_orders

    client.force_login(buyer)
    assert colleague_order.number in client.get("/accounts/orders/").content.decode()
    assert client.get(f"/accounts/orders/{colleague_order.number}/").status_code == 200

    client.force_login(admin)
    client.post(SETTINGS, {})  # unticked
    company.refresh_from_db()
    assert not company.buyers_see_company_orders


def test_buyers_read_the_setting_but_cannot_change_it(client, company, admin):
    buyer = CompanyMemberFactory(company=company, role="buyer").user
    client.force_login(buyer)
    page = client.get("/portal/company/").content.decode()
    assert 'name="buyers_see_company_orders"' not in page
    assert "Buyers see their own orders" in page
    assert client.post(SETTINGS, {"buyers_see_company_orders": "on"}).status_code == 403
    company.refresh_from_db()
    assert not company.buyers_see_company_orders


def test_an_admin_demoted_meanwhile_is_refused(client, company, admin):
    CompanyMemberFactory(company=company, role="admin")
    client.force_login(admin)
    client.get("/portal/company/")
    membership = admin.company_membership
    membership.role = "approver"
    membership.save()
    response = client.post(SETTINGS, {"buyers_see_company_orders": "on"})
    assert response.status_code == 403
    company.refresh_from_db()
    assert not company.buyers_see_company_orders


def test_the_settings_need_a_post(client, company, admin):
    client.force_login(admin)
    assert client.get(SETTINGS).status_code == 405
