"""End to end in Chromium on the demo shop: the wholesale buyer saves the cart as a list,
empties the cart, and sends the list back to the cart."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"


def test_wholesale_buyer_saves_the_cart_as_a_list_and_adds_it_back(page, live_server, demo_shop):
    page.goto(live_server.url + "/portal/quick-order/")
    page.get_by_label("Email address").fill("wholesale@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/portal/quick-order/")
    page.get_by_label("SKU and quantity, one product per line").fill("KIT-102 5\nOFF-201 12")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")

    # Save the cart as a new list.
    page.get_by_text("Save cart as a list").click()
    page.get_by_label("Save to").select_option(label="A new list (name it below)")
    page.get_by_label("New list name").fill("Weekly restock")
    page.get_by_role("button", name="Save to list").click()
    expect(page.get_by_text("2 products saved to your list “Weekly restock”.")).to_be_visible()

    # Empty the cart.
    while page.locator(".cart-table").get_by_role("button", name="Remove").count():
        page.locator(".cart-table").get_by_role("button", name="Remove").first.click()
        page.wait_for_load_state()
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()

    # The list is in the portal; the whole list goes back to the cart.
    page.goto(live_server.url + "/portal/")
    page.get_by_role("link", name="Saved lists").click()
    page.get_by_role("link", name="Weekly restock").click()
    expect(page.get_by_role("heading", name="Weekly restock", level=1)).to_be_visible()
    expect(page.locator(".list-total")).to_contain_text("List total (excl. VAT)")
    page.get_by_role("button", name="Add the whole list to cart").click()
    page.wait_for_url("**/cart/")
    expect(page.get_by_text("2 lines added to your cart.")).to_be_visible()
    rows = page.locator(".cart-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Quantity of Classic gel pen")).to_have_value("12")
