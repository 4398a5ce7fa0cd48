"""The dashboard on the admin index and the sales reports page, as the demo shop manager
(staff in "Shop managers", no superuser) and less privileged staff use them."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from shop.models import Order
from tests.factories import (
    CompanyFactory,
    CustomerGroupFactory,
    OrderApprovalFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleApplicationFactory,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
REPORTS = "/admin/reports/"


def dashboard_links(response) -> dict[str, str]:
    """{label: href} of the dashboard's figures."""
    body = response.content.decode()
    section = re.search(r'<section class="module shop-dashboard".*?</section>', body, re.S)
    if section is None:
        return {}
    return {
        label.strip(): href.replace("&amp;", "&")
        for href, label in re.findall(
            r'<a href="([^"]+)">\s*<span class="dashboard-label">([^<]+)</span>', section.group()
        )
    }


def listed(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {order.number for order in response.context["cl"].result_list}


def staff_with(*codenames):
    user = StaffUserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_each_dashboard_figure_links_to_the_list_of_what_it_counts(client, manager):
    now = timezone.now()
    today = OrderFactory(number="CPT-TODAY001", status="paid", paid_at=now)
    OrderFactory(number="CPT-CANCEL01", status="cancelled")
    old = OrderFactory(number="CPT-OLD00001", placed_at=now - timedelta(days=40))
    overdue = OrderFactory(
        number="CPT-DUE00001",
        payment_method="on_account",
        payment_due=timezone.localdate() - timedelta(days=2),
        placed_at=now - timedelta(days=40),
    )
    WholesaleApplicationFactory(company_name="Waiting SARL")
    WholesaleApplicationFactory(company_name="Done SARL", status="approved")
    ProductFactory(sku="LOW-1", stock=2)
    ProductFactory(sku="FULL-1", stock=50)
    waiting = OrderApprovalFactory()
    OrderApprovalFactory(state="approved")

    response = client.get(INDEX)
    links = dashboard_links(response)

    assert set(links) == {
        "Sales today",
        "Sales this month",
        "Orders to ship",
        "Payments overdue",
        "Trade applications waiting",
        "Company orders awaiting approval",
        "Quotes waiting",
        "Products low on stock",
    }
    body = response.content.decode()
    assert "€12.00" in body  # today's gross sales; the cancelled order is left out
    assert listed(client, links["Sales today"]) == {today.number}
    month = listed(client, links["Sales this month"])
    assert today.number in month and "CPT-CANCEL01" not in month and old.number not in month
    assert listed(client, links["Orders to ship"]) == {today.number, overdue.number}
    assert listed(client, links["Payments overdue"]) == {overdue.number}
    applications = client.get(links["Trade applications waiting"])
    assert [a.company_name for a in applications.context["cl"].result_list] == ["Waiting SARL"]
    approvals = client.get(links["Company orders awaiting approval"])
    assert [a.number for a in approvals.context["cl"].result_list] == [waiting.number]
    products = client.get(links["Products low on stock"])
    assert [p.sku for p in products.context["cl"].result_list] == ["LOW-1"]
    assert 'href="/admin/reports/"' in body


def test_staff_without_view_order_sees_no_sales_figures(client):
    client.force_login(staff_with("view_product"))
    OrderFactory()

    response = client.get(INDEX)

    assert set(dashboard_links(response)) == {"Products low on stock"}
    assert "Sales today" not in response.content.decode()
    assert "/admin/reports/" not in response.content.decode()
    assert client.get(REPORTS).status_code == 403


def test_staff_without_any_of_the_permissions_sees_no_dashboard(client):
    client.force_login(staff_with())
    assert 'id="shop-dashboard"' not in client.get(INDEX).content.decode()


def test_non_staff_are_sent_to_the_admin_login(client):
    client.force_login(UserFactory())
    for url in (REPORTS, f"{REPORTS}?table=groups&format=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.logout()
    assert client.get(REPORTS)["Location"].startswith("/admin/login/")


def known_sales():
    """This month: a retail order of two pans and a trade order for a company whose name
    looks like a formula; a cancelled order that does not count."""
    retail = CustomerGroupFactory(name="Retail shop", slug="retail-shop")
    company = CompanyFactory(name="=HYPERLINK(evil)")
    pan = ProductFactory(sku="PAN-1", name="+Pan", base_price=Decimal("10.00"))
    now = timezone.now()
    first = OrderFactory(group=retail, net_total=Decimal("20.00"), tax_total=Decimal("4.00"))
    first.total = Decimal("24.00")
    first.save()
    OrderLineFactory(order=first, product=pan, quantity=2)
    trade = OrderFactory(
        group=company.group, company=company, company_name=company.name, placed_at=now
    )
    OrderLineFactory(order=trade, product=pan)
    OrderLineFactory(order=OrderFactory(status="cancelled"), product=pan, quantity=9)


def test_reports_page_shows_the_tables_and_a_chart_with_one_line_per_group(client, manager):
    known_sales()

    response = client.get(REPORTS)

    assert response.status_code == 200
    body = response.content.decode()
    for title in (
        "Sales by customer group",
        "Sales by company",
        "Sales by product",
        "Sales by category",
    ):
        assert title in body
    chart = re.search(r'<svg class="sales-chart".*?</svg>', body, re.S).group()
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert chart.count("<polyline") == 2  # Retail shop and Wholesale
    assert "style=" not in body.split('id="content-main"', 1)[1]
    legend = re.search(r'<ul class="chart-legend".*?</ul>', body, re.S).group()
    assert "Retail shop" in legend and "Wholesale" in legend
    groups = response.context["tables"][0]
    assert [(row.label, row.orders, row.quantity, row.gross) for row in groups["rows"]] == [
        ("Retail shop", 1, 2, Decimal("24.00")),
        ("Wholesale", 1, 1, Decimal("12.00")),
    ]


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("this_month", lambda t: t.replace(day=1), lambda t: t),
        ("last_30_days", lambda t: t - timedelta(days=29), lambda t: t),
        ("this_year", lambda t: t.replace(month=1, day=1), lambda t: t),
        (
            "last_month",
            lambda t: (t.replace(day=1) - timedelta(days=1)).replace(day=1),
            lambda t: t.replace(day=1) - timedelta(days=1),
        ),
    ],
)
def test_presets_choose_their_period(client, manager, preset, start, end):
    today = timezone.localdate()
    response = client.get(REPORTS, {"preset": preset})
    period = response.context["period"]
    assert (period.start, period.end) == (start(today), end(today))
    body = response.content.decode()
    assert f'name="start" value="{start(today).isoformat()}"' in body  # shown, to adjust
    assert 'name="preset"' not in body  # the form sends its dates, not the preset


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-45", "end": "2026-12-01"}, "Enter a valid date."),
        ({"start": "2026-12-10", "end": "2026-12-01"}, "comes before its start"),
        ({"start": "2020-01-01", "end": "2026-12-01"}, "at most three years"),
        ({"start": "2026-12-01"}, "Give both dates"),
        ({"preset": "next_century"}, "Select a valid choice"),
        ({"start": "x" * 5000, "end": "\x00"}, "Enter a valid date."),
    ],
)
def test_bad_periods_get_a_message_and_keep_the_input(client, manager, query, message):
    response = client.get(REPORTS, query)

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'class="errornote"' in body
    assert "tables" not in response.context
    if "start" in query and len(query["start"]) < 50:
        assert f'value="{query["start"]}"' in body
    csv_response = client.get(REPORTS, {**query, "table": "groups", "format": "csv"})
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/html")


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_export_of_each_table_neutralises_formulas(client, manager):
    known_sales()
    today = timezone.localdate()
    period = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}

    companies = read_csv(client.get(REPORTS, {**period, "table": "companies", "format": "csv"}))
    assert companies[0] == ["Company", "Orders", "Quantity", "Net", "VAT", "Gross", "Refunded"]
    assert ["No company", "1", "2", "20.00", "4.00", "24.00", "0.00"] in companies
    assert ["'=HYPERLINK(evil)", "1", "1", "10.00", "2.00", "12.00", "0.00"] in companies

    products = read_csv(
        client.get(REPORTS, {"preset": "this_month", "table": "products", "format": "csv"})
    )
    assert products[0][:2] == ["SKU", "Product"]
    assert products[1] == ["PAN-1", "'+Pan", "2", "3", "30.00", "6.00", "36.00", "0.00"]

    for table in ("groups", "categories"):
        rows = read_csv(client.get(REPORTS, {**period, "table": table, "format": "csv"}))
        assert len(rows) >= 2

    assert client.get(REPORTS, {**period, "table": "secrets", "format": "csv"}).status_code == 404


