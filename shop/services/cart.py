"""Cart write paths: add, update, remove, quick order and the merge at login.

Every change is checked on the server with `pricing.services.check_quantity` on the quantity
the cart would hold for the product (what is already there plus what is added), and with the
product's visibility to the buyer's group. A refused change leaves the cart as it was and
raises `ShopError` with a message the buyer understands.
"""

import re
import secrets
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _

from customers import services as customer_services
from pricing import services as pricing_services

from .. import order_selectors
from ..models import Cart, CartLine, Product
from .errors import ShopError

MAX_QUANTITY = 100_000
MAX_QUICK_ORDER_LINES = 500
SESSION_KEY = "cart_token"
QUANTITY_PATTERN = re.compile(r"\+?(\d{1,12})", re.ASCII)


def parse_quantity(raw) -> int:
    """A whole quantity from 1 to MAX_QUANTITY, or ShopError whatever was posted."""
    text = str(raw if raw is not None else "").strip()
    match = QUANTITY_PATTERN.fullmatch(text)
    quantity = int(match.group(1)) if match else 0
    if quantity < 1 or quantity > MAX_QUANTITY:
        raise ShopError(
            _("Enter a whole number from 1 to %(max)s as the quantity.")
            % {"max": f"{MAX_QUANTITY:,}"}
        )
    return quantity


def _check(product: Product, quantity: int, *, customer, group, in_cart: int = 0) -> None:
    if quantity > MAX_QUANTITY:
        raise ShopError(
            _("You can have at most %(max)s of %(product)s in your cart.")
            % {"max": f"{MAX_QUANTITY:,}", "product": product.name}
        )
    problems = pricing_services.check_quantity(product, quantity, customer=customer, group=group)
    if problems:
        message = " ".join(problems)
        if in_cart:
            message += " " + _("(You already have %(count)s in your cart.)") % {"count": in_cart}
        raise ShopError(message)


def _visible_product(product_id, group) -> Product:
    try:
        product_id = int(product_id)
    except (TypeError, ValueError):
        product_id = None
    product = (
        order_selectors.visible_products(group=group, ids=[product_id]).first()
        if product_id is not None and 0 < product_id < 2**63
        else None
    )
    if product is None:
        raise ShopError(_("This product is not available."))
    return product


def _locked(cart: Cart) -> Cart:
    """The cart row locked for the rest of the transaction: one change at a time per cart."""
    return Cart.objects.select_for_update().get(pk=cart.pk)


# --- finding the cart ---------------------------------------------------------------------------


def cart_get(*, user=None, token: str | None = None) -> Cart | None:
    if user is not None:
        return Cart.objects.filter(user=user).first()
    if token:
        return Cart.objects.filter(token=token).first()
    return None


def cart_get_or_create(*, user=None, token: str | None = None) -> Cart:
    if user is not None:
        return Cart.objects.get_or_create(user=user)[0]
    return Cart.objects.get_or_create(token=token)[0]


def cart_for_request(request, *, create: bool = False) -> Cart | None:
    """The customer's cart, or the guest's cart found through the token in their session."""
    if request.user.is_authenticated:
        if create:
            return cart_get_or_create(user=request.user)
        return cart_get(user=request.user)
    token = request.session.get(SESSION_KEY)
    if not create:
        return cart_get(token=token)
    if not token:
        token = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return cart_get_or_create(token=token)


# --- changes --------------------------------------------------------------------------------------


@transaction.atomic
def cart_add(*, cart: Cart, product_id, quantity, customer, group) -> CartLine:
    """Add `quantity` of a product (summed with what the cart already holds)."""
    quantity = parse_quantity(quantity)
    product = _visible_product(product_id, group)
    cart = _locked(cart)
    line = CartLine.objects.filter(cart=cart, product=product).first()
    in_cart = line.quantity if line else 0
    _check(product, in_cart + quantity, customer=customer, group=group, in_cart=in_cart)
    if line is None:
        return CartLine.objects.create(cart=cart, product=product, quantity=quantity)
    line.quantity = in_cart + quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_update(*, cart: Cart, product_id, quantity, customer, group) -> CartLine:
    """Set the quantity of a product already in the cart."""
    quantity = parse_quantity(quantity)
    cart = _locked(cart)
    line = CartLine.objects.filter(cart=cart, product_id=_int_or_none(product_id)).first()
    if line is None:
        raise ShopError(_("This product is not in your cart."))
    product = _visible_product(line.product_id, group)
    _check(product, quantity, customer=customer, group=group)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_remove(*, cart: Cart, product_id) -> None:
    _locked(cart)
    CartLine.objects.filter(cart=cart, product_id=_int_or_none(product_id)).delete()


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# --- quick order and reorder ----------------------------------------------------------------------


