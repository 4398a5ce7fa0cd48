"""The aggregate reads behind the managers' dashboard and the sales reports.

Every figure is one aggregate query whatever the number of orders. Sales are read from the
snapshots orders and their lines were placed with (group and company names, SKU, name, prices,
tax), so a deleted product, group or company still reports; only the category of a line is
today's category of its product. Cancelled orders are not sales. Days are the shop's days
(`settings.TIME_ZONE`), whatever timezone a request runs in.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import WholesaleApplication
from shop.catalog.models import Product
from shop.orders.models import Order, OrderLine, OrderStatus, Refund, RefundLine
from shop.payments.models import PaymentMethod

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NOT_CANCELLED = ~Q(status=OrderStatus.CANCELLED)


def _cents(amount) -> Decimal:
    """Sums come back as the database adds them (SQLite drops trailing zeros)."""
    return Decimal(amount or 0).quantize(CENT)


# --- the shop's days ----------------------------------------------------------------------------


def shop_timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def shop_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), shop_timezone()).date()


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the shop's timezone."""
    return datetime.combine(day, time.min, tzinfo=shop_timezone())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month_start(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- what the dashboard counts (the order admin filters with the same conditions) -------------


def to_ship_condition() -> Q:
    """Orders waiting to leave: placed and paid, or placed on account (which ships before it
    is paid), neither shipped nor cancelled."""
    return Q(status__in=[OrderStatus.PLACED, OrderStatus.PAID]) & (
        Q(paid_at__isnull=False) | Q(payment_method=PaymentMethod.ON_ACCOUNT)
    )


def payment_overdue_condition(today: date) -> Q:
    """Orders on account still unpaid after their due date (not cancelled)."""
    return (
        Q(payment_method=PaymentMethod.ON_ACCOUNT, paid_at=None, payment_due__lt=today)
        & NOT_CANCELLED
    )


def low_stock_condition(threshold: int) -> Q:
    return Q(track_stock=True, stock__lte=threshold)


@dataclass(frozen=True)
class Sales:
    orders: int
    net: Decimal
    gross: Decimal


@dataclass(frozen=True)
class OrderFigures:
    today: Sales
    month: Sales
    to_ship: int
    payment_overdue: int


def _sales_aggregates(prefix: str, condition: Q) -> dict:
    return {
        f"{prefix}_orders": Count("pk", filter=condition),
        f"{prefix}_net": Sum("net_total", filter=condition, default=ZERO),
        f"{prefix}_gross": Sum("total", filter=condition, default=ZERO),
    }


def order_figures(*, today: date) -> OrderFigures:
    """Today's and this month's sales, orders to ship and payments overdue: one query."""
    tomorrow = day_start(today + timedelta(days=1))
    today_range = Q(placed_at__gte=day_start(today), placed_at__lt=tomorrow) & NOT_CANCELLED
    month_range = (
        Q(
            placed_at__gte=day_start(month_start(today)),
            placed_at__lt=day_start(next_month_start(today)),
        )
        & NOT_CANCELLED
    )
    row = Order.objects.aggregate(
        **_sales_aggregates("today", today_range),
        **_sales_aggregates("month", month_range),
        to_ship=Count("pk", filter=to_ship_condition()),
        overdue=Count("pk", filter=payment_overdue_condition(today)),
    )
    return OrderFigures(
        today=Sales(row["today_orders"], _cents(row["today_net"]), _cents(row["today_gross"])),
        month=Sales(row["month_orders"], _cents(row["month_net"]), _cents(row["month_gross"])),
        to_ship=row["to_ship"],
        payment_overdue=row["overdue"],
    )


def pending_applications_count() -> int:
    return WholesaleApplication.objects.filter(status=WholesaleApplication.Status.PENDING).count()


def low_stock_count(*, threshold: int) -> int:
    return Product.objects.filter(low_stock_condition(threshold)).count()


# --- sales over a period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the shop's days."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def placed_in(self, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}placed_at__gte": day_start(self.start),
                f"{prefix}placed_at__lt": day_start(self.end + timedelta(days=1)),
            }
        )


@dataclass(frozen=True)
class SalesRow:
    label: str
    orders: int
    quantity: int
    net: Decimal
    vat: Decimal
    gross: Decimal
    refunded: Decimal
    code: str = ""  # the SKU of a product row


@dataclass(frozen=True)
class SalesTable:
    """Rows by gross sales, largest first; `total` adds up every row (its label is empty)."""

    rows: list[SalesRow]
    total: SalesRow


def _orders_of(period: Period) -> QuerySet[Order]:
    return Order.objects.filter(period.placed_in(), NOT_CANCELLED)


def _lines_of(period: Period) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(
        period.placed_in("order__"), ~Q(order__status=OrderStatus.CANCELLED)
    )


