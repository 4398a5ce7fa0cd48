"""Stock as the shop reads it: what counts as in stock, low and out of stock (one definition for
the admin filter, the dashboard, the daily report and the alerts)."""

from django.conf import settings
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce

from .models import Product


def stock_threshold(default: int | None = None):
    """A product's low-stock threshold: its own, else `default` (SHOP_LOW_STOCK_THRESHOLD)."""
    if default is None:
        default = settings.SHOP_LOW_STOCK_THRESHOLD
    return Coalesce("low_stock_threshold", Value(default))


def low_stock_condition(default_threshold: int | None = None) -> Q:
    """Tracked products at or below their threshold, out of stock (0) included: the one
    definition of "low on stock" of the admin filter, the dashboard and the daily report."""
    return Q(track_stock=True, stock__lte=stock_threshold(default_threshold))


def out_of_stock_condition() -> Q:
    return Q(track_stock=True, stock=0)


def in_stock_condition() -> Q:
    """As `Product.in_stock`: untracked, or at least one unit."""
    return Q(track_stock=False) | Q(stock__gt=0)


def low_stock_products(default_threshold: int | None = None) -> QuerySet[Product]:
    """The products low on stock (as the dashboard counts them), out of stock first, each
    with its `threshold`."""
    return (
        Product.objects.filter(low_stock_condition(default_threshold))
        .annotate(threshold=stock_threshold(default_threshold))
        .only("pk", "sku", "name", "stock", "low_stock_threshold")
        .order_by("stock", "sku")
    )
