"""A guest purchase and a trade quick order with the keyboard only (Tab, Shift+Tab, arrows,
Enter, Space and typing; never the mouse), the focus visible at every step."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from shop.models import Order, Product

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
MAX_TABS = 250

FOCUS_VISIBLE = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
}"""


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector: str, *, backwards: bool = False):
    """Press Tab (or Shift+Tab) until the focus is on `selector`; the focus must show."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            assert page.evaluate(FOCUS_VISIBLE), f"the focus on {selector} is not visible"
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


def arrow_to(page, selector: str):
    """Move within a group of radios with the arrow keys until `selector` is checked."""
    for _ in range(10):
        if focused_matches(page, selector):
            break
        page.keyboard.press("ArrowDown")
    assert focused_matches(page, selector + ":checked"), selector
    assert page.evaluate(FOCUS_VISIBLE), f"the focus on {selector} is not visible"


def type_into(page, selector: str, text: str):
    tab_to(page, selector)
    page.keyboard.type(text)


def press_and_wait(page, selector: str, key: str = "Enter"):
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press(key)


def at(page, path: str):
    """On `path` (the fragment of a link followed before a redirect may stay on the URL)."""
    assert urlsplit(page.url).path == path, page.url


def fill_billing_address(page):
    type_into(page, "#id_billing-full_name", "Alice Martin")
    type_into(page, "#id_billing-line1", "3 rue des Lilas")
    type_into(page, "#id_billing-postal_code", "69002")
    type_into(page, "#id_billing-city", "Lyon")
    tab_to(page, "#id_billing-country")
    expect(page.locator("#id_billing-country")).to_have_value("FR")  # the shop's country


def test_a_guest_buys_with_the_keyboard_only(page, live_server, demo_shop):
    page.goto(f"{live_server.url}/p/{Product.objects.get(sku='KIT-102').slug}/")
    press_and_wait(page, "form.add-to-cart button[type=submit]")
    press_and_wait(page, "a.cart-link")
    press_and_wait(page, 'main a[href="/checkout/"]')

    at(page, "/checkout/")
    # A submit with nothing typed: the error summary takes the focus and links to the fields.
    press_and_wait(page, "form.checkout-form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_focused()
    tab_to(page, '.error-summary a[href="#id_email"]')
    page.keyboard.press("Enter")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("keyboard.buyer@example.com")
    fill_billing_address(page)
    tab_to(page, "input[name=shipping_choice][value=same]")
    assert focused_matches(page, ":checked")
    press_and_wait(page, "form.checkout-form button[type=submit]")

    at(page, "/checkout/delivery/")
    tab_to(page, "input[name=shipping_method]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=payment_method]")
    arrow_to(page, "input[name=payment_method][value=bank_transfer]")
    press_and_wait(page, "form.checkout-form button[type=submit]")

    at(page, "/checkout/review/")
    tab_to(page, "input[name=accept_terms]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=accept_terms]")).to_be_checked()
    press_and_wait(page, "form.place-order-form button[type=submit]")

    assert "/orders/" in page.url
    order = Order.objects.get(email="keyboard.buyer@example.com")
    assert order.payment_method == "bank_transfer"
    assert order.number in page.locator("main").inner_text()


def test_a_trade_buyer_quick_orders_with_the_keyboard_only(page, live_server, demo_shop):
    page.goto(live_server.url + "/accounts/login/?next=/portal/quick-order/")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("wholesale@example.com")
    type_into(page, "#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    at(page, "/portal/quick-order/")
    type_into(page, "textarea[name=lines]", "KIT-102 5")
    page.keyboard.press("Enter")
    page.keyboard.type("OFF-201 12")
    press_and_wait(page, "form.quick-order-form button[type=submit]")

    at(page, "/cart/")
    press_and_wait(page, 'main a[href="/checkout/"]')
    at(page, "/checkout/")
    if page.locator("input[type=radio][name=billing_choice]").count():  # saved addresses
        tab_to(page, "input[name=billing_choice]:checked")
    else:
        fill_billing_address(page)
    press_and_wait(page, "form.checkout-form button[type=submit]")

    at(page, "/checkout/delivery/")
    tab_to(page, "input[name=shipping_method]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=payment_method]")
    arrow_to(page, "input[name=payment_method][value=on_account]")
    press_and_wait(page, "form.checkout-form button[type=submit]")

    at(page, "/checkout/review/")
    press_and_wait(page, "form.place-order-form button[type=submit]")
    assert "/orders/" in page.url
    order = Order.objects.get(user__email="wholesale@example.com")
    assert order.payment_method == "on_account"
    assert sorted(line.sku for line in order.lines.all()) == ["KIT-102", "OFF-201"]
