"""Low on stock: a tracked product at or below its own threshold (the setting's when it has
none), out of stock included, the same in the admin filter, the dashboard and the daily
report emailed to the shop managers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.permissions import SHOP_MANAGERS
from shop.catalog import stock as catalog_stock
from shop.catalog.models import Product
from shop.reports import selectors as report_selectors
from tests.factories import ProductFactory, StaffUserFactory, UserFactory
from tests.shop.catalog.test_admin import product_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/shop/product/"


@pytest.fixture
def stock():
    """Default threshold 5: out of stock, low by default, fine by default, low by its own
    threshold, fine by its own threshold, untracked."""
    return {
        "empty": ProductFactory(sku="EMPTY", name="Empty jar", stock=0),
        "five": ProductFactory(sku="FIVE", name="Five forks", stock=5),
        "six": ProductFactory(sku="SIX", name="Six spoons", stock=6),
        "own-low": ProductFactory(sku="OWN-LOW", name="Flour", stock=40, low_stock_threshold=50),
        "own-fine": ProductFactory(sku="OWN-FINE", name="Salt", stock=2, low_stock_threshold=1),
        "untracked": ProductFactory(sku="FREE", name="Gift card", stock=0, track_stock=False),
    }


def low_skus(default=None) -> set[str]:
    low = Product.objects.filter(catalog_stock.low_stock_condition(default))
    return set(low.values_list("sku", flat=True))


def test_a_products_own_threshold_wins_over_the_default(stock, settings):
    assert low_skus() == {"EMPTY", "FIVE", "OWN-LOW"}
    settings.SHOP_LOW_STOCK_THRESHOLD = 6
    assert low_skus() == {"EMPTY", "FIVE", "SIX", "OWN-LOW"}
    assert low_skus(default=0) == {"EMPTY", "OWN-LOW"}


def test_the_admin_filter_and_column(client, manager, stock):
    def listed(**params) -> set[str]:
        response = client.get(CHANGELIST, params)
        assert response.status_code == 200
        return {product.sku for product in response.context["cl"].result_list}

    assert listed(stock="low") == {"EMPTY", "FIVE", "OWN-LOW"}
    assert listed(stock="out") == {"EMPTY"}
    assert listed(stock="in") == {"FIVE", "SIX", "OWN-LOW", "OWN-FINE", "FREE"}
    page = client.get(CHANGELIST).content.decode()
    assert "Low (at or below the threshold, out of stock included)" in page
    assert "5 (default)" in page and "<td" in page


def test_the_manager_sets_a_threshold_in_the_product_form(client, manager, stock):
    product = stock["six"]
    url = f"/admin/shop/product/{product.pk}/change/"
    assert 'name="low_stock_threshold"' in client.get(url).content.decode()
    data = product_form(product, category=product.category, low_stock_threshold="10")
    assert client.post(url, data).status_code == 302
    assert client.get(CHANGELIST, {"stock": "low"}).context["cl"].result_count == 4


def test_the_dashboard_counts_with_each_products_threshold_and_links_to_the_filter(
    client, manager, stock
):
    assert report_selectors.low_stock_count(threshold=5) == 3
    assert report_selectors.low_stock_count(threshold=0) == 2  # EMPTY and OWN-LOW

    page = client.get("/admin/").content.decode()
    assert f"{CHANGELIST}?stock=low" in page
    assert "unless the product sets its own threshold" in page


# --- the daily report ------------------------------------------------------------------------


@pytest.fixture
def managers():
    managers_group = Group.objects.get(name=SHOP_MANAGERS)
    on_duty = StaffUserFactory(email="jeanne@example.com")
    on_duty.groups.add(managers_group)
    left = StaffUserFactory(email="left@example.com", is_active=False)
    left.groups.add(managers_group)
    UserFactory(email="owner@example.com", is_superuser=True, is_staff=True)
    StaffUserFactory(email="warehouse@example.com")  # staff, not a manager
    UserFactory(email="customer@example.com").groups.add(managers_group)  # not staff
    return on_duty


def test_the_report_lists_low_and_out_of_stock_products_to_the_managers(
    stock, managers, mailoutbox, capsys
):
    call_command("send_low_stock_report")

    [message] = mailoutbox
    assert sorted(message.to) == ["jeanne@example.com", "owner@example.com"]
    assert message.subject == "Stock report: 1 out of stock, 2 low"
    body = message.body
    assert body.index("Out of stock") < body.index("EMPTY") < body.index("Low on stock")
    assert "EMPTY  Empty jar  stock 0, threshold 5" in body
    assert "FIVE  Five forks  stock 5, threshold 5" in body
    assert "OWN-LOW  Flour  stock 40, threshold 50" in body
    for fine in ("SIX", "OWN-FINE", "FREE"):
        assert fine not in body
    change = f"http://127.0.0.1:8000/admin/shop/product/{stock['own-low'].pk}/change/"
    assert change in body
    html = message.alternatives[0][0]
    assert f'<a href="{change}">Flour</a>' in html and '<th scope="col"' in html
    assert "http://127.0.0.1:8000/admin/shop/product/?stock=low" in body
    assert "1 out of stock, 2 low: emailed" in capsys.readouterr().out


def test_the_setting_overrides_the_recipients(stock, managers, mailoutbox, settings):
    settings.SHOP_STOCK_ALERT_EMAILS = ["stock@example.com"]
    call_command("send_low_stock_report")
    assert [m.to for m in mailoutbox] == [["stock@example.com"]]


def test_nothing_is_sent_when_nothing_is_low(managers, mailoutbox, capsys):
    ProductFactory(stock=50)
    ProductFactory(stock=0, track_stock=False)
    call_command("send_low_stock_report")
    assert mailoutbox == []
    assert "nothing sent" in capsys.readouterr().out


def test_a_dry_run_prints_the_report_and_sends_nothing(stock, managers, mailoutbox, capsys):
    call_command("send_low_stock_report", "--dry-run")
    out = capsys.readouterr().out
    assert mailoutbox == []
    assert "OWN-LOW\tFlour\tstock 40\tthreshold 50" in out
    assert "would email jeanne@example.com, owner@example.com" in out


def test_the_report_reads_the_same_whatever_the_number_of_products(managers, mailoutbox):
    def report_queries(count: int) -> int:
        ProductFactory.create_batch(count, stock=1)
        with CaptureQueriesContext(connection) as ctx:
            call_command("send_low_stock_report")
        return len(ctx.captured_queries)

    assert report_queries(3) == report_queries(30) == 2  # the products, the recipients
    assert "stock 1, threshold 5" in mailoutbox[-1].body


def test_with_nobody_to_email_the_command_says_so(stock, mailoutbox, capsys):
    StaffUserFactory(email="warehouse@example.com")  # staff, but not a shop manager
    call_command("send_low_stock_report")
    assert mailoutbox == []
    assert "nobody to email" in capsys.readouterr().err