@dataclass
class QuickOrderResult:
    added: list[tuple[Product, int]] = field(default_factory=list)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (sku, quantity, reason)


@transaction.atomic
def cart_add_many(*, cart: Cart, items, customer, group) -> QuickOrderResult:
    """Add `(sku, quantity text)` pairs: valid lines go to the cart one after the other (each
    checked on top of what the cart holds by then), invalid ones come back with their reason.
    Quick order and reorder both use this path."""
    items = [(str(sku).strip(), str(quantity).strip()) for sku, quantity in items]
    result = QuickOrderResult()
    if len(items) > MAX_QUICK_ORDER_LINES:
        raise ShopError(_("Send at most %(max)s lines at a time.") % {"max": MAX_QUICK_ORDER_LINES})
    wanted = {sku.upper() for sku, _quantity in items if sku}
    skus = wanted | {sku for sku, _quantity in items if sku}
    products = {
        product.sku.upper(): product
        for product in order_selectors.visible_products(group=group, skus=skus)
    }
    cart = _locked(cart)
    lines = {line.product_id: line for line in CartLine.objects.filter(cart=cart)}
    for sku, raw_quantity in items:
        product = products.get(sku.upper())
        if product is None:
            result.rejected.append(
                (sku, raw_quantity, _("Unknown SKU: no product %(sku)s.") % {"sku": sku})
            )
            continue
        try:
            quantity = parse_quantity(raw_quantity)
            line = lines.get(product.pk)
            in_cart = line.quantity if line else 0
            _check(product, in_cart + quantity, customer=customer, group=group, in_cart=in_cart)
        except ShopError as error:
            result.rejected.append((sku, raw_quantity, error.message))
            continue
        if line is None:
            lines[product.pk] = CartLine.objects.create(
                cart=cart, product=product, quantity=quantity
            )
        else:
            line.quantity = in_cart + quantity
            line.save(update_fields=["quantity"])
        result.added.append((product, quantity))
    return result


# --- login ----------------------------------------------------------------------------------------


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart, customer, group) -> list[str]:
    """Move the guest cart `source` into the customer's cart `target`, summing quantities per
    product and checking each result for the customer. A line that would break a rule keeps
    the customer's quantity; each such line gets a message. `source` is deleted."""
    carts = {
        cart.pk: cart
        for cart in Cart.objects.select_for_update()
        .order_by("pk")
        .filter(pk__in=[source.pk, target.pk])
    }
    if source.pk not in carts or target.pk not in carts or source.pk == target.pk:
        return []
    notes = []
    existing = {line.product_id: line for line in CartLine.objects.filter(cart=target)}
    incoming = list(CartLine.objects.filter(cart=source))
    visible = {
        product.pk: product
        for product in order_selectors.visible_products(
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
        except ShopError as error:
            notes.append(
                _("%(product)s was not added from your previous cart: %(reason)s")
                % {"product": product.name, "reason": error.message}
            )
            continue
        if mine is None:
            CartLine.objects.create(cart=target, product=product, quantity=line.quantity)
        else:
            mine.quantity = in_cart + line.quantity
            mine.save(update_fields=["quantity"])
    source.delete()
    return notes


def cart_merge_on_login(*, request, user) -> None:
    """Called by the login view right after `auth_login`: the guest's cart (found through
    the token in the session, which survives login) joins the customer's cart."""
    token = request.session.pop(SESSION_KEY, None)
    source = cart_get(token=token)
    if source is None:
        return
    if not CartLine.objects.filter(cart=source).exists():
        source.delete()
        return
    target = cart_get_or_create(user=user)
    notes = cart_merge(
        source=source, target=target, customer=user, group=customer_services.group_for(user)
    )
    for note in notes:
        messages.warning(request, note)
