"""Cart write paths: add, update, remove, add many (quick order, reorder) and the merge of a
guest's cart at login.

Every change is checked on the server with `pricing.services.check_quantity` on the quantity
the cart would hold for the product (what is already there plus what is added), and with the
product's visibility to the buyer's group. A refused change leaves the cart as it was and
raises `Refusal` with a message the buyer understands. The cart row is locked first, so one
cart changes one request at a time.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_id, lock_rows
from customers import selectors as customer_selectors
from pricing import engine
from pricing import services as pricing_services
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product

from . import selectors
from .models import Cart, CartLine

MAX_QUANTITY = 100_000
# How many lines a quick order, a reorder or a saved list may add in one go.
MAX_QUICK_ORDER_LINES = settings.SHOP_QUICK_ORDER_MAX_LINES


def _check(product: Product, quantity: int, *, customer, group, in_cart: int = 0) -> None:
    if quantity > MAX_QUANTITY:
        raise Refusal(
            _("You can have at most %(max)s of %(product)s in your cart.")
            % {"max": f"{MAX_QUANTITY:,}", "product": product.name}
        )
    problems = pricing_services.check_quantity(product, quantity, customer=customer, group=group)
    if problems:
        message = " ".join(problems)
        if in_cart:
            message += " " + _("(You already have %(count)s in your cart.)") % {"count": in_cart}
        raise Refusal(message)


def _visible_product(product_id: int, group, catalogue_version: str) -> Product:
    found = catalog_selectors.visible_by_id([product_id], group=group, version=catalogue_version)
    if not found:
        raise Refusal(_("This product is not available."))
    return found[0]


def _locked(cart: Cart) -> Cart:
    return lock_id(Cart, cart.pk)


def _store(cart: Cart, product: Product, line: CartLine | None, quantity: int) -> CartLine:
    """The cart's line for `product` now holds `quantity` (created when there was none)."""
    if line is None:
        return CartLine.objects.create(cart=cart, product=product, quantity=quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def cart_get_or_create(*, user=None, token: str | None = None) -> Cart:
    """The customer's cart, or the guest cart of this token, created when missing (read first
    as `selectors.cart_get` reads it, a prepared statement: it is there on every add but the
    first)."""
    cart = selectors.cart_get(user=user, token=token)
    if cart is not None:
        return cart
    if user is not None:
        return Cart.objects.get_or_create(user=user)[0]
    return Cart.objects.get_or_create(token=token)[0]


@transaction.atomic
def cart_add(
    *, cart: Cart, product_id: int, quantity: int, customer, group, catalogue_version: str = ""
) -> CartLine:
    """Add `quantity` of a product (summed with what the cart already holds).
    `catalogue_version`: the `CatalogueVersion` the caller read, if any (`category_tree`)."""
    product = _visible_product(product_id, group, catalogue_version)
    cart = _locked(cart)
    line = selectors.cart_line(cart, product.pk)
    in_cart = line.quantity if line else 0
    _check(product, in_cart + quantity, customer=customer, group=group, in_cart=in_cart)
    return _store(cart, product, line, in_cart + quantity)


@transaction.atomic
def cart_update(
    *, cart: Cart, product_id: int, quantity: int, customer, group, catalogue_version: str = ""
) -> CartLine:
    """Set the quantity of a product already in the cart (`catalogue_version`: as `cart_add`)."""
    cart = _locked(cart)
    line = CartLine.objects.filter(cart=cart, product_id=product_id).first()
    if line is None:
        raise Refusal(_("This product is not in your cart."))
    product = _visible_product(line.product_id, group, catalogue_version)
    _check(product, quantity, customer=customer, group=group)
    return _store(cart, product, line, quantity)


@transaction.atomic
def cart_remove(*, cart: Cart, product_id: int) -> None:
    _locked(cart)
    CartLine.objects.filter(cart=cart, product_id=product_id).delete()


@dataclass
class AddManyResult:
    added: list[tuple[Product, int]] = field(default_factory=list)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (sku, quantity, reason)


class _QuantityChecks:
    """`_check` for many lines of one buyer: the pricing data and the buyer are resolved
    once, so each line costs no query (the same rules and messages as
    `pricing_services.check_quantity`)."""

    def __init__(self, *, customer, group):
        self.data = pricing_services.pricing_data()
        self.buyer, self.group = pricing_services.buyer_for(
            customer=customer, group=group, data=self.data
        )

    def check(self, product: Product, quantity: int, *, in_cart: int) -> None:
        if quantity > MAX_QUANTITY:
            raise Refusal(
                _("You can have at most %(max)s of %(product)s in your cart.")
                % {"max": f"{MAX_QUANTITY:,}", "product": product.name}
            )
        violations = engine.check_quantity(
            self.data.rules,
            pricing_services.snapshot_of(product, self.data),
            self.buyer,
            quantity,
            stock=product.stock if product.track_stock else None,
        )
        if violations:
            message = " ".join(
                pricing_services.violation_message(v, group=self.group) for v in violations
            )
            if in_cart:
                message += " " + _("(You already have %(count)s in your cart.)") % {
                    "count": in_cart
                }
            raise Refusal(message)


@transaction.atomic
def cart_add_many(*, cart: Cart, items: list[tuple[str, int]], customer, group) -> AddManyResult:
    """Add `(sku, quantity)` pairs: valid lines go to the cart (each checked on top of what
    the cart holds by then, so a SKU typed twice counts twice), invalid ones come back with
    their reason. Quick order and reorder both use this path; SKUs match as
    `catalog_selectors.sku_key`. The same number of queries for 10 lines or 1,000: one
    lookup of the SKUs, then one DELETE of the lines that change and one INSERT."""
    if len(items) > MAX_QUICK_ORDER_LINES:
        raise Refusal(
            _("Send at most %(max)s lines at a time.") % {"max": f"{MAX_QUICK_ORDER_LINES:,}"}
        )
    result = AddManyResult()
    products = catalog_selectors.visible_products_by_sku(
        group=group, skus=[sku for sku, _quantity in items]
    )
    cart = _locked(cart)
    existing = CartLine.objects.filter(cart=cart).order_by("added_at", "id")
    held, added = {}, {}
    for pk, quantity, added_at in existing.values_list("product_id", "quantity", "added_at"):
        held[pk], added[pk] = quantity, added_at
    before = dict(held)
    checks = _QuantityChecks(customer=customer, group=group)
    for sku, quantity in items:
        product = products.get(catalog_selectors.sku_key(sku))
        if product is None:
            result.rejected.append(
                (
                    sku,
                    str(quantity),
                    _("Unknown SKU: no product %(sku)s.") % {"sku": Truncator(sku).chars(70)},
                )
            )
            continue
        in_cart = held.get(product.pk, 0)
        try:
            checks.check(product, in_cart + quantity, in_cart=in_cart)
        except Refusal as refusal:
            result.rejected.append((sku, str(quantity), refusal.message))
            continue
        held[product.pk] = in_cart + quantity
        result.added.append((product, quantity))
    changed = [pk for pk in before if held[pk] != before[pk]]
    now = timezone.now()  # one time for the new lines: their ids keep the order typed
    _write_lines(
        cart,
        [(pk, held[pk], added[pk]) for pk in changed]
        + [(pk, quantity, now) for pk, quantity in held.items() if pk not in before],
        replacing=changed,
    )
    return result


# All the lines in one INSERT whatever their number, as one JSON parameter: `bulk_create`
# would split SQLite inserts every 249 rows.
ROWS = {
    "postgresql": "json_to_recordset(%s::json) AS r(product_id bigint, quantity integer, "
    "added_at timestamptz)",
    "sqlite": "(SELECT json_extract(value, '$.product_id') AS product_id, "
    "json_extract(value, '$.quantity') AS quantity, json_extract(value, '$.added_at') AS added_at "
    "FROM json_each(%s)) AS r",
}


def _write_lines(cart: Cart, rows: list[tuple[int, int, object]], *, replacing: list[int]) -> None:
    """Write the lines `(product id, quantity, added at)` of the cart in one INSERT, after
    deleting the lines of `replacing` they replace (a line keeps its place: the cart is in
    the order lines were added). Two statements for any number of lines, where an UPDATE
    with a CASE per line would compare every row with every line."""
    if replacing:
        CartLine.objects.filter(cart=cart, product_id__in=replacing).delete()
    if not rows:
        return
    adapt = connection.ops.adapt_datetimefield_value
    payload = json.dumps(
        [
            {"product_id": pk, "quantity": quantity, "added_at": str(adapt(added_at))}
            for pk, quantity, added_at in rows
        ]
    )
    table = connection.ops.quote_name(CartLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (cart_id, product_id, quantity, added_at) "
            f"SELECT %s, r.product_id, r.quantity, r.added_at FROM {ROWS[connection.vendor]}",
            [cart.pk, payload],
        )


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart, customer, group) -> list[str]:
    """Move the guest cart `source` into the customer's cart `target`, summing quantities per
    product and checking each result for the customer. A line that would break a rule keeps
    the customer's quantity; each such line gets a message. `source` is deleted."""
    carts = {
        cart.pk: cart for cart in lock_rows(Cart.objects.filter(pk__in=[source.pk, target.pk]))
    }
    if source.pk not in carts or target.pk not in carts or source.pk == target.pk:
        return []
    notes = []
    existing = {line.product_id: line for line in CartLine.objects.filter(cart=target)}
    incoming = list(CartLine.objects.filter(cart=source))
    visible = {
        product.pk: product
        for product in catalog_selectors.visible_products(
            group=group, ids=[line.product_id for line in incoming]
        )
    }
    for line in incoming:
        product = visible.get(line.product_id)
        if product is None:
            notes.append(_("A product from your cart is not available to your account."))
            continue
        mine = existing.get(product.pk)
        in_cart = mine.quantity if mine else 0
        try:
            _check(product, in_cart + line.quantity, customer=customer, group=group)
        except Refusal as refusal:
            notes.append(
                _("%(product)s was not added from your previous cart: %(reason)s")
                % {"product": product.name, "reason": refusal.message}
            )
            continue
        _store(target, product, mine, in_cart + line.quantity)
    source.delete()
    return notes


def cart_merge_guest(*, token: str | None, user) -> list[str]:
    """At login: the guest cart of `token` joins the customer's cart. Returns the notes to
    show about lines that could not move."""
    source = selectors.cart_get(token=token)
    if source is None:
        return []
    if not CartLine.objects.filter(cart=source).exists():
        source.delete()
        return []
    target = cart_get_or_create(user=user)
    return cart_merge(
        source=source, target=target, customer=user, group=customer_selectors.group_for(user)
    )


def carts_delete_stale(*, older_than: timedelta) -> int:
    """Delete the guest carts nobody touched for `older_than` (their sessions are gone too);
    customers' carts stay. The number of carts deleted."""
    cutoff = timezone.now() - older_than
    stale = Cart.objects.filter(user=None, created_at__lt=cutoff).exclude(
        lines__added_at__gte=cutoff
    )
    _total, by_model = Cart.objects.filter(pk__in=stale.values("pk")).delete()
    return by_model.get(Cart._meta.label, 0)


@transaction.atomic
def cart_erase(*, user) -> None:
    """Delete `user`'s cart and its lines (their account's erasure)."""
    Cart.objects.filter(user=user).delete()
