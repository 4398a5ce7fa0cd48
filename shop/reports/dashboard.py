"""The figures on the admin index, each linked to the admin list of what it counts (through
that list's own filters). A figure is shown only to staff who may view what it counts, and
only the figures shown are read: at most four queries."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.orders.models import OrderStatus
from shop.quotes import selectors as quote_selectors
from shop.quotes.models import QuoteState

from . import selectors

SOLD_STATUSES = ",".join(s for s in OrderStatus.values if s != OrderStatus.CANCELLED)
FOLLOW_UP = "follow_up"  # the order admin's filter of orders to ship and payments overdue
LOW_STOCK_FILTER = "stock"  # the product admin's stock filter ("low": at or below threshold)


@dataclass(frozen=True)
class Figure:
    label: str
    url: str
    count: int
    net: Decimal | None = None  # sales figures only
    gross: Decimal | None = None
    detail: str = ""


@dataclass(frozen=True)
class Dashboard:
    figures: list[Figure]
    reports_url: str | None


def _changelist(name: str, **query) -> str:
    return f"{reverse(f'admin:{name}_changelist')}?{urlencode(query)}"


def _sales_url(start, end) -> str:
    # The strings the order list's "placed at" filter writes itself, so it shows as chosen.
    return _changelist(
        "shop_order",
        placed_at__gte=str(selectors.day_start(start)),
        placed_at__lt=str(selectors.day_start(end)),
        status__in=SOLD_STATUSES,
    )


def dashboard_for(user) -> Dashboard:
    figures: list[Figure] = []
    can_view_orders = user.has_perm("shop.view_order")
    if can_view_orders:
        today = selectors.shop_today()
        orders = selectors.order_figures(today=today)
        month = selectors.month_start(today)
        figures += [
            Figure(
                label=_("Sales today"),
                url=_sales_url(today, today + timedelta(days=1)),
                count=orders.today.orders,
                net=orders.today.net,
                gross=orders.today.gross,
            ),
            Figure(
                label=_("Sales this month"),
                url=_sales_url(month, selectors.next_month_start(today)),
                count=orders.month.orders,
                net=orders.month.net,
                gross=orders.month.gross,
            ),
            Figure(
                label=_("Orders to ship"),
                url=_changelist("shop_order", **{FOLLOW_UP: "to_ship"}),
                count=orders.to_ship,
            ),
            Figure(
                label=_("Payments overdue"),
                url=_changelist("shop_order", **{FOLLOW_UP: "overdue"}),
                count=orders.payment_overdue,
            ),
        ]
    if user.has_perm("customers.view_wholesaleapplication"):
        figures.append(
            Figure(
                label=_("Trade applications waiting"),
                url=_changelist("customers_wholesaleapplication", status__exact="pending"),
                count=selectors.pending_applications_count(),
            )
        )
    if user.has_perm("shop.view_orderapproval"):
        figures.append(
            Figure(
                label=_("Company orders awaiting approval"),
                url=_changelist("shop_orderapproval", state__exact="requested"),
                count=selectors.awaiting_approval_count(),
            )
        )
    if user.has_perm("shop.view_quote"):
        figures.append(
            Figure(
                label=_("Quotes waiting"),
                url=_changelist("shop_quote", state__exact=QuoteState.REQUESTED),
                count=quote_selectors.quotes_waiting_count(),
            )
        )
    if user.has_perm("shop.view_product"):
        threshold = settings.SHOP_LOW_STOCK_THRESHOLD
        figures.append(
            Figure(
                label=_("Products low on stock"),
                url=_changelist("shop_product", **{LOW_STOCK_FILTER: "low"}),
                count=selectors.low_stock_count(threshold=threshold),
                detail=ngettext(
                    "tracked, %(count)s unit or fewer unless the product sets its own threshold",
                    "tracked, %(count)s units or fewer unless the product sets its own threshold",
                    threshold,
                )
                % {"count": threshold},
            )
        )
    return Dashboard(
        figures=figures,
        reports_url=reverse("reports:sales") if can_view_orders else None,
    )
