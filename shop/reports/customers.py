"""One customer's story for the managers' admin: company, orders, spend per month, open
balance, trade applications, approval requests, saved lists and back-in-stock alerts.

Each part is read only when the viewer may see it (`StoryParts`), in a fixed number of
aggregate queries whatever the number of orders. Orders are those the customer placed
(`Order.user`). Spend is by the month an order was placed (shop time), cancelled orders left
out, and the refunds of those orders (whenever made) subtracted."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from customers.companies.models import CompanyMember, CompanyRole
from customers.models import WholesaleApplication
from shop.cart.lists.models import SavedList
from shop.catalog.models import StockAlert
from shop.orders import selectors as order_selectors
from shop.orders.approvals.models import ApprovalState, OrderApproval
from shop.orders.models import Order, OrderStatus, Refund
from shop.payments.models import PaymentMethod
from shop.quotes.models import Quote, QuoteState

from .selectors import (
    CENT,
    NOT_CANCELLED,
    ZERO,
    day_start,
    month_start,
    next_month_start,
    payment_overdue_condition,
    shop_timezone,
    shop_today,
)

RECENT_ORDERS = 10
UNPAID_SHOWN = 10
MONTHS = 12


@dataclass(frozen=True)
class StoryParts:
    """What the viewer may see, from his permissions."""

    orders: bool = False
    applications: bool = False
    approvals: bool = False
    saved_lists: bool = False
    company: bool = False
    quotes: bool = False


@dataclass(frozen=True)
class MonthSpend:
    month: date  # its first day
    orders: int
    net: Decimal  # placed, refunds subtracted
    gross: Decimal
    refunded: Decimal  # gross, already subtracted from `gross`


@dataclass(frozen=True)
class Spend:
    months: list[MonthSpend]  # oldest first, months without orders included
    orders: int
    net: Decimal
    gross: Decimal
    refunded: Decimal

    @property
    def first_day(self) -> date:
        return self.months[0].month


@dataclass(frozen=True)
class UnpaidOrder:
    order: Order
    overdue: bool


@dataclass(frozen=True)
class Balance:
    """Unpaid orders on account (not cancelled): the total, the overdue part, the oldest due."""

    total: Decimal
    overdue_total: Decimal
    overdue_count: int
    unpaid_count: int
    unpaid: list[UnpaidOrder]  # the first UNPAID_SHOWN by due date


@dataclass(frozen=True)
class OrdersPart:
    count: int
    recent: list[Order]
    spend: Spend
    balance: Balance


@dataclass(frozen=True)
class ApprovalCounts:
    """Requests the customer submitted, by state, and those he decided as an approver; for a
    company's admin or approver, the company's requests awaiting a decision."""

    awaiting: int
    approved: int
    rejected: int
    cancelled: int
    decided_by_customer: int
    company_awaiting: int | None  # None unless the customer may decide

    @property
    def submitted(self) -> int:
        return self.awaiting + self.approved + self.rejected + self.cancelled


@dataclass(frozen=True)
class AlertCounts:
    pending: int
    notified: int


@dataclass(frozen=True)
class CustomerStory:
    membership: CompanyMember | None
    orders: OrdersPart | None
    applications: list[WholesaleApplication] | None
    approvals: ApprovalCounts | None
    saved_lists: int | None
    alerts: AlertCounts
    quotes: list[tuple[str, int]] | None = None  # (state label, count), for each state he has


def customer_story(*, user, parts: StoryParts, today: date | None = None) -> CustomerStory:
    """The story of the customer `user`, the parts the viewer may see (others are None)."""
    today = today or shop_today()
    membership = (
        CompanyMember.objects.select_related("company__group").filter(user_id=user.pk).first()
        if parts.company or parts.approvals
        else None
    )
    return CustomerStory(
        membership=membership if parts.company else None,
        orders=_orders_part(user, today) if parts.orders else None,
        applications=list(
            WholesaleApplication.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
        )
        if parts.applications
        else None,
        approvals=_approval_counts(user, membership) if parts.approvals else None,
        saved_lists=SavedList.objects.filter(owner_id=user.pk).count()
        if parts.saved_lists
        else None,
        alerts=_alert_counts(user),
        quotes=_quote_counts(user) if parts.quotes else None,
    )


def _quote_counts(user) -> list[tuple[str, int]]:
    counts = dict(
        Quote.objects.filter(buyer_id=user.pk)
        .values("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    return [(label, counts[state]) for state, label in QuoteState.choices if counts.get(state)]


def _cents(amount) -> Decimal:
    return Decimal(amount or 0).quantize(CENT)


def _months_back(day: date, count: int) -> date:
    """The first day of the month `count` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _orders_part(user, today: date) -> OrdersPart:
    orders = Order.objects.filter(user_id=user.pk)
    return OrdersPart(
        count=orders.count(),
        recent=list(orders.order_by("-placed_at", "-id")[:RECENT_ORDERS]),
        spend=_spend(orders, user, today),
        balance=_balance(orders, user, today),
    )


