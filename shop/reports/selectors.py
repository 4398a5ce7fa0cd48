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
from shop.catalog import selectors as catalog_selectors
from shop.catalog import stock as catalog_stock
from shop.catalog.models import Product
from shop.orders.approvals.models import ApprovalState, OrderApproval
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


def awaiting_approval_count() -> int:
    """Company orders over a limit that wait for the company's approvers."""
    return OrderApproval.objects.filter(state=ApprovalState.REQUESTED).count()


def low_stock_count(*, threshold: int) -> int:
    """Tracked products at or below their own threshold, `threshold` where they set none."""
    return Product.objects.filter(catalog_stock.low_stock_condition(threshold)).count()


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


class _Sum:
    """A table row being added up from finer rows."""

    def __init__(self, label: str, code: str = ""):
        self.label, self.code = label, code
        self.orders, self.quantity = 0, 0
        self.net = self.vat = self.gross = self.refunded = ZERO

    def add(self, *, orders=0, quantity=0, net=None, vat=None, gross=None, refunded=None):
        self.orders += orders
        self.quantity += quantity or 0
        self.net += _cents(net)
        self.vat += _cents(vat)
        self.gross += _cents(gross)
        self.refunded += _cents(refunded)

    def row(self) -> SalesRow:
        return SalesRow(
            self.label,
            self.orders,
            self.quantity,
            self.net,
            self.vat,
            self.gross,
            self.refunded,
            self.code,
        )


def _table(sums, *, orders: int | None = None) -> SalesTable:
    """`orders`: the number of orders when rows may share one (an order of two products)."""
    rows = sorted((s.row() for s in sums), key=lambda row: (-row.gross, row.label))
    total = _Sum("")
    for row in rows:
        total.add(
            orders=row.orders,
            quantity=row.quantity,
            net=row.net,
            vat=row.vat,
            gross=row.gross,
            refunded=row.refunded,
        )
    if orders is not None:
        total.orders = orders
    return SalesTable(rows=rows, total=total.row())


@dataclass(frozen=True)
class OrderTables:
    groups: SalesTable
    companies: SalesTable


def order_tables(period: Period) -> OrderTables:
    """Sales by the customer group and by the company the orders were placed in (their names
    then; orders of no company, retail buyers and guests, are one row). Three queries for both
    tables: orders, units, refunds; the refunds of the period's orders, whenever made."""
    key = ("group_name", "company_name")
    sales = (
        _orders_of(period)
        .values_list(*key)
        .annotate(
            orders=Count("pk"), net=Sum("net_total"), vat=Sum("tax_total"), gross=Sum("total")
        )
        .order_by()
    )
    units = dict(_pairs(_lines_of(period), "order__", key, quantity=Sum("quantity")))
    refunds = Refund.objects.filter(
        period.placed_in("order__"), ~Q(order__status=OrderStatus.CANCELLED)
    )
    refunded = dict(_pairs(refunds, "order__", key, amount=Sum("amount")))
    groups: dict[str, _Sum] = {}
    companies: dict[str, _Sum] = {}
    for group, company, orders, net, vat, gross in sales:
        figures = {
            "orders": orders,
            "quantity": units.get((group, company)),
            "net": net,
            "vat": vat,
            "gross": gross,
            "refunded": refunded.get((group, company)),
        }
        groups.setdefault(group, _Sum(group or _("No group"))).add(**figures)
        companies.setdefault(company, _Sum(company or _("No company"))).add(**figures)
    return OrderTables(groups=_table(groups.values()), companies=_table(companies.values()))


def _pairs(queryset, prefix: str, key: tuple[str, ...], **aggregate):
    """((key values), aggregate) pairs of `queryset` grouped by `key` under `prefix`."""
    rows = queryset.values_list(*(prefix + field for field in key)).annotate(**aggregate).order_by()
    return ((tuple(row[:-1]), row[-1]) for row in rows)


def _line_net():
    return F("line_total") - F("discount_share")


@dataclass(frozen=True)
class LineTables:
    products: SalesTable
    categories: SalesTable


def line_tables(period: Period) -> LineTables:
    """Goods sold by product (SKU and name of the line snapshots) and by the product's
    category today (lines of deleted products are one row). Shipping is not a product: not in
    these tables. Four queries for both: lines by (SKU, category), orders by category, refunds
    by (SKU, category), the number of orders."""
    lines = _lines_of(period)
    sales = (
        lines.values_list("sku", "product__category_id")
        .annotate(
            name=Max("name"),
            category=Max(catalog_selectors.shown_text("name", "product__category__")),
            orders=Count("order_id", distinct=True),
            quantity=Sum("quantity"),
            net=Sum(_line_net()),
            vat=Sum("tax"),
        )
        .order_by()
    )
    category_orders = dict(
        lines.values_list("product__category_id")
        .annotate(orders=Count("order_id", distinct=True))
        .order_by()
    )
    refund_lines = RefundLine.objects.filter(
        period.placed_in("refund__order__"),
        ~Q(refund__order__status=OrderStatus.CANCELLED),
        order_line__isnull=False,
    )
    refunded = dict(
        _pairs(
            refund_lines,
            "order_line__",
            ("sku", "product__category_id"),
            amount=Sum(F("net") + F("tax")),
        )
    )
    products: dict[str, _Sum] = {}
    categories: dict[int | None, _Sum] = {}
    for sku, category_id, name, category, orders, quantity, net, vat in sales:
        figures = {
            "quantity": quantity,
            "net": net,
            "vat": vat,
            "gross": _cents(net) + _cents(vat),
            "refunded": refunded.get((sku, category_id)),
        }
        products.setdefault(sku, _Sum(name, code=sku)).add(orders=orders, **figures)
        categories.setdefault(category_id, _Sum(category or _("Deleted products"))).add(**figures)
    for category_id, entry in categories.items():
        entry.orders = category_orders.get(category_id, 0)
    orders = lines.aggregate(orders=Count("order_id", distinct=True))["orders"]
    return LineTables(
        products=_table(products.values(), orders=orders),
        categories=_table(categories.values(), orders=orders),
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
