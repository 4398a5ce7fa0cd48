"""A French and an Arabic browser each buy as a guest in their language: the pages, the money
in the locale's format, and the order email in the language of the purchase."""

import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from shop.models import Order, Product

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A price as each locale writes it: the digits, the grouping and decimal marks, the euro sign.
MONEY = {
    "fr": re.compile(r"(\d{1,3}(?:\u202f\d{3})*,\d\d)\xa0€"),
    "ar": re.compile(r"\u200f(\d{1,3}(?:,\d{3})*\.\d\d)\xa0€"),
}
ADDRESS = {"full_name": "Amina Haddad", "line1": "3 rue des Lilas", "postal_code": "69002"}


def words(language: str, message: str) -> str:
    """The page's text for `message` in `language`, which must be translated."""
    with translation.override(language):
        text = gettext(message)
    assert text != message, f"{message!r} is not translated into {language}"
    return text


def amount(language: str, text: str) -> Decimal:
    number = MONEY[language].search(text).group(1)
    if language == "fr":
        return Decimal(number.replace("\u202f", "").replace(",", "."))
    return Decimal(number.replace(",", ""))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_guest_buys_in_their_language(browser, live_server, demo_shop, mailoutbox, language):
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    skillet = Product.objects.get(sku="KIT-102")

    page.goto(f"{live_server.url}/p/{skillet.slug}/")
    assert page.locator("html").get_attribute("lang") == language
    assert MONEY[language].search(page.locator("main").inner_text())
    page.locator("#quantity").fill("2")
    page.get_by_role("button", name=words(language, "Add to cart")).click()

    page.goto(live_server.url + "/cart/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words(language, "Your cart"))
    page.get_by_role("link", name=words(language, "Check out")).click()

    page.wait_for_url("**/checkout/")
    page.locator("#id_email").fill(f"guest.{language}@example.com")
    for name, value in ADDRESS.items():
        page.locator(f"#id_billing-{name}").fill(value)
    page.locator("#id_billing-city").fill("Lyon")
    page.locator("#id_billing-country").select_option("FR")
    page.get_by_role("button", name=words(language, "Continue to shipping and payment")).click()

    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Standard")).check()
    page.get_by_label(re.compile("^" + words(language, "Bank transfer"))).check()
    page.get_by_role("button", name=words(language, "Review my order")).click()

    page.wait_for_url("**/checkout/review/")
    page.locator("input[name=accept_terms]").check()
    before_total = words(language, "Place order and pay %(total)s").split("%(total)s")[0]
    place = page.get_by_role("button", name=re.compile("^" + re.escape(before_total.strip())))
    shown_total = amount(language, place.inner_text())
    place.click()

    thanks = words(language, "Thank you for your order!")
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    order = Order.objects.get(email=f"guest.{language}@example.com")
    assert order.language == language
    assert order.total == shown_total
    [email] = [m for m in mailoutbox if order.number in m.subject]
    with translation.override(language):
        subject = gettext("Your %(shop_name)s order %(number)s") % {
            "shop_name": "Comptoir",
            "number": order.number,
        }
    assert email.subject == subject
    assert amount(language, email.body) > 0
    context.close()
