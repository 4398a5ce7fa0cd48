"""End to end in Chromium on the demo shop: wholesale@ asks for a quote from his cart, the
manager offers a lower unit price in the admin, the buyer accepts it and pays by bank transfer
at the quoted price; the order line's explanation names the quote."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.money import format_money
from customers.models import User
from pricing import services as pricing_services
from shop.models import Order, Product, Quote
from tests.browser.conftest import place_order

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
ADDRESS = {
    "full_name": "Louise Lumière",
    "company": "Bistro Lumière",
    "line1": "3 rue des Lanternes",
    "postal_code": "69001",
    "city": "Lyon",
}


def log_in(page, email: str):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_buyer_requests_manager_offers_buyer_accepts_and_pays_the_quoted_price(
    page, live_server, demo_shop, mailoutbox
):
    buyer = User.objects.get(email="wholesale@example.com")
    kit = Product.objects.get(sku="KIT-101")
    usual = pricing_services.quote(kit, 12, customer=buyer).unit_price
    quoted = usual - Decimal("1.00")

    # The buyer fills his cart and asks for a quote from the cart page.
    page.goto(live_server.url + "/portal/quick-order/")
    log_in(page, "wholesale@example.com")
    page.wait_for_url("**/portal/quick-order/")
    page.get_by_label("SKU and quantity, one product per line").fill("KIT-101 12")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    page.get_by_role("link", name="Request a quote").click()
    page.wait_for_url("**/portal/quotes/from-cart/")
    page.get_by_label("Note for our sales team").fill("For the spring menu")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r".*/portal/quotes/Q-\d{4}-\d{4}/$"))
    expect(page.get_by_text("we will email you our offer")).to_be_visible()
    quote = Quote.objects.get(number=page.url.rstrip("/").rsplit("/", 1)[-1])
    page.context.clear_cookies()

    # The manager sees it waiting on the dashboard and sends the offer.
    page.goto(live_server.url + "/admin/")
    log_in(page, "manager@example.com")
    page.get_by_role("link", name=re.compile("Quotes waiting")).click()
    page.get_by_role("link", name=quote.number).click()
    page.get_by_role("link", name="Send the offer").click()
    line = quote.lines.get()
    valid_until = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Valid until (inclusive)").fill(valid_until.isoformat())
    page.locator(f"#id_price_{line.pk}").fill(str(quoted))
    page.get_by_label("Message to the buyer").fill("Our spring price")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text(f"The offer for {quote.number} is sent")).to_be_visible()
    [email] = [m for m in mailoutbox if quote.number in m.subject]
    assert email.to == ["wholesale@example.com"]
    page.context.clear_cookies()

    # The buyer follows the email's link, accepts and pays at the quoted price.
    page.goto(live_server.url + f"/portal/quotes/{quote.number}/")
    log_in(page, "wholesale@example.com")
    page.wait_for_url(f"**/portal/quotes/{quote.number}/")
    expect(page.get_by_text("Our spring price", exact=True)).to_be_visible()
    page.get_by_role("button", name="Accept and check out").click()
    page.wait_for_url("**/checkout/")
    expect(page.get_by_text(f"Quote {quote.number} is accepted")).to_be_visible()
    for name, value in ADDRESS.items():
        page.locator(f"#id_billing-{name}").fill(value)
    page.locator("#id_billing-country").select_option("FR")
    page.get_by_role("button", name="Continue to shipping and payment").click()
    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Freight")).check()
    page.get_by_label(re.compile("^Bank transfer")).check()
    page.get_by_role("button", name="Review my order").click()
    page.wait_for_url("**/checkout/review/")
    expect(page.get_by_text(f"Your cart carries quote {quote.number}")).to_be_visible()
    expect(page.get_by_text(format_money(quoted * 12)).first).to_be_visible()
    place_order(page)
    page.wait_for_url(re.compile(r".*/accounts/orders/CPT-\w+/.*"))

    order = Order.objects.filter(user=buyer).latest("placed_at")
    [order_line] = order.lines.all()
    assert (order_line.unit_price, order_line.quote) == (quoted, quote)
    assert any(quote.number in step for step in order_line.explanation)
    quote.refresh_from_db()
    assert (quote.state, quote.times_used) == ("accepted", 1)
