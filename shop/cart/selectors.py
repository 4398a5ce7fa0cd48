"""Reads of the cart page, in a constant number of queries: the cart re-priced now for this
buyer and destination, and what the buyer can no longer order."""

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch

from core.db import columns_of, prepared_cursor, prepared_raw
from pricing import carts as pricing_carts
from pricing import display as pricing_display
from pricing import services as pricing_services
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product, ProductImage

from .models import Cart, CartLine

# Every cart and checkout page reads the buyer's cart: plain SQL (each key is unique), without
# building an ORM query each time.
_CART_BY_USER = f"SELECT {columns_of(Cart)} FROM {Cart._meta.db_table} WHERE user_id = %s"
_CART_BY_TOKEN = f"SELECT {columns_of(Cart)} FROM {Cart._meta.db_table} WHERE token = %s"
# Every add reads the cart's line for the product, every order the cart's quantities.
_LINE = (
    f"SELECT {columns_of(CartLine)} FROM {CartLine._meta.db_table} "
    "WHERE cart_id = %s AND product_id = %s"
)
_QUANTITIES = (
    f"SELECT product_id, quantity FROM {CartLine._meta.db_table} "
    "WHERE cart_id = %s ORDER BY added_at, id"
)


def cart_get(*, user=None, token: str | None = None) -> Cart | None:
    """The customer's cart, or the guest cart of this token."""
    if user is not None:
        return next(iter(prepared_raw(Cart, _CART_BY_USER, [user.pk])), None)
    if token:
        return next(iter(prepared_raw(Cart, _CART_BY_TOKEN, [token])), None)
    return None


def cart_line(cart: Cart, product_id: int) -> CartLine | None:
    """The cart's line for the product (there is one at most)."""
    return next(iter(prepared_raw(CartLine, _LINE, [cart.pk, product_id])), None)


def cart_quantities(cart: Cart) -> dict[int, int]:
    """{product id: quantity} of the cart's lines, in the order they were added."""
    with prepared_cursor() as cursor:
        cursor.execute(_QUANTITIES, [cart.pk])
        return dict(cursor.fetchall())


class NextTier(NamedTuple):
    quantity: int
    price: Decimal  # the unit price as shown


@dataclass(frozen=True)
class CartRow:
    line: CartLine
    priced: "pricing_carts.CartLine"
    bounds: "pricing_services.QuantityBounds"
    next_tier: NextTier | None
    thumbnail_url: str = ""  # the product's first picture, small

    @property
    def tier_reached(self):
        """The quantity price rule this line reached, if any."""
        rule = self.priced.quote.rule
        return rule if rule is not None and rule.min_quantity > 1 else None


def cart_lines(cart: Cart | None) -> list[CartLine]:
    """The cart's lines in the order they were added, with their products and all their
    pictures."""
    if cart is None or cart.pk is None:
        return []
    lines = CartLine.objects.filter(cart=cart).select_related("product")
    lines = lines.prefetch_related(
        Prefetch("product__images", queryset=ProductImage.objects.order_by("position", "id"))
    )
    return list(lines.order_by("added_at", "id"))


def _lines_read(cart: Cart | None, group, *, thumbnail: bool) -> list[CartLine]:
    """The cart's lines with their products, read with the group's restrictions for
    `catalog_selectors.visible_among` (and, `thumbnail`, each product's first thumbnail as
    `first_thumbnail`, a file name or None: no picture rows to load). Plain SQL, since every
    cart and checkout page reads them and building the ORM query (its join and subqueries)
    cost more than running it. Read as products (so their columns are converted as the ORM
    does) carrying their line's columns; the time a line was added is left to read on use
    (the pages only order by it)."""
    if cart is None or cart.pk is None:
        return []
    sql = _LINES_WITH_THUMBNAIL_SQL if thumbnail else _LINES_SQL
    lines = []
    for product in prepared_raw(Product, sql, [group.pk if group is not None else None, cart.pk]):
        line = CartLine.from_db(
            CartLine.objects.db,
            ["id", "cart_id", "product_id", "quantity"],
            [product.line_id, cart.pk, product.pk, product.line_quantity],
        )
        line.cart, line.product = cart, product
        line.first_thumbnail = getattr(product, "first_thumbnail", None)
        lines.append(line)
    return lines


