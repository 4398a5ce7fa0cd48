"""End to end: a visitor applies for a trade account, the manager approves it in the admin,
the buyer logs in and works in the trade portal."""

import re

import pytest
from playwright.sync_api import expect

from tests.customers.emails import welcome_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-trade-password"


def test_visitor_applies_manager_approves_buyer_reaches_portal(
    page, live_server, demo_shop, mailoutbox
):
    # A visitor opens an account and applies in one form.
    page.goto(live_server.url + "/wholesale/apply/")
    page.get_by_label("Email address").fill("buyer@bistro-lumiere.example")
    page.get_by_label("Your name").fill("Lucie Lumière")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Company name").fill("Bistro Lumière")
    page.get_by_label("VAT id").fill("FR 40 303265045")
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Phone").fill("+33 1 23 45 67 89")
    page.get_by_label("Expected monthly volume").select_option(label="€1,000 to €5,000")
    page.get_by_label("Message").fill("Two restaurants in Paris.")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/accounts/signup/sent/")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    # The welcome email's link logs the new account in.
    page.goto(live_server.url + welcome_link("buyer@bistro-lumiere.example"))
    page.get_by_role("button", name="Log in to my account").click()
    page.wait_for_url("**/accounts/")
    assert "Pending review" in page.locator(".application-status").inner_text()
    # Not a trade customer yet: the portal sends them back to the application page.
    page.goto(live_server.url + "/portal/")
    page.wait_for_url("**/wholesale/apply/")
    assert page.get_by_role("heading", name="Your application is being reviewed").is_visible()
    subjects = [message.subject for message in mailoutbox]
    assert "We received your trade account application" in subjects
    assert "New trade account application: Bistro Lumière" in subjects
    page.context.clear_cookies()

    # The manager approves it in the admin; pending applications come first.
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Email address").fill("manager@example.com")
    page.get_by_label("Password").fill("comptoir-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Wholesale applications").first.click()
    page.wait_for_url("**/admin/customers/wholesaleapplication/")
    rows = page.locator("#result_list tbody tr")
    assert all("Pending review" in rows.nth(i).inner_text() for i in range(2))
    row = rows.filter(has_text="Bistro Lumière")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Approve selected applications")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", name="Approve applications")).to_be_visible()
    assert page.get_by_label("Customer group").locator("option:checked").inner_text() == (
        "Wholesale"
    )
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 application approved")).to_be_visible()
    row = page.locator("#result_list tbody tr").filter(has_text="Bistro Lumière")
    assert "Approved" in row.inner_text()
    assert "manager@example.com" in row.inner_text()
    assert any(m.subject == "Your Comptoir trade account is open" for m in mailoutbox)
    page.context.clear_cookies()

    # The buyer logs in and reaches the portal with their trade terms.
    page.goto(live_server.url + "/portal/")
    page.wait_for_url(re.compile(r".*/accounts/login/\?next=/portal/$"))
    page.get_by_label("Email address").fill("buyer@bistro-lumiere.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="Trade portal", level=1).is_visible()
    terms = page.locator(".summary").first.inner_text()
    assert "Bistro Lumière" in terms
    assert "FR40303265045" in terms
    assert "Wholesale" in terms
    assert "30 days net" in terms
    assert "€5,000.00" in terms
    assert page.get_by_role("link", name="Browse the catalogue").is_visible()
    assert (
        page.get_by_role("navigation", name="Account")
        .get_by_role("link", name="Trade portal")
        .is_visible()
    )
