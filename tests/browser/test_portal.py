"""End to end in Chromium: the company admin finds a colleague's order in the company's history,
filters it by who placed it and opens it; a buyer of a company that keeps orders private does
not see it. The dashboard's long values wrap instead of overflowing on a phone."""

import re

import pytest
from playwright.sync_api import expect

from customers.companies.models import CompanyRole
from customers.models import CustomerGroup
from tests.factories import (
    DEFAULT_PASSWORD,
    CompanyFactory,
    CompanyMemberFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def company(demo_shop):
    wholesale = CustomerGroup.objects.get(slug="wholesale")
    return CompanyFactory(name="Brasserie du Port", vat_id="FR40303265045", group=wholesale)


def member(company, role, email, full_name):
    user = UserFactory(email=email, full_name=full_name, group=company.group)
    CompanyMemberFactory(company=company, user=user, role=role)
    return user


def log_in(page, live_server, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("main input[name=username]").fill(user.email)
    page.locator("main input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


def test_the_admin_finds_a_colleagues_order_the_buyer_does_not(page, live_server, company):
    admin = member(company, CompanyRole.ADMIN, "alice@brasserie.example", "Alice Admin")
    buyer = member(company, CompanyRole.BUYER, "bob@brasserie.example", "Bob Buyer")
    bobs = OrderFactory(user=buyer, company=company, company_name=company.name)
    OrderLineFactory(order=bobs, sku="OIL-5L", name="Olive oil 5 L")
    alices = OrderFactory(user=admin, company=company, company_name=company.name)

    log_in(page, live_server, admin, "/accounts/orders/")
    expect(page.get_by_role("heading", name="Company orders", level=1)).to_be_visible()
    table = page.locator("table.order-list")
    expect(table.get_by_role("link", name=bobs.number)).to_be_visible()
    expect(table.get_by_role("link", name=alices.number)).to_be_visible()

    page.get_by_label("Placed by").select_option(label="Bob Buyer")
    page.get_by_role("button", name="Show orders").click()
    page.wait_for_url(re.compile(rf".*placed_by={buyer.pk}"))
    expect(page.get_by_label("Placed by")).to_have_value(str(buyer.pk))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name=alices.number)).to_have_count(0)

    table.get_by_role("link", name=bobs.number).click()
    page.wait_for_url(f"**/accounts/orders/{bobs.number}/")
    expect(page.get_by_role("heading", name=f"Order {bobs.number}")).to_be_visible()
    expect(page.locator("dd.order-placer")).to_have_text("Bob Buyer (Brasserie du Port)")
    expect(page.get_by_text("Olive oil 5 L")).to_be_visible()

    log_in(page, live_server, buyer, "/accounts/orders/")
    expect(page.get_by_role("heading", name="My orders", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=bobs.number)).to_be_visible()
    expect(page.get_by_role("link", name=alices.number)).to_have_count(0)
    page.goto(f"{live_server.url}/accounts/orders/{alices.number}/")
    expect(page.get_by_role("heading", name=f"Order {alices.number}")).to_have_count(0)


@pytest.mark.parametrize("width", [320, 375])
def test_long_values_of_the_terms_wrap_on_a_phone(page, live_server, company, width):
    admin = member(
        company,
        CompanyRole.ADMIN,
        "purchasing.department.central.kitchen@brasserie-du-port-restaurants.example",
        "Alice Admin",
    )
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, admin, "/portal/")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.summary dd')]
            .filter(dd => dd.scrollWidth > dd.clientWidth + 1)
            .map(dd => dd.textContent.trim())"""
    )
    assert overflowing == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
