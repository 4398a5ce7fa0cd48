"""Two colleagues order with the same once-only quote at the same time (PostgreSQL only): the
race is first shown to be real with the quote's row lock off, then shown to be prevented with
it on (the second order is not placed at the quoted price: its buyer is told why)."""

import threading
from decimal import Decimal

import pytest
from django.test import Client

from shop.models import Order, Quote
from shop.quotes import selectors, services
from tests.factories import AddressFactory, CompanyMemberFactory
from tests.shop.conftest import go_to_review, place
from tests.shop.orders.test_concurrency import TIMEOUT, default_group, in_parallel  # noqa: F401

from .conftest import offer, request_quote

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_colleagues_at_review(shop_products, wholesale, freight, staff):
    """Two members of a company, each with the company's once-only quote (10 pans at 7.00) in
    his cart and at the review step at the quoted total."""
    pan, _pot = shop_products
    first = CompanyMemberFactory(company__group=wholesale)
    colleague = CompanyMemberFactory(company=first.company)
    quote = request_quote(first.user, {pan: 10})
    offer(quote, staff, {pan: "7.00"})
    services.quote_accept(quote=quote, buyer=first.user)
    services.quote_to_cart(quote=quote, buyer=colleague.user)
    buyers = []
    for user in (first.user, colleague.user):
        address = AddressFactory(user=user)
        client = Client()
        client.force_login(user)
        _review, key, total = go_to_review(
            client,
            shipping_method=freight,
            details={"billing_choice": str(address.pk), "shipping_choice": "same"},
        )
        assert total == "108.00"
        buyers.append((client, key, total))
    return quote, buyers


def submit_all(buyers):
    def submit(index):
        client, key, total = buyers[index]
        return place(client, key, total).url

    return in_parallel(len(buyers), submit)


def test_without_the_quote_lock_both_colleagues_use_a_once_only_quote(
    two_colleagues_at_review, monkeypatch
):
    quote, buyers = two_colleagues_at_review
    both_have_read = threading.Barrier(len(buyers), timeout=TIMEOUT)

    def unlocked(quote_id):
        found = Quote.objects.filter(pk=quote_id).first()
        both_have_read.wait()  # each checked it unused before either counts his use
        return found

    monkeypatch.setattr(services, "_lock_quote_row", unlocked)

    urls, errors = submit_all(buyers)

    assert errors == []
    assert all(url.startswith("/accounts/orders/") for url in urls)
    prices = Order.objects.values_list("lines__unit_price", flat=True)
    assert list(prices) == [Decimal("7.00"), Decimal("7.00")]  # used twice


def test_with_the_quote_lock_only_one_colleague_gets_the_quoted_price(two_colleagues_at_review):
    quote, buyers = two_colleagues_at_review

    urls, errors = submit_all(buyers)

    assert errors == []
    [placed] = [url for url in urls if url.startswith("/accounts/orders/")]
    assert urls.count("/checkout/review/") == 1  # told the total changed, and why
    [order] = Order.objects.all()
    assert order.lines.get().unit_price == Decimal("7.00")
    quote.refresh_from_db()
    assert quote.times_used == 1
    assert selectors.use_refusal(quote, customer=order.user) is not None
