"""The figures of the dashboard and the sales reports on a small known shop: two groups, a
company, a cancelled order, a refund, and orders on both sides of midnight in the shop's
timezone (Europe/Paris, one hour ahead of UTC in December)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from shop.models import Refund, RefundLine
from shop.reports import selectors
from shop.reports.chart import sales_chart
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    WholesaleApplicationFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 10)


def at_utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def order(*, placed_at, net="10.00", tax="2.00", **fields):
    net, tax = Decimal(net), Decimal(tax)
    return OrderFactory(
        placed_at=placed_at, net_total=net, tax_total=tax, total=net + tax, **fields
    )


@pytest.fixture
def shop():
    """Retail and wholesale sales on 10 December (shop time), with a cancelled order, one
    placed at 23:30 UTC on the 9th (00:30 on the 10th in Paris) and one at 22:59 UTC on the
    9th (23:59 on the 9th in Paris)."""
    retail = CustomerGroupFactory(name="Retail shop", slug="retail-shop")
    wholesale = WholesaleGroupFactory()
    company = CompanyFactory(name="Bistro Lumière", group=wholesale)
    pans, knives = CategoryFactory(name="Pans"), CategoryFactory(name="Knives")
    pan = ProductFactory(sku="PAN-1", name="Pan", category=pans, base_price=Decimal("10.00"))
    knife = ProductFactory(sku="KNF-1", name="Knife", category=knives, base_price=Decimal("40.00"))

    first = order(placed_at=at_utc(TODAY, 9), group=retail, net="20.00", tax="4.00")
    OrderLineFactory(order=first, product=pan, quantity=2)
    after_midnight = order(placed_at=at_utc(TODAY - timedelta(days=1), 23, 30), group=retail)
    OrderLineFactory(order=after_midnight, product=pan, quantity=1)
    trade = order(
        placed_at=at_utc(TODAY, 10),
        group=wholesale,
        company=company,
        company_name="Bistro Lumière",
        net="85.00",
        tax="17.00",
    )
    knife_line = OrderLineFactory(order=trade, product=knife, quantity=2)
    OrderLineFactory(order=trade, product=pan, quantity=1)
    before_midnight = order(placed_at=at_utc(TODAY - timedelta(days=1), 22, 59), group=retail)
    OrderLineFactory(order=before_midnight, product=pan, quantity=1)
    cancelled = order(
        placed_at=at_utc(TODAY, 11), group=wholesale, status="cancelled", net="500.00", tax="100.00"
    )
    OrderLineFactory(order=cancelled, product=knife, quantity=12)

    refund = Refund.objects.create(
        order=trade,
        net=Decimal("40.00"),
        tax=Decimal("8.00"),
        amount=Decimal("48.00"),
        method="card",
    )
    RefundLine.objects.create(
        refund=refund, order_line=knife_line, quantity=1, net=Decimal("40.00"), tax=Decimal("8.00")
    )
    return {"retail": retail, "wholesale": wholesale, "pan": pan, "knife": knife}


def test_today_counts_the_shop_day_not_the_utc_day(shop):
    figures = selectors.order_figures(today=TODAY)

    # 09:00 and 10:00 UTC on the 10th, and 23:30 UTC on the 9th (00:30 in Paris); not the
    # order of 23:59 on the 9th in Paris, not the cancelled one.
    assert figures.today == selectors.Sales(
        orders=3, net=Decimal("115.00"), gross=Decimal("138.00")
    )
    assert figures.month == selectors.Sales(
        orders=4, net=Decimal("125.00"), gross=Decimal("150.00")
    )
    yesterday = selectors.order_figures(today=TODAY - timedelta(days=1))
    assert yesterday.today == selectors.Sales(
        orders=1, net=Decimal("10.00"), gross=Decimal("12.00")
    )


def test_orders_to_ship_and_payments_overdue():
    paid = OrderFactory(status="paid", paid_at=at_utc(TODAY, 8))
    on_account = OrderFactory(payment_method="on_account", payment_due=TODAY - timedelta(days=1))
    OrderFactory()  # placed, waiting for its bank transfer: not to ship yet
    OrderFactory(status="shipped", paid_at=at_utc(TODAY, 8))
    OrderFactory(status="cancelled", payment_method="on_account", payment_due=date(2026, 1, 1))
    OrderFactory(payment_method="on_account", payment_due=TODAY)  # due today: not overdue
    OrderFactory(
        status="shipped",
        payment_method="on_account",
        payment_due=TODAY - timedelta(days=3),
        paid_at=at_utc(TODAY, 8),
    )  # paid late, but paid
    shipped_unpaid = OrderFactory(
        status="shipped", payment_method="on_account", payment_due=TODAY - timedelta(days=5)
    )

    figures = selectors.order_figures(today=TODAY)

    assert figures.to_ship == 3  # paid, and the two placed on account
    assert figures.payment_overdue == 2
    overdue = set(
        OrderFactory._meta.model.objects.filter(selectors.payment_overdue_condition(TODAY))
    )
    assert overdue == {on_account, shipped_unpaid}
    assert paid in OrderFactory._meta.model.objects.filter(selectors.to_ship_condition())


def test_pending_applications_and_low_stock():
    WholesaleApplicationFactory()
    WholesaleApplicationFactory(status="approved")
    ProductFactory(stock=5)
    ProductFactory(stock=0)
    ProductFactory(stock=6)
    ProductFactory(stock=1, track_stock=False)

    assert selectors.pending_applications_count() == 1
    assert selectors.low_stock_count(threshold=5) == 2


def rows(table) -> dict:
    return {
        row.label: (row.orders, row.quantity, row.net, row.vat, row.gross, row.refunded)
        for row in table.rows
    }


def test_sales_by_group_and_company_leave_cancelled_orders_out(shop):
    period = selectors.Period(TODAY, TODAY)

    by_group = selectors.order_tables(period).groups
    assert rows(by_group) == {
        "Wholesale": (
            1,
            3,
            Decimal("85.00"),
            Decimal("17.00"),
            Decimal("102.00"),
            Decimal("48.00"),
        ),
        "Retail shop": (2, 3, Decimal("30.00"), Decimal("6.00"), Decimal("36.00"), Decimal("0.00")),
    }
    assert [row.label for row in by_group.rows] == ["Wholesale", "Retail shop"]  # largest first
    assert by_group.total.gross == Decimal("138.00")
    assert by_group.total.orders == 3

    by_company = selectors.order_tables(period).companies
    assert rows(by_company) == {
        "Bistro Lumière": (
            1,
            3,
            Decimal("85.00"),
            Decimal("17.00"),
            Decimal("102.00"),
            Decimal("48.00"),
        ),
        "No company": (2, 3, Decimal("30.00"), Decimal("6.00"), Decimal("36.00"), Decimal("0.00")),
    }


def test_sales_by_product_and_category_use_the_line_snapshots(shop):
    period = selectors.Period(TODAY - timedelta(days=1), TODAY)
    shop["pan"].name = "Renamed pan"
    shop["pan"].save()

    by_product = selectors.line_tables(period).products
    assert rows(by_product) == {
        "Knife": (1, 2, Decimal("80.00"), Decimal("16.00"), Decimal("96.00"), Decimal("48.00")),
        "Pan": (4, 5, Decimal("50.00"), Decimal("10.00"), Decimal("60.00"), Decimal("0.00")),
    }
    assert {row.code for row in by_product.rows} == {"PAN-1", "KNF-1"}
    assert by_product.total.orders == 4  # the trade order bought both: counted once

    shop["knife"].delete()
    by_category = selectors.line_tables(period).categories
    assert rows(by_category) == {
        "Deleted products": (
            1,
            2,
            Decimal("80.00"),
            Decimal("16.00"),
            Decimal("96.00"),
            Decimal("48.00"),
        ),
        "Pans": (4, 5, Decimal("50.00"), Decimal("10.00"), Decimal("60.00"), Decimal("0.00")),
    }
    assert rows(selectors.line_tables(period).products)["Knife"][0] == 1  # still reported


def test_a_deleted_group_still_reports_under_its_name(shop):
    shop["retail"].delete()
    assert "Retail shop" in rows(selectors.order_tables(selectors.Period(TODAY, TODAY)).groups)


def test_daily_sales_have_one_series_per_group_by_shop_day(shop):
    period = selectors.Period(TODAY - timedelta(days=2), TODAY)

    daily = selectors.daily_sales_by_group(period)

    assert daily.days == [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    assert daily.series == {
        "Retail shop": [Decimal("0.00"), Decimal("10.00"), Decimal("30.00")],
        "Wholesale": [Decimal("0.00"), Decimal("0.00"), Decimal("85.00")],
    }
    chart = sales_chart(daily)
    assert [line.name for line in chart.lines] == ["Retail shop", "Wholesale"]
    assert len({line.colour for line in chart.lines}) == 2
    assert all(len(line.points.split()) == 3 for line in chart.lines)
    assert chart.y_ticks[-1].value >= Decimal("85.00")
    top = {
        line.name: min(float(p.split(",")[1]) for p in line.points.split()) for line in chart.lines
    }
    assert top["Wholesale"] < top["Retail shop"]  # the higher value is drawn higher
