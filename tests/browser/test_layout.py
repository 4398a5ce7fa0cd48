"""The page layout in both directions: Arabic mirrors, every page reflows to 320 px (WCAG 1.4.10)
without horizontal scrolling, and the language switcher works without JavaScript."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STOREFRONT = ["/", "/c/kitchen/", "product", "/cart/", "/checkout/"]


@pytest.fixture
def open_context(browser, live_server):
    """New browser contexts at a given width and language, closed after the test."""
    contexts = []

    def open_(width, language=None, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        if language:
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


# Whether, in the first text node holding `text`, the glyphs of `first` are drawn left of `then`.
LEFT_OF = """([text, first, then]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.data.includes(text));
  const at = (word) => {
    const range = document.createRange(), start = node.data.indexOf(text) + text.indexOf(word);
    range.setStart(node, start);
    range.setEnd(node, start + word.length);
    return range.getBoundingClientRect().left;
  };
  return at(first) < at(then);
}"""


def add_a_line(page, base_url) -> str:
    """Put the first Kitchen product in the cart with the card's own form; return its path."""
    page.goto(base_url + "/c/kitchen/")
    product = page.locator(".product-card-link").first.get_attribute("href")
    page.locator(".card-add .button").first.click()
    page.wait_for_url("**/c/kitchen/**")
    return product


def widths(page, base_url, product) -> dict[str, tuple[int, int]]:
    """Each storefront page's document width and the viewport's."""
    measured = {}
    for path in STOREFRONT:
        page.goto(base_url + (product if path == "product" else path))
        measured[path] = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    return measured


@pytest.mark.parametrize("width", [320, 1366])
def test_arabic_pages_are_right_to_left_and_never_scroll_sideways(
    open_context, live_server, demo_shop, width
):
    page = open_context(width, language="ar")
    product = add_a_line(page, live_server.url)
    # The flash message is a live region around a real list (a role on the <ul> hid its items).
    assert page.locator("[role=status] > ul > li.message").count() == 1
    assert page.locator("ul[role]").count() == 0
    # ... that still looks as it did: no bullet, no indent.
    message = page.locator("[role=status] li.message")
    assert message.evaluate("el => getComputedStyle(el).listStyleType") == "none"
    assert message.evaluate("el => el.getBoundingClientRect().right") == page.locator(
        "main"
    ).evaluate("el => el.getBoundingClientRect().right")

    for path, (scroll_width, viewport_width) in widths(page, live_server.url, product).items():
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert page.locator("html").get_attribute("lang") == "ar", path
        assert (scroll_width, viewport_width) == (width, width), path


def test_english_pages_fit_320_px_with_the_whole_search_form(open_context, live_server, demo_shop):
    page = open_context(320)
    product = add_a_line(page, live_server.url)
    for path, (scroll_width, viewport_width) in widths(page, live_server.url, product).items():
        assert page.locator("html").get_attribute("dir") == "ltr", path
        assert (scroll_width, viewport_width) == (320, 320), path
        search = page.get_by_role("search").get_by_role("button").bounding_box()
        assert search["x"] >= 0 and search["x"] + search["width"] <= 320, path
    # The checkout's fieldsets drawn as panels keep the panel's padding around their fields.
    panel = page.locator("fieldset.panel").first
    assert panel.locator("input").first.bounding_box()["x"] - panel.bounding_box()["x"] >= 16


def test_the_skip_link_is_hidden_in_place_and_shows_when_focused(
    open_context, live_server, demo_shop
):
    page = open_context(1366, language="ar")
    page.goto(live_server.url + "/")
    skip = page.locator(".skip-link")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    # Focused, it shows at the inline start: the right edge of a right-to-left page.
    assert box["width"] > 50 and 1366 - 40 <= box["x"] + box["width"] <= 1366


def test_the_language_switcher_works_without_javascript(open_context, live_server, demo_shop):
    page = open_context(390, javascript=False)
    page.goto(live_server.url + "/c/kitchen/?page=1")
    header_switch = page.locator(".site-header form.language-form")
    options = header_switch.locator("option")
    assert options.all_inner_texts() == ["English", "Français", "العربيّة"]
    assert [options.nth(i).get_attribute("lang") for i in range(3)] == ["en", "fr", "ar"]
    assert page.get_by_label("Language", exact=True).evaluate("el => el.id") == "language-header"
    assert page.get_by_label("Language of the shop").evaluate("el => el.id") == "language-footer"

    header_switch.locator("select").select_option("ar")
    header_switch.get_by_role("button").click()
    page.wait_for_url("**/c/kitchen/?page=1")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#language-footer").input_value() == "ar"

    footer_switch = page.locator(".site-footer form.language-form")
    footer_switch.locator("select").select_option("fr")
    footer_switch.get_by_role("button").click()
    page.wait_for_url("**/c/kitchen/?page=1")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "fr"


def test_an_arabic_order_and_its_invoice_mirror_and_keep_numbers_left_to_right(
    open_context, live_server, demo_shop
):
    from tests.factories import OrderFactory, OrderLineFactory

    line = OrderLineFactory(order=OrderFactory(), sku="KIT-101")
    order_url = f"{live_server.url}/orders/{line.order.number}/{line.order.access_token}/"
    page = open_context(320, language="ar")
    for url in [order_url, order_url + "invoice/"]:
        page.goto(url)
        assert page.locator("html").get_attribute("dir") == "rtl", url
        assert page.evaluate("document.documentElement.scrollWidth") == 320, url
    # A French address keeps its order on the Arabic invoice: the number before the street.
    assert page.evaluate(LEFT_OF, ["3 rue des Lilas", "3", "rue"])
    page.goto(order_url)
    # Terms and values stack at 320 px: beside "Account holder", the IBAN and the payment
    # reference were left a few letters a line.
    values = page.locator("dl.summary dd")
    assert values.count() > 3
    assert min(values.nth(i).bounding_box()["width"] for i in range(values.count())) > 200
    sku = page.locator(".order-table .ltr").filter(has_text="KIT-101").first
    assert sku.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert sku.evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"


def test_a_price_beside_an_arabic_label_is_drawn_as_the_arabic_locale_writes_it(
    open_context, live_server, demo_shop
):
    page = open_context(320, language="ar")
    add_a_line(page, live_server.url)
    page.goto(live_server.url + "/cart/")
    with translation.override("ar"):
        label = gettext("Unit price")
    cell = page.locator(f".cart-table td[data-label='{label}']").first
    amount = re.search(r"(\d[\d,]*\.\d\d)\xa0€", cell.inner_text()).group(1)
    # "‏12.50 €" in a right-to-left line: the sign at the amount's left, the amount whole,
    # however the isolated Arabic label before it is written.
    assert page.evaluate(LEFT_OF, [f"{amount}\xa0€", "€", amount[0]])
