"""End to end in Chromium on the demo shop: a guest buys two products; the demo wholesale
buyer quick-orders by SKU, fixes a refused line, pays on account and sees the credit used;
the manager marks that order paid in the admin."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shop.models import Order, Product

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
ADDRESS = {
    "full_name": "Alice Martin",
    "line1": "3 rue des Lilas",
    "postal_code": "69002",
    "city": "Lyon",
}


def fill_address(page, prefix: str):
    for name, value in ADDRESS.items():
        page.locator(f"#id_{prefix}-{name}").fill(value)
    page.locator(f"#id_{prefix}-country").select_option("FR")


def log_in(page, email: str):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_guest_buys_two_products_and_sees_the_confirmation(
    page, live_server, demo_shop, mailoutbox
):
    skillet = Product.objects.get(sku="KIT-102")
    tumbler = Product.objects.get(sku="GAR-203")
    stock_before = (skillet.stock, tumbler.stock)

    for product, quantity in [(skillet, "2"), (tumbler, "1")]:
        page.goto(f"{live_server.url}/p/{product.slug}/")
        page.get_by_label("Quantity", exact=True).fill(quantity)
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_text(f"Added to your cart: {product.name}")).to_be_visible()

    page.goto(live_server.url + "/cart/")
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text=skillet.name)).to_be_visible()
    expect(rows.filter(has_text=tumbler.name)).to_be_visible()
    page.get_by_role("link", name="Check out").click()

    page.wait_for_url("**/checkout/")
    page.get_by_label("Email").fill("guest.buyer@example.com")
    fill_address(page, "billing")
    page.get_by_role("button", name="Continue to shipping and payment").click()

    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Standard")).check()
    page.get_by_label(re.compile("^Bank transfer")).check()
    page.get_by_role("button", name="Review my order").click()

    page.wait_for_url("**/checkout/review/")
    place = page.get_by_role("button", name=re.compile(r"^Place order and pay €"))
    shown_total = re.search(r"€([\d,]+\.\d\d)", place.inner_text()).group(1)
    # Consumers accept the terms of sale: the browser keeps the order until the box is ticked.
    place.click()
    assert page.url.endswith("/checkout/review/") and not Order.objects.exists()
    page.get_by_label(re.compile("I have read and accept the terms of sale")).check()
    place.click()

    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    order = Order.objects.get(email="guest.buyer@example.com")
    assert order.terms_version.page.kind == "terms" and order.terms_accepted_at
    assert order.number in page.locator(".confirmation").inner_text()
    assert re.search(rf"/orders/{order.number}/[\w-]+/$", page.url)
    assert order.total == Decimal(shown_total.replace(",", ""))
    assert sorted((line.sku, line.quantity) for line in order.lines.all()) == [
        ("GAR-203", 1),
        ("KIT-102", 2),
    ]
    skillet.refresh_from_db()
    tumbler.refresh_from_db()
    assert (skillet.stock, tumbler.stock) == (stock_before[0] - 2, stock_before[1] - 1)
    assert [m.to for m in mailoutbox if order.number in m.subject] == [["guest.buyer@example.com"]]
    # The cart is empty after the order.
    page.goto(live_server.url + "/cart/")
    expect(page.get_by_text("Your cart is empty")).to_be_visible()


def test_wholesale_quick_order_pay_on_account_and_manager_marks_it_paid(
    page, live_server, demo_shop
):
    page.goto(live_server.url + "/portal/quick-order/")
    log_in(page, "wholesale@example.com")
    page.wait_for_url("**/portal/quick-order/")

    # Five SKUs; Bistro Lumière buys gel pens in boxes of 6 (its own quantity rule, over the
    # wholesale group's boxes of 12), so 10 is refused and kept to fix.
    lines = page.get_by_label("SKU and quantity, one product per line")
    lines.fill("KIT-102 5\nGAR-203 10\nCLE-201 6\nOFF-302 3\nOFF-201 10")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("4 lines added to your cart.")).to_be_visible()
    refused = page.locator(".rejected-lines")
    expect(refused).to_contain_text("OFF-201 10")
    expect(refused).to_contain_text(
        "Your company's orders of Classic gel pen must be in packs of 6"
    )
    expect(lines).to_have_value("OFF-201 10")

    lines.fill("OFF-201 12")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    for sku_name in ["Pro stainless saucepan", "Compact watering can", "Classic gel pen"]:
        expect(page.locator("tbody tr").filter(has_text=sku_name)).to_be_visible()
    page.get_by_role("link", name="Check out").click()

    page.wait_for_url("**/checkout/")
    new_billing = page.locator("input[type=radio][name=billing_choice][value=new]")
    if new_billing.count():  # the buyer has saved addresses: choose a new one
        new_billing.check()
    fill_address(page, "billing")
    page.get_by_role("button", name="Continue to shipping and payment").click()

    page.wait_for_url("**/checkout/delivery/")
    credit_before = page.locator(".credit-available").inner_text()
    assert credit_before == "€5,000.00"
    page.get_by_label(re.compile("^Freight")).check()
    page.get_by_label(re.compile("^Pay on account")).check()
    page.get_by_role("button", name="Review my order").click()

    page.wait_for_url("**/checkout/review/")
    page.get_by_role("button", name=re.compile(r"^Place order and pay €")).click()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    order = Order.objects.get(user__email="wholesale@example.com")
    assert order.payment_method == "on_account" and order.payment_due is not None
    assert len(order.lines.all()) == 5
    used = page.locator(".credit-used").inner_text()
    assert used == f"€{order.total:,.2f}"
    left = Decimal("5000.00") - order.total
    assert page.locator(".credit-available").inner_text() == f"€{left:,.2f}"
    expect(page.locator(".order-summary")).to_contain_text("Invoice open")
    page.context.clear_cookies()

    # The manager finds the order in the admin and marks it paid.
    page.goto(live_server.url + "/admin/shop/order/")
    log_in(page, "manager@example.com")
    page.wait_for_url("**/admin/shop/order/")
    page.locator("#searchbar").fill(order.number)
    page.locator("#changelist-search").get_by_role("button").click()
    row = page.locator("#result_list tbody tr").filter(has_text=order.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Bistro Lumière")  # the demo company
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Mark selected orders paid")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 order marked paid.")).to_be_visible()
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None

    # On the order page, the manager sees the status and that nothing is owed any more.
    page.locator("#result_list").get_by_role("link", name=order.number).click()
    expect(page.locator(".field-open_balance")).to_contain_text("€0.00")
    expect(page.get_by_label("Status")).to_have_value("paid")
