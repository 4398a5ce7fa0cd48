"""End to end in Chromium on the demo shop (its EU VAT rates seeded): a guest pays by card
through the dummy provider, once successfully, once refused."""

import re

import pytest
from playwright.sync_api import expect

from shop.models import CardPayment, Order, Product
from tests.browser.conftest import place_order

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADDRESS = {
    "full_name": "Alice Martin",
    "line1": "3 rue des Lilas",
    "postal_code": "69002",
    "city": "Lyon",
}


def buy_by_card(page, live_server, email: str) -> Order:
    product = Product.objects.get(sku="KIT-102")
    page.goto(f"{live_server.url}/p/{product.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"Added to your cart: {product.name}")).to_be_visible()
    page.goto(live_server.url + "/checkout/")
    page.get_by_label("Email").fill(email)
    for name, value in ADDRESS.items():
        page.locator(f"#id_billing-{name}").fill(value)
    page.locator("#id_billing-country").select_option("FR")
    page.get_by_role("button", name="Continue to shipping and payment").click()
    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Standard")).check()
    page.get_by_label(re.compile("^Card")).check()
    page.get_by_role("button", name="Review my order").click()
    page.wait_for_url("**/checkout/review/")
    place_order(page)
    expect(page.get_by_role("heading", name="Pay by card")).to_be_visible()
    order = Order.objects.get(email=email)
    assert order.payment_method == "card" and order.paid_at is None
    assert re.search(rf"/checkout/pay/{order.number}/[\w-]+/$", page.url)
    return order


def choose_outcome(page, status: str):
    page.locator("#id_status").select_option(status)
    page.locator("#id_gateway_response").select_option("3ds-disabled")
    page.get_by_role("button", name=re.compile(r"^Pay €")).click()


def test_a_guest_pays_by_card(page, live_server, demo_shop):
    order = buy_by_card(page, live_server, "card.buyer@example.com")
    choose_outcome(page, "confirmed")
    expect(page.get_by_role("heading", name="Thank you: your payment went through")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(order.number)
    assert page.url.endswith("/paid/")
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    assert CardPayment.objects.get(order=order).status == "confirmed"
    page.get_by_role("link", name="See my order").click()
    expect(page.locator(".order-summary")).to_contain_text("Paid")


def test_a_refused_card_payment_keeps_the_order_unpaid(page, live_server, demo_shop):
    order = buy_by_card(page, live_server, "unlucky.buyer@example.com")
    choose_outcome(page, "rejected")
    expect(page.get_by_role("heading", name="Your payment did not go through")).to_be_visible()
    assert page.url.endswith("/failed/")
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    order.refresh_from_db()
    assert order.status == "placed" and order.paid_at is None
    # Trying again with the bank transfer instead.
    page.get_by_role("button", name="Pay by bank transfer instead").click()
    how_to_pay = page.get_by_role("region", name="How to pay")
    expect(how_to_pay).to_contain_text(order.number)
    expect(how_to_pay).to_contain_text("IBAN")
    order.refresh_from_db()
    assert order.payment_method == "bank_transfer" and order.paid_at is None


def test_the_payment_page_fits_a_phone_without_sideways_scrolling(page, live_server, demo_shop):
    page.set_viewport_size({"width": 320, "height": 800})
    buy_by_card(page, live_server, "phone.buyer@example.com")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
