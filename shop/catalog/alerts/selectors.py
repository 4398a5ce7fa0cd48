"""Reads of the stock alerts: who may be told about a product, who gets the daily report."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from customers.models import CustomerGroup
from customers.permissions import SHOP_MANAGERS

from .. import selectors as catalog_selectors
from .. import stock as catalog_stock
from ..models import Product, StockAlert


def pending_alert_for(*, product, user) -> StockAlert | None:
    """The customer's pending alert for the product (one query), None for guests."""
    if user is None or not user.is_authenticated:
        return None
    return StockAlert.objects.filter(product=product, user=user, notified_at=None).first()


def user_group_ids(user_ids, *, default_group_id: int) -> dict[int, int]:
    """The group id each active account buys as (as `customers.selectors.group_for`: their
    company's group, else their profile's, else the default group), in one query."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_active=True)
        .values_list("pk", "company_membership__company__group_id", "profile__group_id")
    )
    return {
        pk: company_group or own_group or default_group_id for pk, company_group, own_group in rows
    }


def visible_product_ids(*, group_ids, product_ids) -> dict[int, set[int]]:
    """For each group id, which of `product_ids` the group may see (a few queries a group)."""
    groups = CustomerGroup.objects.in_bulk(set(group_ids))
    return {
        group_id: set(
            catalog_selectors.visible_products(group=group, ids=product_ids).values_list(
                "pk", flat=True
            )
        )
        for group_id, group in groups.items()
    }


def low_stock_report_recipients() -> list[str]:
    """SHOP_STOCK_ALERT_EMAILS when set, else the active staff of the "Shop managers" group
    and the active superusers that have an email address."""
    if settings.SHOP_STOCK_ALERT_EMAILS:
        return list(settings.SHOP_STOCK_ALERT_EMAILS)
    people = (
        get_user_model()
        .objects.filter(Q(is_staff=True, groups__name=SHOP_MANAGERS) | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )
    return list(people)


@dataclass(frozen=True)
class LowStockReport:
    out_of_stock: list[Product]
    low: list[Product]

    def __bool__(self) -> bool:
        return bool(self.out_of_stock or self.low)


def low_stock_report() -> LowStockReport:
    products = list(catalog_stock.low_stock_products())
    return LowStockReport(
        out_of_stock=[p for p in products if p.stock == 0],
        low=[p for p in products if p.stock > 0],
    )
