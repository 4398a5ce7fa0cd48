"""Shared cart write paths: share a cart, stop sharing it, add a shared cart's lines to one's
own cart, and record that an order was placed from it.

The recipient's side never reads who shared: the lines go through the cart service
(`cart_add_many`) with the recipient's customer and group, so their visibility, quantity
rules and prices apply, line by line.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_row
from shop.cart import services as cart_services
from shop.cart.models import Cart, CartLine
from shop.catalog import selectors as catalog_selectors

from .models import SharedCart, SharedCartLine
from .tokens import new_token, token_hash

MAX_LIVE_LINKS = 20  # per cart: enough for any family or office, not a spam cannon


@dataclass(frozen=True)
class NewLink:
    shared_cart: SharedCart
    token: str  # shown to the sharer once, never stored


@transaction.atomic
def shared_cart_create(*, cart: Cart, first_name: str = "", note: str = "") -> NewLink:
    """Share `cart` as it is now: a new link whose lines are a copy of the cart's (product,
    quantity), living `SHOP_SHARED_CART_DAYS` days."""
    cart = lock_row(Cart.objects.filter(pk=cart.pk))
    lines = list(CartLine.objects.filter(cart=cart).order_by("added_at", "id")) if cart else []
    if not lines:
        raise Refusal(_("Your cart is empty: add products before you share it."))
    now = timezone.now()
    live = SharedCart.objects.filter(cart=cart, revoked_at=None, expires_at__gt=now).count()
    if live >= MAX_LIVE_LINKS:
        raise Refusal(
            _("You already share %(count)s links: stop sharing one before you share again.")
            % {"count": live}
        )
    token = new_token()
    shared = SharedCart.objects.create(
        cart=cart,
        token_hash=token_hash(token),
        first_name=first_name.strip(),
        note=note.strip(),
        created_at=now,
        expires_at=now + timedelta(days=settings.SHOP_SHARED_CART_DAYS),
    )
    SharedCartLine.objects.bulk_create(
        SharedCartLine(
            shared_cart=shared, product_id=line.product_id, quantity=line.quantity, position=i
        )
        for i, line in enumerate(lines)
    )
    return NewLink(shared_cart=shared, token=token)


def shared_cart_revoke(*, cart: Cart | None, shared_cart_id: int) -> bool:
    """Stop sharing: the link stops working at once. False when `cart` did not share it (so
    the caller answers 404: another person's link is not found, not forbidden)."""
    if cart is None:
        return False
    mine = SharedCart.objects.filter(pk=shared_cart_id, cart=cart)
    if not mine.exists():
        return False
    mine.filter(revoked_at=None).update(revoked_at=timezone.now())
    return True


@dataclass
class AddResult:
    added: int = 0
    rejected: list[str] = field(default_factory=list)  # reasons, naming visible products only
    unavailable: int = 0  # lines the recipient's group may not see

    @property
    def any_added(self) -> bool:
        return self.added > 0


def shared_cart_add_to_cart(*, shared_cart: SharedCart, cart: Cart, customer, group) -> AddResult:
    """Merge the shared lines into the recipient's `cart` through the cart service, checked
    for the recipient (`customer`, `group`) line by line. Products the recipient's group may
    not see are counted, never named."""
    lines = list(SharedCartLine.objects.filter(shared_cart=shared_cart).order_by("position", "id"))
    visible = {
        product.pk: product
        for product in catalog_selectors.visible_products(
            group=group, ids=[line.product_id for line in lines]
        )
    }
    result = AddResult(unavailable=sum(1 for line in lines if line.product_id not in visible))
    items = [
        (visible[line.product_id].sku, line.quantity)
        for line in lines
        if line.product_id in visible
    ]
    if not items:
        return result
    outcome = cart_services.cart_add_many(cart=cart, items=items, customer=customer, group=group)
    result.added = len(outcome.added)
    result.rejected = [reason for _sku, _quantity, reason in outcome.rejected]
    return result


def shared_cart_mark_ordered(*, shared_cart_id: int | None, order) -> bool:
    """Record that `order` was placed from the shared cart `shared_cart_id` (the id the
    recipient's session kept when they added its lines): its sharer then sees "Ordered on
    <date>". Only when the order holds at least one of the shared products, and only the
    first order counts. Nothing happens for None. True when recorded."""
    if not shared_cart_id:
        return False
    shared_products = SharedCartLine.objects.filter(shared_cart_id=shared_cart_id).values(
        "product_id"
    )
    if not order.lines.filter(product_id__in=shared_products).exists():
        return False
    updated = SharedCart.objects.filter(pk=shared_cart_id, ordered_at=None).update(
        ordered_at=order.placed_at, order=order
    )
    return bool(updated)
