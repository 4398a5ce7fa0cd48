"""Reads of shared carts, each in a constant number of queries.

The recipient's page is priced for the recipient only: the sharer's cart, account, group and
rules are never read here (the shared cart row is loaded alone, without its cart)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from pricing import carts as pricing_carts
from shop.cart.models import Cart, CartLine
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import ProductImage

from .models import SharedCart, SharedCartLine
from .tokens import looks_like_token, token_hash


def shared_cart_for_token(token: str) -> SharedCart | None:
    """The link of `token` unless it is unknown or stopped (both answer None: a stopped link
    cannot be told from one that never existed). An expired link is returned: the caller says
    it expired."""
    if not looks_like_token(token):
        return None
    return (
        SharedCart.objects.filter(token_hash=token_hash(token), revoked_at=None)
        .only("id", "first_name", "note", "created_at", "expires_at", "ordered_at", "revoked_at")
        .first()
    )


@dataclass(frozen=True)
class SharedRow:
    line: SharedCartLine
    priced: "pricing_carts.CartLine"


@dataclass(frozen=True)
class SharedCartPage:
    shared_cart: SharedCart
    rows: list[SharedRow]
    unavailable: list[int]  # quantities of products the viewer may not see (no name, no price)
    quote: "pricing_carts.CartQuote"

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.unavailable


def shared_cart_page(
    *, shared_cart: SharedCart, customer, group, country: str | None = None
) -> SharedCartPage:
    """The shared lines priced now for the viewer (`customer`, `group`, destination)."""
    lines = list(
        SharedCartLine.objects.filter(shared_cart=shared_cart)
        .select_related("product", "product__category")
        .prefetch_related(
            Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("position", "id")
    )
    visible = set()
    if lines:
        visible = set(
            catalog_selectors.visible_products(
                group=group, ids=[line.product_id for line in lines]
            ).values_list("pk", flat=True)
        )
    available = [line for line in lines if line.product_id in visible]
    quote = pricing_carts.price_cart(
        [(line.product, line.quantity) for line in available],
        customer=customer,
        group=group,
        country=country,
    )
    return SharedCartPage(
        shared_cart=shared_cart,
        rows=[
            SharedRow(line=line, priced=priced)
            for line, priced in zip(available, quote.lines, strict=True)
        ],
        unavailable=[line.quantity for line in lines if line.product_id not in visible],
        quote=quote,
    )


@dataclass(frozen=True)
class SharedLinkSummary:
    shared_cart: SharedCart
    line_count: int
    is_live: bool


def shared_carts_of(cart: Cart | None, *, limit: int = 20) -> list[SharedLinkSummary]:
    """The links shared from `cart`, newest first, with their number of lines (one query)."""
    if cart is None or cart.pk is None:
        return []
    now = timezone.now()
    rows = (
        SharedCart.objects.filter(cart=cart)
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        SharedLinkSummary(shared_cart=row, line_count=row.line_count, is_live=row.is_live(now))
        for row in rows
    ]


def can_share(cart: Cart | None) -> bool:
    """Whether `cart` has lines to share."""
    return cart is not None and CartLine.objects.filter(cart=cart).exists()
