"""End to end in Chromium on the demo shop: a shopper shares their cart; a guest in another
browser opens the link, adds the lines to their own cart and pays by bank transfer; the
shopper then sees that the shared cart was ordered."""

import re

import pytest
from playwright.sync_api import expect

from shop.models import Order, Product, SharedCart
from tests.browser.test_checkout_journeys import fill_address, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_guest_pays_a_cart_a_shopper_shared(page, browser, live_server, demo_shop):
    skillet = Product.objects.get(sku="KIT-102")
    tumbler = Product.objects.get(sku="GAR-203")

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, "shopper@example.com")
    for product, quantity in [(skillet, "2"), (tumbler, "1")]:
        page.goto(f"{live_server.url}/p/{product.slug}/")
        page.get_by_label("Quantity", exact=True).fill(quantity)
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_text(f"Added to your cart: {product.name}")).to_be_visible()

    page.goto(live_server.url + "/cart/")
    panel = page.locator(".share-panel")
    expect(panel).to_contain_text("as it is when you share it")
    panel.get_by_label("Your first name (optional)").fill("Sam")
    panel.get_by_label("A note (optional)").fill("For the holiday, thank you!")
    panel.get_by_role("button", name="Share this cart").click()
    expect(page.get_by_role("heading", name="Your link is ready")).to_be_visible()
    link = page.get_by_label("Shared cart link").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/cart/shared/[\w-]{{43}}/", link)

    guest_context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        guest = guest_context.new_page()
        guest.set_default_timeout(10_000)
        guest.goto(link)
        expect(guest.get_by_role("heading", name="Sam shared a cart with you")).to_be_visible()
        expect(guest.get_by_text("For the holiday, thank you!")).to_be_visible()
        rows = guest.locator("tbody tr")
        expect(rows.filter(has_text=skillet.name)).to_be_visible()
        expect(rows.filter(has_text=tumbler.name)).to_be_visible()
        expect(guest.locator("body")).not_to_contain_text("shopper@example.com")
        guest.get_by_role("button", name="Add these to my cart").click()

        guest.wait_for_url("**/cart/")
        added = guest.get_by_text("2 lines of the shared cart added to your cart.")
        expect(added).to_be_visible()
        guest.get_by_role("link", name="Check out").click()
        guest.wait_for_url("**/checkout/")
        guest.get_by_label("Email").fill("paying.parent@example.com")
        fill_address(guest, "billing")
        guest.get_by_role("button", name="Continue to shipping and payment").click()
        guest.wait_for_url("**/checkout/delivery/")
        guest.get_by_label(re.compile("^Standard")).check()
        guest.get_by_label(re.compile("^Bank transfer")).check()
        guest.get_by_role("button", name="Review my order").click()
        guest.wait_for_url("**/checkout/review/")
        terms = guest.locator("input[type=checkbox][name*=terms]")
        if terms.count():
            terms.first.check()
        guest.get_by_role("button", name=re.compile(r"^Place order and pay €")).click()
        expect(guest.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    finally:
        guest_context.close()

    order = Order.objects.get(email="paying.parent@example.com")
    assert sorted((line.sku, line.quantity) for line in order.lines.all()) == [
        ("GAR-203", 1),
        ("KIT-102", 2),
    ]
    assert SharedCart.objects.get().order == order

    page.goto(live_server.url + "/cart/shared/")
    row = page.locator(".share-links tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ordered on")
    expect(page.locator("main")).not_to_contain_text("paying.parent")
    expect(page.locator("main")).not_to_contain_text(order.number)
