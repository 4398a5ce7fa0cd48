"""The cart and the checkout review run a constant number of queries whatever the number of
lines, for buyers who see gross prices and for those who see net prices, with cart discounts
and a next discount to reach."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CartDiscountFactory,
    CategoryFactory,
    CheckoutPolicyFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, go_to_review, place

pytestmark = pytest.mark.django_db


def add_products(client, count):
    category = CategoryFactory()
    for index in range(count):
        add(client, ProductFactory(category=category, sku=f"Q-{count}-{index}"), 3)


def queries(client, url) -> int:
    """The page's queries once this catalogue's version has been seen (its menu is kept)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("gross", [True, False])
def test_cart_and_review_queries_do_not_grow_with_lines(
    client, tax_rates, standard_shipping, gross
):
    CartDiscountFactory(value=Decimal("5"), min_subtotal=Decimal("50"))
    CartDiscountFactory(value=Decimal("10"), min_subtotal=Decimal("100000"))
    if not gross:
        wholesale = WholesaleGroupFactory(min_order_subtotal=None)
        CheckoutPolicyFactory(group=wholesale, bank_transfer=True)
        client.force_login(UserFactory(group=wholesale))
    add_products(client, 2)
    go_to_review(client, shipping_method=standard_shipping)
    small = {url: queries(client, url) for url in ("/cart/", "/checkout/review/")}
    add_products(client, 18)
    large = {url: queries(client, url) for url in ("/cart/", "/checkout/review/")}
    assert len(client.get("/cart/").context["page"].rows) == 20
    assert client.get("/cart/").context["page"].quote.prices_include_tax is gross
    assert small == large
    # The buyer's account, group and profile come with the versions, by which the menu's
    # category tree is kept, and the checkout policy of the group, and the cart; the lines'
    # group restrictions come with the lines; the credit used is summed only for a buyer
    # with payment terms.
    expected = (
        {"/cart/": 3, "/checkout/review/": 4} if gross else {"/cart/": 4, "/checkout/review/": 4}
    )
    assert large == expected


def session_writes(client, url, data) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, data).status_code == 302
    return sum(query["sql"].startswith('UPDATE "django_session"') for query in captured)


def test_a_step_posted_again_unchanged_does_not_write_the_session(
    client, tax_rates, standard_shipping
):
    add_products(client, 1)
    go_to_review(client, shipping_method=standard_shipping)
    delivery = {"shipping_method": standard_shipping.pk, "payment_method": "bank_transfer"}
    assert session_writes(client, "/checkout/delivery/", delivery) == 0
    delivery["payment_method"] = "card"
    assert session_writes(client, "/checkout/delivery/", delivery) == 1
    assert client.get("/checkout/review/").context["payment"].code == "card"


def test_placing_a_guest_s_order_reads_the_group_and_its_policy_with_the_versions_only(
    client, tax_rates, standard_shipping
):
    add_products(client, 2)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with CaptureQueriesContext(connection) as captured:
        assert "/orders/" in place(client, key, total).url
    statements = [query["sql"] for query in captured]
    assert sum("shop_checkoutpolicy" in sql for sql in statements) == 1
    assert sum("is_default" in sql for sql in statements) == 1
    # Remembering the order placed is the session's one write, in one statement.
    assert [sql.split()[0] for sql in statements if "django_session" in sql] == [
        "SELECT",
        "UPDATE",
    ]
    assert statements[-1].startswith('UPDATE "django_session"')
