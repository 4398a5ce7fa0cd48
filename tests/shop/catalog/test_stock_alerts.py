"""Back-in-stock alerts: asked for on the page of an out-of-stock product, emailed once when
the product is back, after the write commits, and only to people who may see it."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import CustomerProfile
from shop.catalog.alerts import services as alert_services
from shop.catalog.models import Product, StockAlert
from shop.erasure import account_erase
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.shop.catalog.test_admin import product_form

pytestmark = pytest.mark.django_db

FORM_TITLE = "Email me when it is back"
CONFIRMATION = "We will email you once"
TOO_MANY = "Too many attempts in a short time"
# A savepoint and its release, the alerts, the default group, the customers' groups, the groups,
# the update, and for each group (two here: the guests' and the customers') its category tree
# (2 queries) and the visible ids.
NOTIFY_QUERIES = 13


@pytest.fixture
def sold_out():
    return ProductFactory(
        name="Copper saucepan", slug="copper-saucepan", stock=0, base_price=Decimal("123.45")
    )


def alert_url(product) -> str:
    return f"/p/{product.slug}/stock-alert/"


def ask(client, product, email="ada@example.com", **extra):
    return client.post(alert_url(product), {"email": email}, **extra)


def pending(product) -> list[str]:
    return sorted(
        StockAlert.objects.filter(product=product, notified_at=None).values_list("email", flat=True)
    )


def restock(client, product, stock: int, **changes):
    """The manager's save of the product change form."""
    data = product_form(product, category=product.category, stock=stock, **changes)
    response = client.post(f"/admin/shop/product/{product.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]


# --- the form --------------------------------------------------------------------------------


def test_the_form_shows_on_out_of_stock_products_only(client):
    out = ProductFactory(stock=0)
    available = ProductFactory(stock=3)
    untracked = ProductFactory(stock=0, track_stock=False)

    page = client.get(out.get_absolute_url()).content.decode()
    assert FORM_TITLE in page
    # Posted back to the form itself, so an error shows where the visitor was.
    assert f'action="{alert_url(out)}#stock-alert"' in page and "csrfmiddlewaretoken" in page
    assert 'type="email" name="email"' in page
    for product in (available, untracked):
        assert FORM_TITLE not in client.get(product.get_absolute_url()).content.decode()


def test_a_guest_asks_once_and_asking_again_adds_nothing(client, sold_out):
    response = ask(client, sold_out, email="Ada@Example.com")
    assert response.status_code == 302
    assert response["Location"] == sold_out.get_absolute_url()
    assert CONFIRMATION in client.get(response["Location"]).content.decode()

    again = client.get(ask(client, sold_out, email="ada@example.COM")["Location"])
    assert CONFIRMATION in again.content.decode()
    assert pending(sold_out) == ["Ada@Example.com"]


def test_a_bad_address_is_answered_in_the_form_keeping_what_was_typed(client, sold_out):
    response = ask(client, sold_out, email="ada at example")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="ada at example"' in page and 'aria-invalid="true"' in page
    assert "stock-alert-email-error" in page and 'role="alert"' in page
    assert pending(sold_out) == []


def test_a_customer_is_told_at_their_account_address_whatever_they_post(client, sold_out):
    customer = UserFactory(email="grace@example.com")
    client.force_login(customer)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert "One email to grace@example.com" in page and 'type="email"' not in page

    ask(client, sold_out, email="someone-else@example.com")

    alert = StockAlert.objects.get()
    assert (alert.email, alert.user) == ("grace@example.com", customer)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert "We will email you at grace@example.com once it is back in stock." in page
    assert alert_url(sold_out) not in page


def test_asking_about_an_available_product_is_refused_with_a_message(client):
    for product in (ProductFactory(stock=2), ProductFactory(stock=0, track_stock=False)):
        response = ask(client, product)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "This product is available" in page
    assert not StockAlert.objects.exists()


def test_a_product_the_visitor_may_not_see_is_a_404(client):
    wholesale = WholesaleGroupFactory()
    restricted = ProductFactory(stock=0)
    restricted.visible_to.add(wholesale)
    inactive = ProductFactory(stock=0, is_active=False)

    for product in (restricted, inactive):
        assert ask(client, product).status_code == 404
    assert (
        client.post("/p/no-such-thing/stock-alert/", {"email": "a@example.com"}).status_code == 404
    )
    assert not StockAlert.objects.exists()


def test_the_form_needs_a_post(client, sold_out):
    assert client.get(alert_url(sold_out)).status_code == 405


def test_requests_are_rate_limited_per_client(client, sold_out, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "stock_alert": "3/h"}
    for n in range(3):
        assert ask(client, sold_out, email=f"person{n}@example.com").status_code == 302
    response = ask(client, sold_out, email="person99@example.com")
    assert response.status_code == 429
    page = response.content.decode()
    assert TOO_MANY in page and 'value="person99@example.com"' in page
    assert "person99@example.com" not in pending(sold_out)
    assert (
        ask(client, sold_out, email="other@example.com", REMOTE_ADDR="10.0.0.9").status_code == 302
    )


def test_page_queries_in_and_out_of_stock(client, django_assert_num_queries, settings):
    """As rendered (not from the page cache): in stock, the page is unchanged. Out of stock:
    nothing more for a guest, one query (the customer's pending alert) for a customer."""
    settings.SHOP_PAGE_CACHE_SECONDS = 0
    category = CategoryFactory()
    available = ProductFactory(category=category, stock=5)
    out = ProductFactory(category=category, stock=0)

    def count(product) -> int:
        client.get(product.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(product.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    guest_in = count(available)
    assert count(out) == guest_in
    client.force_login(UserFactory())
    customer_in = count(available)
    assert count(out) == customer_in + 1
    with django_assert_num_queries(customer_in + 1):
        client.get(out.get_absolute_url())


# --- the notification ------------------------------------------------------------------------


def test_back_in_stock_through_the_admin_emails_each_pending_alert_once(
    client, manager, sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    customer = UserFactory(email="grace@example.com")
    alert_services.stock_alert_request(product=sold_out, email=customer.email, user=customer)

    with django_capture_on_commit_callbacks(execute=True):
        restock(client, sold_out, 0, name="Copper saucepan 20 cm")  # 0 -> 0: nothing
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        restock(client, sold_out, 12)

    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.com", "grace@example.com"]
    message = mailoutbox[0]
    assert message.subject == "Back in stock: Copper saucepan"
    assert "http://127.0.0.1:8000/p/copper-saucepan/" not in message.body  # the request's host
    assert "http://testserver/p/copper-saucepan/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http://testserver/p/copper-saucepan/"' in html
    assert pending(sold_out) == []
    assert StockAlert.objects.filter(notified_at__isnull=False).count() == 2

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restock(client, sold_out, 20)  # n -> m
        restock(client, sold_out, 0)
        restock(client, sold_out, 3)  # back again, but nobody asked again
    assert mailoutbox == []


def test_the_email_shows_no_price(
    client, manager, sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        restock(client, sold_out, 5)

    [message] = mailoutbox
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert "Copper saucepan" in text
        for price in ("123", "148", "€", "EUR"):  # net, gross at 20 %, the currency
            assert price not in text
    assert "The Comptoir team" in message.body


def test_only_people_who_may_see_the_product_are_told(
    client, manager, mailoutbox, django_capture_on_commit_callbacks
):
    wholesale = WholesaleGroupFactory()
    trade_only = ProductFactory(stock=0)
    trade_only.visible_to.add(wholesale)
    buyer = UserFactory(email="buyer@example.com", group=wholesale)
    former_buyer = UserFactory(email="former@example.com", group=wholesale)
    for user in (buyer, former_buyer):
        alert_services.stock_alert_request(product=trade_only, email=user.email, user=user)
    # A guest's alert from before the product was restricted.
    alert_services.stock_alert_request(product=trade_only, email="guest@example.com")
    CustomerProfile.objects.filter(user=former_buyer).update(group=default_group())

    with django_capture_on_commit_callbacks(execute=True):
        restock(client, trade_only, 4, visible_to=[wholesale.pk])

    assert [m.to for m in mailoutbox] == [["buyer@example.com"]]
    # Those who may not see it stay pending: told if it becomes visible to them.
    assert pending(trade_only) == ["former@example.com", "guest@example.com"]


def test_nothing_is_sent_when_the_restock_rolls_back(
    sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Product.objects.filter(pk=sold_out.pk).update(stock=5)
        alert_services.stock_alerts_notify(product_ids=[sold_out.pk])
        raise RuntimeError("the write failed")

    assert mailoutbox == []
    assert pending(sold_out) == ["ada@example.com"]


def test_the_email_waits_for_the_commit(sold_out, mailoutbox, django_capture_on_commit_callbacks):
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    Product.objects.filter(pk=sold_out.pk).update(stock=5)

    with django_capture_on_commit_callbacks() as callbacks:
        assert alert_services.stock_alerts_notify(product_ids=[sold_out.pk]) == 1
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    # A second call (another save) finds nothing pending.
    assert alert_services.stock_alerts_notify(product_ids=[sold_out.pk]) == 0


def test_activating_a_product_with_stock_tells_the_waiting(
    client, manager, mailoutbox, django_capture_on_commit_callbacks
):
    product = ProductFactory(stock=0)
    alert_services.stock_alert_request(product=product, email="ada@example.com")
    Product.objects.filter(pk=product.pk).update(stock=8, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.stock_alerts_notify(product_ids=[product.pk])  # inactive: waits
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/shop/product/", {"action": "activate", "_selected_action": [product.pk]}
        )

    assert [m.to for m in mailoutbox] == [["ada@example.com"]]


def test_the_catch_up_command_tells_those_whose_product_came_back_another_way(
    mailoutbox, django_capture_on_commit_callbacks, capsys
):
    back = ProductFactory(name="Whisk", slug="whisk", stock=0)
    still_out = ProductFactory(stock=0)
    alert_services.stock_alert_request(product=back, email="ada@example.com")
    alert_services.stock_alert_request(product=still_out, email="ada@example.com")
    with connection.cursor() as cursor:  # as a script would, past every write path
        cursor.execute(f"UPDATE {Product._meta.db_table} SET stock = 7 WHERE id = %s", [back.pk])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_stock_alerts")

    assert "1 back-in-stock alert(s) emailed." in capsys.readouterr().out
    [message] = mailoutbox
    assert message.to == ["ada@example.com"] and "Whisk" in message.subject
    assert "http://127.0.0.1:8000/p/whisk/" in message.body  # PAYMENT_HOST, outside a request
    assert pending(back) == [] and pending(still_out) == ["ada@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_stock_alerts")
    assert len(mailoutbox) == 1


def test_erasing_an_account_removes_its_alerts(sold_out):
    customer = UserFactory(email="grace@example.com")
    alert_services.stock_alert_request(product=sold_out, email=customer.email, user=customer)
    other = ProductFactory(stock=0)
    alert_services.stock_alert_request(product=other, email="Grace@example.com")  # as a guest
    alert_services.stock_alert_request(product=other, email="ada@example.com")

    account_erase(user=customer)

    assert list(StockAlert.objects.values_list("email", flat=True)) == ["ada@example.com"]


def test_the_alert_remembers_the_language_of_the_page(client, sold_out):
    ask(client, sold_out, HTTP_ACCEPT_LANGUAGE="fr")
    assert StockAlert.objects.get().language == "fr"


def test_notifying_reads_the_same_whatever_the_number_of_alerts(
    django_capture_on_commit_callbacks,
):
    wholesale = WholesaleGroupFactory()

    def notify_queries(count: int) -> int:
        product = ProductFactory(stock=0)
        for n in range(count):
            user = UserFactory(group=wholesale) if n % 3 == 0 else None
            email = user.email if user else f"guest{n}-{product.pk}@example.com"
            alert_services.stock_alert_request(product=product, email=email, user=user)
        Product.objects.filter(pk=product.pk).update(stock=9)
        with CaptureQueriesContext(connection) as ctx:
            assert alert_services.stock_alerts_notify(product_ids=[product.pk]) == count
        return len(ctx.captured_queries)

    assert notify_queries(3) == notify_queries(30) == NOTIFY_QUERIES


def _sold_order(product, quantity: int):
    """An order of `quantity` units of `product` whose totals add up (€123.45 + 20 % VAT)."""
    from tests.factories import OrderFactory, OrderLineFactory

    net = product.base_price * quantity
    tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
    order = OrderFactory(
        subtotal=net, net_total=net, display_subtotal=net + tax, tax_total=tax, total=net + tax
    )
    line = OrderLineFactory(order=order, product=product, quantity=quantity)
    return order, line


def test_a_cancelled_order_putting_units_back_tells_the_waiting(
    sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    from shop.orders import services as order_services

    order, _line = _sold_order(sold_out, 2)
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_set_status(order=order, status="cancelled")
    sold_out.refresh_from_db()
    assert sold_out.stock == 2
    assert ["ada@example.com"] in [m.to for m in mailoutbox]
    assert pending(sold_out) == []


def test_a_refund_returning_units_to_stock_tells_the_waiting(
    sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    from shop.orders import services as order_services

    order, line = _sold_order(sold_out, 3)
    order = order_services.order_mark_paid(order=order)
    alert_services.stock_alert_request(product=sold_out, email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_refund(order=order, quantities={line.pk: 1}, return_stock=True)
    sold_out.refresh_from_db()
    assert sold_out.stock == 1
    assert ["ada@example.com"] in [m.to for m in mailoutbox]
    assert pending(sold_out) == []