def test_the_page_links_each_table_to_its_csv(client, manager):
    known_sales()
    body = client.get(REPORTS, {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
    links = re.findall(r'href="\?([^"]*format=csv[^"]*)"', body)
    tables = {dict(parse_qsl(link.replace("&amp;", "&")))["table"] for link in links}
    assert tables == {"groups", "companies", "products", "categories"}
    assert all("start=2026-01-01" in link and "end=2026-12-31" in link for link in links)


def make_orders(count: int, groups) -> None:
    products = [ProductFactory() for _ in range(3)]
    for n in range(count):
        order = OrderFactory(group=groups[n % len(groups)], status="paid", paid_at=timezone.now())
        OrderLineFactory(order=order, product=products[n % 3], quantity=1 + n % 4)
    Order.objects.filter(pk=order.pk).update(payment_method="on_account")


@pytest.mark.parametrize("url", [INDEX, REPORTS])
def test_query_count_does_not_grow_with_orders(client, manager, url, django_assert_num_queries):
    groups = [CustomerGroupFactory(), CustomerGroupFactory()]
    make_orders(3, groups)
    client.get(url)  # warm the session and the content types
    # Session, user, 2 permission reads and the shop details (each admin page); the index: 3
    # figures, the approvals and the quotes waiting and the recent actions; the reports: chart
    # 1, groups and companies 3, products and categories 4.
    expected = {INDEX: 12, REPORTS: 13}[url]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    make_orders(27, groups + [CustomerGroupFactory()])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_csv_query_count_does_not_grow_with_orders(client, manager, django_assert_num_queries):
    groups = [CustomerGroupFactory(), CustomerGroupFactory()]
    make_orders(3, groups)
    query = {"preset": "this_month", "table": "products", "format": "csv"}
    client.get(REPORTS, query)
    with django_assert_num_queries(8):  # session, user, 2 permissions, products 4
        client.get(REPORTS, query)
    make_orders(27, groups)
    with django_assert_num_queries(8):
        assert len(read_csv(client.get(REPORTS, query))) == 7  # header + 6 products


def test_low_stock_follows_the_setting(client, manager, settings):
    ProductFactory(sku="TWO-1", stock=2)
    ProductFactory(sku="ONE-1", stock=1)
    settings.SHOP_LOW_STOCK_THRESHOLD = 1

    response = client.get(INDEX)

    assert "tracked, 1 unit or fewer" in response.content.decode()
    products = client.get(dashboard_links(response)["Products low on stock"])
    assert [p.sku for p in products.context["cl"].result_list] == ["ONE-1"]


def test_the_order_list_follow_up_filter_offers_both_choices(client, manager):
    paid = OrderFactory(status="paid", paid_at=timezone.now())
    waiting = OrderFactory()

    response = client.get("/admin/shop/order/")
    body = response.content.decode()
    assert "?follow_up=to_ship" in body and "?follow_up=overdue" in body
    assert listed(client, "/admin/shop/order/?follow_up=to_ship") == {paid.number}
    assert listed(client, "/admin/shop/order/?follow_up=teleported") == {
        paid.number,
        waiting.number,
    }
