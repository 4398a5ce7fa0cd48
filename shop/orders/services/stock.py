"""Taking the stock an order sells."""

from django.db.models import Case, F, PositiveIntegerField, Q, When
from django.utils.translation import gettext as _

from core.errors import Refusal
from shop.catalog.models import Product


def take_stock(lines: list[tuple[Product, int]]) -> None:
    """Decrement the stock of tracked products in one statement. The rows are locked, so the
    stock read with them is current; the guard in the statement stays as the last line of
    defence (a row it skips refuses the order, and the transaction rolls back)."""
    tracked = [(product, quantity) for product, quantity in lines if product.track_stock]
    for product, quantity in tracked:
        if product.stock < quantity:
            raise Refusal(_("%(product)s is out of stock.") % {"product": product.name})
    if not tracked:
        return
    guard = Q()
    for product, quantity in tracked:
        guard |= Q(pk=product.pk, stock__gte=quantity)
    updated = Product.objects.filter(guard).update(
        stock=Case(
            *(When(pk=product.pk, then=F("stock") - quantity) for product, quantity in tracked),
            default=F("stock"),
            output_field=PositiveIntegerField(),
        )
    )
    if updated != len(tracked):
        stock = dict(
            Product.objects.filter(pk__in=[p.pk for p, _q in tracked]).values_list("pk", "stock")
        )
        short = next((p for p, q in tracked if stock.get(p.pk, 0) < q), tracked[0][0])
        raise Refusal(_("%(product)s is out of stock.") % {"product": short.name})
