"""What you see is what you pay: the cart, the review, the placed order, its email and its
invoice show the same figures to the cent, for a buyer who sees gross prices and for one who
sees net prices, and every one of them adds up (unit x quantity = line, lines - discount +
shipping = total)."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from core.money import format_money
from shop.models import Order
from tests.factories import (
    CartDiscountFactory,
    CheckoutPolicyFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, go_to_review, place

pytestmark = pytest.mark.django_db

MONEY = r"(-?)€([\d,]+\.\d\d)"


def amount(text: str) -> Decimal:
    sign, digits = re.fullmatch(MONEY, text.strip().replace("−", "-")).groups()
    return Decimal(sign + digits.replace(",", ""))


@pytest.fixture
def awkward_products(shop_products):
    """Prices whose tax does not round nicely: 2.16 net is shown 2.59 incl. 20 % VAT."""
    category = shop_products[0].category
    return [
        ProductFactory(category=category, sku="PEN", name="Gel pen", base_price=Decimal("2.16")),
        ProductFactory(
            category=category,
            sku="TEA",
            name="Green tea",
            base_price=Decimal("3.79"),
            tax_class="reduced",
        ),
        ProductFactory(category=category, sku="KTL", name="Kettle", base_price=Decimal("41.58")),
    ]


QUANTITIES = {"PEN": 100, "TEA": 7, "KTL": 3}


def fill_cart(client, products):
    CartDiscountFactory(name="Everyone 5 %", kind="percent", value=Decimal("5"))
    for product in products:
        add(client, product, QUANTITIES[product.sku])


def shown_lines(lines):
    return [
        (line.product.sku, line.display_unit_price, line.quantity, line.display_total)
        for line in lines
    ]


def email_figures(body: str) -> dict:
    lines = [
        amount(match) for match in re.findall(r"^\d+ x .+: (€[\d,.]+)$", body, flags=re.MULTILINE)
    ]

    def labelled(label):
        match = re.search(rf"^{label}[^\n€]*?: (−?€[\d,.]+)", body, flags=re.MULTILINE)
        return amount(match.group(1)) if match else None

    shipping = re.search(r"^Shipping: .* (€[\d,.]+)$", body, flags=re.MULTILINE)
    return {
        "lines": lines,
        "subtotal": labelled("Subtotal"),
        "discount": labelled("Cart discount"),
        "shipping": amount(shipping.group(1)),
        "total": labelled("Total"),
    }


def check_order_matches_what_was_shown(client, cart_quote, review, order, gross):
    review_quote, totals = review.context["quote"], review.context["totals"]
    order_lines = list(order.lines.order_by("sku"))
    by_sku = sorted(shown_lines(cart_quote.lines))
    assert sorted(shown_lines(review_quote.lines)) == by_sku
    assert [
        (line.sku, line.display_unit_price, line.quantity, line.display_total)
        for line in order_lines
    ] == by_sku
    for _sku, unit, quantity, line_total in by_sku:
        assert unit * quantity == line_total
    assert (order.display_subtotal, order.display_discount) == (
        cart_quote.display_subtotal,
        cart_quote.display_discount,
    )
    assert order.display_subtotal == sum(line.display_total for line in order_lines)
    assert order.total == totals.total
    goods = order.display_subtotal - order.display_discount
    if gross:
        assert goods + order.display_shipping == order.total
    else:
        assert goods + order.display_shipping == order.net_total
        assert order.net_total + order.tax_total == order.total
    assert order.net_total + order.tax_total == order.total
    assert order.tax_total == sum(line.tax for line in order_lines) + order.shipping_tax

    [email] = mail.outbox
    figures = email_figures(email.body)
    assert figures["lines"] == [line.display_total for line in order.lines.order_by("id")]
    assert sum(figures["lines"]) == figures["subtotal"] == order.display_subtotal
    assert figures["discount"] == -order.display_discount < 0  # shown as "−€21.84"
    assert figures["shipping"] == order.display_shipping
    assert figures["total"] == order.total  # "Total" or "Total incl. VAT"
    goods_and_shipping = figures["subtotal"] + figures["discount"] + figures["shipping"]
    assert goods_and_shipping == (order.total if gross else order.net_total)
    html = email.alternatives[0][0]
    for money in (order.display_subtotal, order.display_discount, order.total):
        assert format_money(money) in html

    invoice_url = (
        f"/accounts/orders/{order.number}/invoice/"
        if order.user_id
        else f"/orders/{order.number}/{order.access_token}/invoice/"
    )
    order_url = invoice_url.removesuffix("invoice/")
    for url in (order_url, invoice_url):
        page = client.get(url).content.decode()
        for _sku, unit, _quantity, line_total in by_sku:
            assert format_money(unit) in page and format_money(line_total) in page
        for money in (order.display_subtotal, order.display_discount, order.total):
            assert format_money(money) in page
    review_body = review.content.decode()
    for money in (order.display_subtotal, order.display_discount, order.total):
        assert format_money(money) in review_body


def test_a_gross_buyer_pays_exactly_what_the_cart_and_review_showed(
    client, awkward_products, standard_shipping, django_capture_on_commit_callbacks
):
    fill_cart(client, awkward_products)
    cart = client.get("/cart/")
    quote = cart.context["page"].quote
    assert quote.prices_include_tax
    assert sorted(shown_lines(quote.lines)) == [
        ("KTL", Decimal("49.90"), 3, Decimal("149.70")),  # 41.58 x 1.2 = 49.896
        ("PEN", Decimal("2.59"), 100, Decimal("259.00")),  # not 259.20
        ("TEA", Decimal("4.00"), 7, Decimal("28.00")),  # 3.79 x 1.055 = 3.998
    ]
    # 436.70 - 5 % (21.835 -> 21.84), then 5.00 shipping split across 20 % and 5.5 % like the
    # goods (5.95 incl. VAT).
    assert (quote.display_subtotal, quote.display_discount, quote.gross_total) == (
        Decimal("436.70"),
        Decimal("21.84"),
        Decimal("414.86"),
    )
    body = cart.content.decode()
    assert "€259.00" in body and "€259.20" not in body and "€414.86" in body

    review, key, total = go_to_review(client, shipping_method=standard_shipping)
    assert total == "420.81"
    with django_capture_on_commit_callbacks(execute=True):
        place(client, key, total)
    order = Order.objects.get()
    assert order.prices_include_tax and order.total == Decimal("420.81")
    check_order_matches_what_was_shown(client, quote, review, order, gross=True)


def test_a_net_buyer_sees_net_lines_and_pays_net_plus_tax_per_line(
    client, awkward_products, standard_shipping, django_capture_on_commit_callbacks
):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True)
    client.force_login(UserFactory(group=wholesale, email="buyer@trade.example"))
    fill_cart(client, awkward_products)
    quote = client.get("/cart/").context["page"].quote
    assert not quote.prices_include_tax
    assert sorted(shown_lines(quote.lines)) == [
        ("KTL", Decimal("41.58"), 3, Decimal("124.74")),
        ("PEN", Decimal("2.16"), 100, Decimal("216.00")),
        ("TEA", Decimal("3.79"), 7, Decimal("26.53")),
    ]
    # 367.27 net - 5 % (18.3635 -> 18.36) = 348.91 net; tax per line after its share.
    assert (quote.display_subtotal, quote.display_discount, quote.net_total) == (
        Decimal("367.27"),
        Decimal("18.36"),
        Decimal("348.91"),
    )
    review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with django_capture_on_commit_callbacks(execute=True):
        place(client, key, total)
    order = Order.objects.get()
    assert not order.prices_include_tax
    check_order_matches_what_was_shown(client, quote, review, order, gross=False)