def _lines_sql(*, thumbnail: bool) -> str:
    line, product = CartLine._meta.db_table, Product._meta.db_table
    first_thumbnail = (
        f", (SELECT i.thumbnail FROM {ProductImage._meta.db_table} i WHERE i.product_id = p.id "
        "ORDER BY i.position, i.id LIMIT 1) AS first_thumbnail"
        if thumbnail
        else ""
    )
    return (
        f"SELECT {columns_of(Product, 'p')}, l.id AS line_id, l.quantity AS line_quantity, "
        f"{catalog_selectors.GROUP_RESTRICTION}{first_thumbnail} "
        f"FROM {line} l JOIN {product} p ON p.id = l.product_id "
        "WHERE l.cart_id = %s ORDER BY l.added_at, l.id"
    )


_LINES_SQL = _lines_sql(thumbnail=False)
_LINES_WITH_THUMBNAIL_SQL = _lines_sql(thumbnail=True)


@dataclass(frozen=True)
class PricedCart:
    """The cart priced for checkout: what its steps check and show, without the cart page's
    per-line display (pictures, tiers, quantity bounds)."""

    lines: list[CartLine]  # those the buyer can still order, priced in `quote.lines`
    unavailable: list[CartLine]
    quote: "pricing_carts.CartQuote"
    carried_quote: object = None
    quote_message: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.unavailable

    @property
    def can_check_out(self) -> bool:
        return self.quote.can_check_out and not self.unavailable


@dataclass(frozen=True)
class CartPage(PricedCart):
    """The priced cart with what the cart page shows of each line it can still order."""

    rows: list[CartRow] = field(default_factory=list)


def cart_priced(
    *,
    cart: Cart | None,
    customer,
    group,
    country: str | None = None,
    carried_quote=None,
    quoted=None,
    quote_message: str = "",
    lines: list[CartLine] | None = None,
    tree=None,
) -> PricedCart:
    """The cart re-priced now for this buyer and destination; `carried_quote`, `quoted` and
    `quote_message`: the accepted quote it carries, its prices when usable, or why not
    (`shop.quotes.selectors.cart_quote`). `lines`: the cart's lines, when already read for
    this group (`_lines_read`); `tree`: the group's category tree, when already read
    (`catalog_selectors.visible_products`)."""
    lines = _lines_read(cart, group, thumbnail=False) if lines is None else lines
    visible = catalog_selectors.visible_among(
        [line.product for line in lines], group=group, tree=tree
    )
    available = [line for line in lines if line.product_id in visible]
    quote = pricing_carts.price_cart(
        [(line.product, line.quantity) for line in available],
        customer=customer,
        group=group,
        country=country,
        quoted=quoted,
    )
    return PricedCart(
        lines=available,
        unavailable=[line for line in lines if line.product_id not in visible],
        quote=quote,
        carried_quote=carried_quote,
        quote_message=quote_message,
    )


def cart_page(
    *,
    cart: Cart | None,
    customer,
    group,
    country: str | None = None,
    carried_quote=None,
    quoted=None,
    quote_message: str = "",
    tree=None,
) -> CartPage:
    """The cart priced as `cart_priced`, with each line's thumbnail, next tier and quantity
    bounds for the cart page."""
    priced_cart = cart_priced(
        cart=cart,
        customer=customer,
        group=group,
        country=country,
        carried_quote=carried_quote,
        quoted=quoted,
        quote_message=quote_message,
        lines=_lines_read(cart, group, thumbnail=True),
        tree=tree,
    )
    thumbnails = ProductImage._meta.get_field("thumbnail").storage
    rows = []
    for line, priced in zip(priced_cart.lines, priced_cart.quote.lines, strict=True):
        tiers = pricing_display.display_tiers(
            line.product, customer=customer, group=group, country=country
        )
        next_tier = next(
            (NextTier(qty, price) for qty, price in tiers if qty > line.quantity and qty > 1),
            None,
        )
        rows.append(
            CartRow(
                line=line,
                priced=priced,
                bounds=pricing_services.quantity_bounds(
                    line.product, customer=customer, group=group
                ),
                next_tier=next_tier,
                thumbnail_url=thumbnails.url(line.first_thumbnail) if line.first_thumbnail else "",
            )
        )
    priced = {column.name: getattr(priced_cart, column.name) for column in fields(PricedCart)}
    return CartPage(**priced, rows=rows)
