"""End to end in Chromium on the demo shop: manager@ takes a phone order for wholesale@ (the
admin of Bistro Lumière) in the admin, at wholesale@'s own prices (his negotiated chef's knife,
the wholesale group's discount); the order is in the order list, taken by manager@, and in the
dashboard's figure of today."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.money import format_money
from customers import selectors as customer_selectors
from pricing import carts as pricing_carts
from shop.models import Order, Product
from shop.reports import selectors as report_selectors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
ADDRESS = {
    "full_name": "Wendy Wholesale",
    "company": "Bistro Lumière",
    "line1": "8 place Bellecour",
    "postal_code": "69002",
    "city": "Lyon",
}
SCREENSHOTS = os.environ.get("TAKE_ORDER_SCREENSHOTS")  # a folder, to look at the pages


def shoot(page, name: str):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-1280.png"), full_page=True)


def test_a_manager_takes_a_phone_order_at_the_customers_prices(
    page, live_server, demo_shop, mailoutbox
):
    from django.contrib.auth import get_user_model

    customer = get_user_model().objects.get(email="wholesale@example.com")
    knife, skillet = Product.objects.get(sku="KIT-201"), Product.objects.get(sku="KIT-101")
    own_prices = pricing_carts.price_cart(
        [(knife, 2), (skillet, 12)],
        customer=customer,
        group=customer_selectors.group_for(customer),
        country="FR",
    )
    knife_price, skillet_price = (line.display_unit_price for line in own_prices.lines)
    assert knife_price == Decimal("19.90")  # his negotiated price, not the group's

    today_before = report_selectors.order_figures(today=report_selectors.shop_today()).today

    page.goto(live_server.url + "/admin/shop/order/")
    page.locator("input[name=username]").fill("manager@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/shop/order/")
    page.get_by_role("link", name="Take an order for a customer").click()
    page.wait_for_url("**/admin/shop/order/take/")
    page.get_by_role("searchbox", name="Customer").fill("Bistro")
    page.get_by_role("button", name="Search").click()
    shoot(page, "take-1-customer")
    page.get_by_role("link", name="Take an order for wholesale@example.com").click()
    page.wait_for_url(f"**/admin/shop/order/take/{customer.pk}/")

    page.get_by_label("SKU and quantity, one product per line").fill("KIT-201 2\nKIT-101 12")
    billing_new = page.locator("input[name=billing][value=new]")
    if billing_new.is_checked():  # no saved address in his book: type one
        for name, value in ADDRESS.items():
            page.locator(f"#id_billing-{name}").fill(value)
        page.locator("#id_billing-country").select_option("FR")
    shoot(page, "take-2-lines")
    page.get_by_role("button", name="Review prices and totals").click()

    table = page.locator("table.take-order-priced")
    expect(table).to_contain_text(format_money(knife_price))
    expect(table).to_contain_text(format_money(skillet_price))
    shoot(page, "take-3-review")
    page.get_by_role("button", name=re.compile(r"^Place the order \(€")).click()

    page.wait_for_url(re.compile(r".*/admin/shop/order/\d+/change/$"))
    order = Order.objects.get(user=customer, taken_by__email="manager@example.com")
    expect(page.locator(".messagelist")).to_contain_text(f"Order {order.number} placed")
    expect(page.locator(".field-taken_by_shown")).to_contain_text("manager@example.com")
    shoot(page, "take-4-order")
    assert [message.to for message in mailoutbox] == [["wholesale@example.com"]]

    page.goto(live_server.url + "/admin/shop/order/")
    expect(page.locator("#result_list")).to_contain_text(order.number)
    page.goto(live_server.url + "/admin/")
    figures = report_selectors.order_figures(today=report_selectors.shop_today())
    assert figures.today.orders == today_before.orders + 1
    assert figures.today.gross == today_before.gross + order.total
    expect(page.locator("#shop-dashboard")).to_contain_text(format_money(figures.today.gross))
    shoot(page, "take-5-dashboard")
