import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_browse_category_product_and_search(page, live_server, demo_shop):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Shop by category").is_visible()

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Kitchen").click()
    page.wait_for_url("**/c/kitchen/")
    assert page.get_by_role("heading", level=1, name="Kitchen").is_visible()
    assert page.locator(".product-card").count() > 0

    page.get_by_role("link", name="Knives").first.click()
    page.wait_for_url("**/c/knives/")
    page.locator(".product-card-link").first.click()
    page.wait_for_url("**/p/**")
    assert page.get_by_text("SKU").first.is_visible()
    assert page.get_by_label("Quantity").is_visible()
    assert "€" in page.locator(".product-info .price-amount").inner_text()

    page.get_by_label("Search the catalogue").fill("skillet")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=skillet")
    assert "skillet" in page.locator(".product-grid").inner_text().lower()

    page.get_by_label("Search the catalogue").fill("no-such-thing-anywhere")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("Nothing matches").is_visible()


def test_demo_user_logs_in_and_out(page, live_server, demo_shop):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("Shopper@Example.com")
    page.get_by_label("Password").fill("comptoir-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/")
    assert page.get_by_role("heading", name="My account").is_visible()
    assert page.get_by_text("shopper@example.com").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Log in").is_visible()


def test_wrong_password_keeps_the_email_and_explains(page, live_server, demo_shop):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("shopper@example.com")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_by_label("Email address").input_value() == "shopper@example.com"