def _spend(orders, user, today: date) -> Spend:
    first = _months_back(month_start(today), MONTHS - 1)
    placed_in = Q(placed_at__gte=day_start(first), placed_at__lt=day_start(next_month_start(today)))
    month = TruncMonth("placed_at", tzinfo=shop_timezone())
    sales = {
        row["month"].date(): row
        for row in orders.filter(placed_in, NOT_CANCELLED)
        .annotate(month=month)
        .values("month")
        .annotate(orders=Count("pk"), net=Sum("net_total"), gross=Sum("total"))
        .order_by()
    }
    refunds = {
        row["month"].date(): row
        for row in Refund.objects.filter(
            order__user_id=user.pk,
            order__placed_at__gte=day_start(first),
            order__placed_at__lt=day_start(next_month_start(today)),
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .annotate(month=TruncMonth("order__placed_at", tzinfo=shop_timezone()))
        .values("month")
        .annotate(net=Sum("net"), gross=Sum("amount"))
        .order_by()
    }
    months = []
    for offset in range(MONTHS - 1, -1, -1):
        start = _months_back(month_start(today), offset)
        sold, refunded = sales.get(start, {}), refunds.get(start, {})
        months.append(
            MonthSpend(
                month=start,
                orders=sold.get("orders", 0),
                net=_cents(sold.get("net")) - _cents(refunded.get("net")),
                gross=_cents(sold.get("gross")) - _cents(refunded.get("gross")),
                refunded=_cents(refunded.get("gross")),
            )
        )
    return Spend(
        months=months,
        orders=sum(m.orders for m in months),
        net=sum((m.net for m in months), ZERO),
        gross=sum((m.gross for m in months), ZERO),
        refunded=sum((m.refunded for m in months), ZERO),
    )


def _balance(orders, user, today: date) -> Balance:
    unpaid = orders.filter(payment_method=PaymentMethod.ON_ACCOUNT, paid_at=None).filter(
        NOT_CANCELLED
    )
    overdue = payment_overdue_condition(today)
    row = unpaid.aggregate(
        count=Count("pk"),
        overdue_count=Count("pk", filter=overdue),
        overdue_total=Sum("total", filter=overdue, default=ZERO),
    )
    shown = unpaid.order_by(F("payment_due").asc(nulls_last=True), "placed_at", "id")
    return Balance(
        total=order_selectors.open_account_balance(user=user),
        overdue_total=_cents(row["overdue_total"]),
        overdue_count=row["overdue_count"],
        unpaid_count=row["count"],
        unpaid=[
            UnpaidOrder(
                order=order, overdue=order.payment_due is not None and order.payment_due < today
            )
            for order in shown[:UNPAID_SHOWN]
        ],
    )


def _approval_counts(user, membership: CompanyMember | None) -> ApprovalCounts:
    submitted = Q(buyer_id=user.pk)
    decides = membership is not None and membership.role != CompanyRole.BUYER
    company_awaiting = (
        Q(company_id=membership.company_id, state=ApprovalState.REQUESTED)
        if decides
        else Q(pk=None)
    )
    row = OrderApproval.objects.filter(
        submitted | Q(decided_by_id=user.pk) | company_awaiting
    ).aggregate(
        **{
            state: Count("pk", filter=submitted & Q(state=value))
            for state, value in (
                ("awaiting", ApprovalState.REQUESTED),
                ("approved", ApprovalState.APPROVED),
                ("rejected", ApprovalState.REJECTED),
                ("cancelled", ApprovalState.CANCELLED),
            )
        },
        decided=Count("pk", filter=Q(decided_by_id=user.pk)),
        company_awaiting=Count("pk", filter=company_awaiting),
    )
    return ApprovalCounts(
        awaiting=row["awaiting"],
        approved=row["approved"],
        rejected=row["rejected"],
        cancelled=row["cancelled"],
        decided_by_customer=row["decided"],
        company_awaiting=row["company_awaiting"] if decides else None,
    )


def _alert_counts(user) -> AlertCounts:
    row = StockAlert.objects.filter(user_id=user.pk).aggregate(
        pending=Count("pk", filter=Q(notified_at=None)),
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
    )
    return AlertCounts(pending=row["pending"], notified=row["notified"])
