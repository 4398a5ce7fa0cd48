"""Checkout and order status under real concurrent connections (PostgreSQL only).

Each race is first shown to be real with its protection switched off, then shown to be
prevented with it on. Every buyer is a separate test client in its own thread with its own
database connection, released together by a barrier; each thread closes its connection.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import OperationalError, connection, transaction
from django.test import Client

from core.errors import Refusal
from shop.models import Order, Product
from shop.orders import services as order_services
from shop.orders.services import placement, status
from shop.shipping import selectors as shipping_selectors
from tests.factories import OrderFactory, OrderLineFactory
from tests.shop.conftest import add, go_to_review, messages_of, place, review_form

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BUYERS = 40
UNITS = 5
TIMEOUT = 60


@pytest.fixture(autouse=True)
def default_group(transactional_db):
    """What the migration made and an earlier transactional test's flush removed."""
    from customers.models import CustomerGroup

    if not CustomerGroup.objects.filter(is_default=True).exists():
        CustomerGroup.objects.update_or_create(
            slug="retail",
            defaults={"name": "Retail", "is_default": True, "prices_include_tax": True},
        )


def in_parallel(count: int, work) -> tuple[list, list]:
    """Run `work(index)` in `count` threads started together; returns (results, errors)."""
    start = threading.Barrier(count, timeout=TIMEOUT)
    results, errors = [None] * count, []

    def run(index):
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append((index, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results, errors


def after_the_check(monkeypatch, hook):
    """Call `hook()` inside order_place between reading the products (and checking their
    stock) and writing the order: `shipping_options` runs right there."""
    real = shipping_selectors.shipping_options

    def shipping_options(**kwargs):
        options = real(**kwargs)
        hook()
        return options

    monkeypatch.setattr(shipping_selectors, "shipping_options", shipping_options)


def without_the_protection(monkeypatch):
    """Order placement as it would be without its lock and guarded decrement: the products
    read unlocked and their stock written back from what was read (a naive read-modify-write)."""

    def unlocked(ids):
        return list(Product.objects.filter(pk__in=ids).order_by("pk"))

    def write_back(lines):
        for product, quantity in lines:
            Product.objects.filter(pk=product.pk).update(stock=product.stock - quantity)

    monkeypatch.setattr(placement, "_lock_products", unlocked)
    monkeypatch.setattr(placement, "_take_stock", write_back)


def guests_at_review(count, product, shipping, quantity=1, products=None):
    """`count` guests, each with `quantity` of the products in their cart, at the review
    step: [(client, idempotency key, confirmed total)]."""
    buyers = []
    for index in range(count):
        client = Client()
        for item in products[index] if products else [product]:
            assert add(client, item, quantity).status_code == 302
        _review, key, total = go_to_review(
            client, shipping_method=shipping, email=f"buyer{index}@example.com"
        )
        buyers.append((client, key, total))
    return buyers


def submit_all(buyers):
    def submit(index):
        client, key, total = buyers[index]
        response = place(client, key, total)
        return response.status_code, response.url

    return in_parallel(len(buyers), submit)


@pytest.fixture
def last_units(shop_products):
    pan, _pot = shop_products
    Product.objects.filter(pk=pan.pk).update(stock=UNITS)
    pan.refresh_from_db()
    return pan


# --- oversell -----------------------------------------------------------------------------------


def test_without_the_product_lock_concurrent_checkouts_oversell(
    last_units, standard_shipping, monkeypatch
):
    """The race is real: every buyer reads "5 in stock" before anyone writes."""
    buyers = guests_at_review(BUYERS, last_units, standard_shipping)
    without_the_protection(monkeypatch)
    everyone_has_read = threading.Barrier(BUYERS, timeout=TIMEOUT)
    after_the_check(monkeypatch, everyone_has_read.wait)

    results, errors = submit_all(buyers)

    assert errors == []
    orders = Order.objects.count()
    stock = Product.objects.get(pk=last_units.pk).stock
    assert orders > UNITS  # oversold
    assert stock != UNITS - orders  # and the stock no longer matches what was sold
    assert all(url.startswith("/orders/") for _status, url in results)


def test_with_the_product_lock_40_buyers_for_5_units_give_5_orders(
    last_units, standard_shipping, monkeypatch
):
    buyers = guests_at_review(BUYERS, last_units, standard_shipping)
    after_the_check(monkeypatch, lambda: time.sleep(0.02))  # widen the window before the lock
    mail.outbox.clear()

    results, errors = submit_all(buyers)

    assert errors == []  # no exception, hence no 500
    assert {status for status, _url in results} == {302}
    winners = [index for index, (_s, url) in enumerate(results) if url.startswith("/orders/")]
    losers = [index for index, (_s, url) in enumerate(results) if url == "/cart/"]
    assert len(winners) == UNITS and len(losers) == BUYERS - UNITS
    assert Order.objects.count() == UNITS
    assert sum(o.lines.get().quantity for o in Order.objects.prefetch_related("lines")) == UNITS
    assert Product.objects.get(pk=last_units.pk).stock == 0
    assert len(mail.outbox) == UNITS
    for index in losers:
        client, _key, _total = buyers[index]
        shown = " ".join(messages_of(client.get("/cart/")))
        assert "Pan is out of stock." in shown, shown


# --- a product edited while an order is placed -------------------------------------------------


def raise_the_price_once(product, price):
    """After order_place has read and priced the products, a manager's edit of `product`
    commits on its own connection (once)."""
    done = []

    def edit():
        if not done:
            done.append(True)
            editor = threading.Thread(
                target=lambda: (
                    Product.objects.filter(pk=product.pk).update(base_price=price),
                    connection.close(),
                )
            )
            editor.start()
            editor.join(TIMEOUT)

    return edit


def test_a_price_raised_while_the_order_is_placed_is_not_sold_at_the_old_price(
    shop_products, standard_shipping, monkeypatch
):
    pan, _pot = shop_products
    [(client, key, total)] = guests_at_review(1, pan, standard_shipping)
    after_the_check(monkeypatch, raise_the_price_once(pan, Decimal("12.00")))

    response = place(client, key, total)

    assert response.status_code == 302 and response.url == "/checkout/review/"
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=pan.pk).stock == pan.stock  # nothing taken
    review = client.get("/checkout/review/")
    assert any("The total of your order changed" in m for m in messages_of(review))
    assert place(client, *review_form(review)).url.startswith("/orders/")
    line = Order.objects.get().lines.get()
    assert line.base_unit_price == Decimal("12.00")


# --- deadlocks ----------------------------------------------------------------------------------


def test_locking_two_products_in_opposite_orders_can_deadlock(shop_products):
    """The hazard is real: two transactions locking the same rows in opposite orders."""
    pan, pot = shop_products
    both_hold_one = threading.Barrier(2, timeout=TIMEOUT)
    orders = [(pan.pk, pot.pk), (pot.pk, pan.pk)]

    def lock_both(index):
        first, second = orders[index]
        with transaction.atomic():
            Product.objects.select_for_update().get(pk=first)
            both_hold_one.wait()
            Product.objects.select_for_update().get(pk=second)

    _results, errors = in_parallel(2, lock_both)
    assert len(errors) == 1
    assert isinstance(errors[0][1], OperationalError) and "deadlock" in str(errors[0][1])


def test_carts_with_two_products_in_opposite_orders_do_not_deadlock(
    shop_products, standard_shipping, monkeypatch
):
    pan, pot = shop_products
    count = 20
    products = [[pan, pot] if index % 2 else [pot, pan] for index in range(count)]
    buyers = guests_at_review(count, None, standard_shipping, products=products)
    after_the_check(monkeypatch, lambda: time.sleep(0.02))

    results, errors = submit_all(buyers)

    assert errors == []
    assert all(url.startswith("/orders/") for _status, url in results)
    assert Order.objects.count() == count
    assert Product.objects.get(pk=pan.pk).stock == 100 - count
    assert Product.objects.get(pk=pot.pk).stock == 100 - count


# --- double submit ------------------------------------------------------------------------------


def test_ten_parallel_submits_of_one_review_form_make_one_order(
    last_units, standard_shipping, monkeypatch
):
    ((client, key, total),) = guests_at_review(1, last_units, standard_shipping, quantity=2)
    submitters = []
    for _ in range(10):
        twin = Client()
        twin.cookies = client.cookies  # the same browser session, ten tabs
        submitters.append((twin, key, total))

    # The race is real: count how many submits are inside order_place at the same time.
    real_place = placement._place
    inside, most_inside, gate = [0], [0], threading.Lock()

    def counted_place(**kwargs):
        with gate:
            inside[0] += 1
            most_inside[0] = max(most_inside[0], inside[0])
        try:
            time.sleep(0.05)
            return real_place(**kwargs)
        finally:
            with gate:
                inside[0] -= 1

    monkeypatch.setattr(placement, "_place", counted_place)
    mail.outbox.clear()
    results, errors = submit_all(submitters)

    assert errors == []
    assert most_inside[0] >= 2  # several submits really ran at once
    order = Order.objects.get()
    assert {url for _status, url in results} == {f"/orders/{order.number}/{order.access_token}/"}
    assert Product.objects.get(pk=last_units.pk).stock == UNITS - 2
    assert len(mail.outbox) == 1


# --- cancel / mark paid / cancel ----------------------------------------------------------------


@pytest.fixture
def sold_order(shop_products):
    """A placed order of 3 pans at €10.00 + 20 % whose units already left the stock
    (100 -> 97); its totals are its line's, as its invoice and credit notes will be."""
    pan, _pot = shop_products
    Product.objects.filter(pk=pan.pk).update(stock=97)
    order = OrderFactory(
        subtotal=Decimal("30.00"),
        net_total=Decimal("30.00"),
        tax_total=Decimal("6.00"),
        total=Decimal("36.00"),
    )
    OrderLineFactory(order=order, product=pan, quantity=3)
    return order, pan


def test_without_the_order_lock_two_cancels_return_the_stock_twice(sold_order, monkeypatch):
    """The race is real: both cancels read "stock not returned yet" before either writes."""
    order, pan = sold_order
    both_have_read = threading.Barrier(2, timeout=TIMEOUT)

    def unlocked(order):
        fresh = Order.objects.get(pk=order.pk)
        both_have_read.wait()
        return fresh

    monkeypatch.setattr(status, "_locked_order", unlocked)
    _results, errors = in_parallel(
        2, lambda _i: order_services.order_set_status(order=order, status="cancelled")
    )
    assert errors == []
    assert Product.objects.get(pk=pan.pk).stock == 103  # 3 units came back twice


def test_concurrent_cancel_mark_paid_cancel_returns_the_stock_once(sold_order):
    order, pan = sold_order
    steps = ["cancel", "mark_paid", "cancel"] * 4

    def step(index):
        try:
            if steps[index] == "mark_paid":
                order_services.order_mark_paid(order=order)
            else:
                order_services.order_set_status(order=order, status="cancelled")
        except Refusal as error:
            return error.message
        return "done"

    results, errors = in_parallel(len(steps), step)

    assert errors == []
    order.refresh_from_db()
    assert order.status == "cancelled" and order.stock_returned
    assert Product.objects.get(pk=pan.pk).stock == 100
    refusals = {result for result in results if result != "done"}
    assert refusals <= {"A cancelled order cannot be paid."}
