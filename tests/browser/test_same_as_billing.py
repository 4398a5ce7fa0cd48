"""At checkout the new shipping address shows, and is required, only while "a new address" is
chosen (static/js/checkout-addresses.js); with "same as billing" it is hidden and the order goes
on without it."""

import pytest
from playwright.sync_api import expect

from shop.models import Product

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_shipping_fields_follow_the_same_as_billing_choice(page, live_server, demo_shop):
    page.goto(f"{live_server.url}/p/{Product.objects.get(sku='KIT-102').slug}/")
    page.locator("form.add-to-cart button[type=submit]").click()
    page.goto(live_server.url + "/checkout/")
    name = page.locator("#id_shipping-full_name")
    expect(page.locator("input[name=shipping_choice][value=same]")).to_be_checked()
    expect(name).to_be_hidden()
    expect(page.locator("#id_billing-full_name")).to_have_attribute("required", "")

    page.locator("input[name=shipping_choice][value=new]").check()
    expect(name).to_be_visible()
    expect(name).to_have_attribute("required", "")
    expect(page.locator("#id_shipping-company")).not_to_have_attribute("required", "")

    page.locator("input[name=shipping_choice][value=same]").check()
    expect(name).to_be_hidden()
    expect(name).not_to_have_attribute("required", "")
