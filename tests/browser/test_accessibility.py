"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on every storefront page and state, in English,
French and Arabic, and on the admin pages the project adds.

Each language walks the shop once (one seeded database, one login per buyer) and reports every
page's violations together, so one run shows them all.
"""

from urllib.parse import urlsplit

import pytest

from .axe import axe_violations, describe, duplicate_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
LANGUAGES = ["en", "fr", "ar"]

# Violations caused by the stylesheet or base.html (contrast, the messages list), which are
# fixed with the right-to-left layout work: (page, rule id). Temporary: remove once merged.
KNOWN_LAYOUT_ISSUES: set[tuple[str, str]] = set()

ADDRESS = {"full_name": "Alice Martin", "line1": "3 rue des Lilas", "postal_code": "69002"}


class Audit:
    """Runs axe on each page visited and keeps what it finds, page by page."""

    def __init__(self, browser, base_url: str, language: str):
        self.browser = browser
        self.base_url = base_url
        self.language = language
        self.found: dict[str, list[dict]] = {}

    def new_page(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [{"name": "django_language", "value": self.language, "url": self.base_url}]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    def visit(self, page, name: str, path: str | None = None):
        if path is not None:
            page.goto(self.base_url + path)
        self.check(page, name)

    def check(self, page, name: str):
        assert page.locator("html").get_attribute("lang") == self.language, name
        if name.endswith("with errors"):  # the error summary heads the form and has the focus
            assert page.evaluate(
                "() => document.activeElement.classList.contains('error-summary')"
            ), f"{name}: the error summary does not have the focus"
        violations = [
            violation
            for violation in axe_violations(page) + duplicate_ids(page)
            if (name, violation["id"]) not in KNOWN_LAYOUT_ISSUES
        ]
        if violations:
            self.found[name] = violations

    def log_in(self, email: str):
        page = self.new_page()
        page.goto(self.base_url + "/accounts/login/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form.stacked-form button[type=submit]").click()
        page.wait_for_url("**/accounts/**")
        return page

    def report(self) -> str:
        return "\n\n".join(
            f"== {name} ==\n{describe(violations)}" for name, violations in self.found.items()
        )


def submit(page, form: str = "main form.stacked-form"):
    page.locator(f"{form} button[type=submit]").last.click()
    page.wait_for_load_state()


def add_to_cart(page, base_url: str, product_path: str):
    page.goto(base_url + product_path)
    page.locator("form.add-to-cart button[type=submit]").click()
    page.wait_for_load_state()


def fill_address(page, prefix: str):
    for name, value in ADDRESS.items():
        page.locator(f"#id_{prefix}-{name}").fill(value)
    page.locator(f"#id_{prefix}-city").fill("Lyon")
    page.locator(f"#id_{prefix}-country").select_option("FR")


def checkout(audit: Audit, page, who: str):
    """Every checkout step, with and without errors, to the order placed."""
    page.goto(audit.base_url + "/checkout/")
    audit.check(page, f"{who} checkout details")
    submit(page, "form.checkout-form")
    audit.check(page, f"{who} checkout details with errors")
    if page.locator("#id_email").count():
        page.locator("#id_email").fill("guest.buyer@example.com")
    if page.locator("#id_billing-full_name").is_editable():
        fill_address(page, "billing")
    submit(page, "form.checkout-form")
    page.wait_for_url("**/checkout/delivery/")
    audit.check(page, f"{who} checkout delivery")
    page.evaluate(
        "() => document.querySelectorAll('input[type=radio]').forEach(r => r.checked = false)"
    )
    submit(page, "form.checkout-form")
    audit.check(page, f"{who} checkout delivery with errors")
    page.locator("input[name=shipping_method]").first.check()
    page.locator("input[name=payment_method][value=bank_transfer]").check()
    submit(page, "form.checkout-form")
    page.wait_for_url("**/checkout/review/")
    audit.check(page, f"{who} checkout review")
    page.evaluate("() => document.querySelectorAll('[required]').forEach(e => e.required = false)")
    page.locator("form.place-order-form button[type=submit]").click()
    page.wait_for_load_state()
    audit.check(page, f"{who} checkout review with errors")
    terms = page.locator("input[name=accept_terms]")
    if terms.count():
        terms.check()
    page.locator("form.place-order-form button[type=submit]").click()
    page.wait_for_url("**/orders/**")
    audit.check(page, f"{who} order placed")
    return urlsplit(page.url).path


def guest_pages(audit: Audit, product_path: str):
    page = audit.new_page()
    audit.visit(page, "home", "/")
    audit.visit(page, "category", "/c/kitchen/")
    audit.visit(page, "product", product_path)
    audit.visit(page, "search", "/search/?q=skillet")
    audit.visit(page, "search without results", "/search/?q=no-such-thing-anywhere")
    audit.visit(page, "404", "/no-such-page/")
    audit.visit(page, "cart empty", "/cart/")
    add_to_cart(page, audit.base_url, product_path)
    audit.check(page, "cart right after adding")
    audit.visit(page, "cart with lines", "/cart/")
    audit.visit(page, "log in", "/accounts/login/")
    page.locator("#id_username").fill("nobody@example.com")
    page.locator("#id_password").fill("wrong")
    submit(page)
    audit.check(page, "log in with errors")
    audit.visit(page, "sign up", "/accounts/signup/")
    page.locator("#id_email").fill("not-an-email")
    page.locator("#id_password").fill("123")
    submit(page)
    audit.check(page, "sign up with errors")
    audit.visit(page, "password reset", "/accounts/password-reset/")
    submit(page)
    audit.check(page, "password reset with errors")
    audit.visit(page, "wholesale apply", "/wholesale/apply/")
    submit(page)
    audit.check(page, "wholesale apply with errors")
    order_url = checkout(audit, page, "guest")
    audit.visit(page, "guest invoice", order_url.rstrip("/") + "/invoice/")
    page.context.close()


def shopper_pages(audit: Audit, product_path: str):
    page = audit.log_in("shopper@example.com")
    audit.check(page, "account")
    audit.visit(page, "profile", "/accounts/profile/")
    audit.visit(page, "password change", "/accounts/password/")
    submit(page)
    audit.check(page, "password change with errors")
    audit.visit(page, "addresses", "/accounts/addresses/")
    audit.visit(page, "address form", "/accounts/addresses/new/")
    submit(page)
    audit.check(page, "address form with errors")
    audit.visit(page, "saved lists", "/accounts/lists/")
    add_to_cart(page, audit.base_url, product_path)
    order_url = checkout(audit, page, "shopper")
    number = order_url.rstrip("/").rsplit("/", 1)[-1]
    audit.visit(page, "orders", "/accounts/orders/")
    audit.visit(page, "order", f"/accounts/orders/{number}/")
    audit.visit(page, "invoice", f"/accounts/orders/{number}/invoice/")
    page.context.close()


def trade_pages(audit: Audit):
    page = audit.log_in("wholesale@example.com")
    audit.visit(page, "portal", "/portal/")
    audit.visit(page, "company members", "/portal/company/")
    page.locator("#id_email").fill("not-an-email")
    submit(page, "form[action$='/invite/']")
    audit.check(page, "company invite with errors")
    audit.visit(page, "approvals", "/portal/approvals/")
    audit.visit(page, "trade orders", "/accounts/orders/")
    audit.visit(page, "quick order", "/portal/quick-order/")
    page.locator("textarea[name=lines]").fill("NO-SUCH-SKU 2")
    submit(page)
    audit.check(page, "quick order with errors")
    audit.visit(page, "trade saved lists", "/accounts/lists/")
    audit.visit(page, "quotes", "/portal/quotes/")
    audit.visit(page, "quote request", "/portal/quotes/new/")
    submit(page)
    audit.check(page, "quote request with errors")
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_storefront_pages_have_no_wcag_violations(browser, live_server, demo_shop, language):
    from shop.models import Product

    product = Product.objects.get(sku="KIT-102")
    product_path = f"/p/{product.slug}/"
    audit = Audit(browser, live_server.url, language)
    guest_pages(audit, product_path)
    shopper_pages(audit, product_path)
    trade_pages(audit)
    assert not audit.found, audit.report()


def test_admin_pages_of_the_shop_have_no_wcag_violations(browser, live_server, demo_shop):
    audit = Audit(browser, live_server.url, "en")
    page = audit.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("manager@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/admin/")
    audit.check(page, "admin index and dashboard")
    audit.visit(page, "price simulator", "/admin/pricing/pricerule/simulator/")
    audit.visit(page, "how prices are chosen", "/admin/pricing/pricerule/how-prices-are-chosen/")
    audit.visit(page, "pricing health", "/admin/pricing/pricerule/health/")
    audit.visit(page, "reports", "/admin/reports/")
    page.context.close()
    assert not audit.found, audit.report()