def _table(rows: list[SalesRow], *, orders: int | None = None) -> SalesTable:
    """`orders`: the number of orders when rows may share one (an order of two products)."""
    rows = sorted(rows, key=lambda row: (-row.gross, row.label))
    total = SalesRow(
        label="",
        orders=sum(row.orders for row in rows) if orders is None else orders,
        quantity=sum(row.quantity for row in rows),
        net=sum((row.net for row in rows), ZERO),
        vat=sum((row.vat for row in rows), ZERO),
        gross=sum((row.gross for row in rows), ZERO),
        refunded=sum((row.refunded for row in rows), ZERO),
    )
    return SalesTable(rows=rows, total=total)


def _by_order_field(period: Period, field: str, *, blank_label: str) -> SalesTable:
    """Sales by a snapshot field of the order (three queries: orders, units, refunds). Refunds
    are those of the period's orders, whenever they were made."""
    sales = (
        _orders_of(period)
        .values(field)
        .annotate(
            orders=Count("pk"),
            net=Sum("net_total"),
            vat=Sum("tax_total"),
            gross=Sum("total"),
        )
        .order_by()
    )
    units = dict(
        _lines_of(period)
        .values_list(f"order__{field}")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    refunded = dict(
        Refund.objects.filter(period.placed_in("order__"), ~Q(order__status=OrderStatus.CANCELLED))
        .values_list(f"order__{field}")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    rows = [
        SalesRow(
            label=row[field] or blank_label,
            orders=row["orders"],
            quantity=units.get(row[field]) or 0,
            net=_cents(row["net"]),
            vat=_cents(row["vat"]),
            gross=_cents(row["gross"]),
            refunded=_cents(refunded.get(row[field])),
        )
        for row in sales
    ]
    return _table(rows)


def sales_by_group(period: Period) -> SalesTable:
    """By the customer group the order was placed in (its name then)."""
    return _by_order_field(period, "group_name", blank_label=_("No group"))


def sales_by_company(period: Period) -> SalesTable:
    """By the company the order was placed for (its name then); orders of no company (retail
    buyers, guests) are one row."""
    return _by_order_field(period, "company_name", blank_label=_("No company"))


def _line_net():
    return F("line_total") - F("discount_share")


def _by_line_key(period: Period, key: str, label: str, *, blank_label: str) -> SalesTable:
    """Goods sold by a key of the lines (shipping is not a product: not in these tables).
    Three queries: lines, refunds, the number of orders."""
    sales = (
        _lines_of(period)
        .values(key)
        .annotate(
            name=Max(label),
            orders=Count("order_id", distinct=True),
            quantity=Sum("quantity"),
            net=Sum(_line_net()),
            vat=Sum("tax"),
        )
        .order_by()
    )
    refunded = dict(
        RefundLine.objects.filter(
            period.placed_in("refund__order__"),
            ~Q(refund__order__status=OrderStatus.CANCELLED),
            order_line__isnull=False,
        )
        .values_list(f"order_line__{key}")
        .annotate(amount=Sum(F("net") + F("tax")))
        .order_by()
    )
    rows = [
        SalesRow(
            label=row["name"] or blank_label,
            orders=row["orders"],
            quantity=row["quantity"],
            net=_cents(row["net"]),
            vat=_cents(row["vat"]),
            gross=_cents(row["net"]) + _cents(row["vat"]),
            refunded=_cents(refunded.get(row[key])),
            code=row[key] if key == "sku" else "",
        )
        for row in sales
    ]
    orders = _lines_of(period).aggregate(orders=Count("order_id", distinct=True))["orders"]
    return _table(rows, orders=orders)


def sales_by_product(period: Period) -> SalesTable:
    """By SKU, named as last sold (the line snapshots)."""
    return _by_line_key(period, "sku", "name", blank_label="")


def sales_by_category(period: Period) -> SalesTable:
    """By the product's category today; lines of deleted products are one row."""
    return _by_line_key(
        period,
        "product__category_id",
        "product__category__name",
        blank_label=_("Deleted products"),
    )


@dataclass(frozen=True)
class DailySales:
    """Net sales per day of the period for each group (days without sales are zero)."""

    days: list[date]
    series: dict[str, list[Decimal]]


def daily_sales_by_group(period: Period) -> DailySales:
    days = period.days
    position = {day: index for index, day in enumerate(days)}
    series: dict[str, list[Decimal]] = {}
    rows = (
        _orders_of(period)
        .annotate(day=TruncDate("placed_at", tzinfo=shop_timezone()))
        .values("day", "group_name")
        .annotate(net=Coalesce(Sum("net_total"), Value(ZERO)))
        .order_by("group_name", "day")
    )
    for row in rows:
        values = series.setdefault(row["group_name"], [ZERO] * len(days))
        if row["day"] in position:
            values[position[row["day"]]] = _cents(row["net"])
    return DailySales(days=days, series=series)
