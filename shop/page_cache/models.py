"""The version of what the storefront's pages show besides prices: products, categories and
their pictures and visibility, the content pages, the seller's details."""

import json
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from core.db import prepared_cursor
from customers import selectors as customer_selectors
from customers.models import CustomerGroup, User
from pricing.models import PricingVersion
from shop.cart.lists.models import SavedList
from shop.cart.models import Cart
from shop.catalog.models import CatalogueVersion
from shop.payments import selectors as payment_selectors
from shop.payments.models import CheckoutPolicy


class StorefrontVersion(models.Model):
    """One row whose `seq` the database itself raises on every write the pages show (triggers
    of migration 0029, so bulk updates, imports, cascades and the shell count too). A stock
    update counts only when the product goes out of stock or comes back: the exact stock a
    product page shows is read per request. (`shop.catalog.models.CatalogueVersion` is the
    narrower version of what listings hold and their order, which kept listings and the
    category tree are keyed by.)"""

    seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("storefront version")

    def __str__(self):
        return str(self.seq)

    @classmethod
    def read(
        cls,
        row: "KeyRow | None" = None,
        value=None,
        lists_of: int | None = None,
        user_id: int | None = None,
        cart_of: tuple[str, object] | None = None,
    ) -> "Versions":
        """The versions a page depends on, the default group (a guest's) and, when asked, the
        `row` matching `value`, the saved lists of the customer `lists_of` and the account
        `user_id` with its group (`customers.selectors.user_with_viewer_sql`), in one query:
        every storefront request needs them, and on PostgreSQL each query is a round trip.
        Each group comes with its checkout policy, which every checkout step reads. `cart_of`:
        the visitor's cart, found by (column, value) of `Cart` (a customer's id or a guest's
        token), for the cart and checkout pages."""
        columns, joined, params = "NULL", "", []
        if lists_of is not None:
            columns = _lists_sql()
            params.append(lists_of)
        columns += _subquery_columns("guest", customer_selectors.DEFAULT_GROUP_COLUMNS)
        joined += f" LEFT JOIN ({customer_selectors.DEFAULT_GROUP_SQL}) guest ON 1 = 1"
        columns, joined = _with_policy("guest", "guest.v0", columns, joined)
        if user_id is not None:
            columns += _subquery_columns("viewer", customer_selectors.USER_WITH_VIEWER_COLUMNS)
            joined += f" LEFT JOIN ({customer_selectors.user_with_viewer_sql()}) viewer ON 1 = 1"
            group_id = f"viewer.{customer_selectors.VIEWER_GROUP_ID_COLUMN}"
            columns, joined = _with_policy("viewer", group_id, columns, joined)
            params.append(user_id)
        if cart_of is not None:
            columns += "".join(f", cart.{column}" for column in _CART_COLUMNS)
            joined += f" LEFT JOIN {Cart._meta.db_table} cart ON cart.{cart_of[0]} = %s"
            params.append(cart_of[1])
        if row is not None:
            columns += "".join(f", kept.{column}" for column in row.columns)
            joined += f" LEFT JOIN {row.table} kept ON kept.{row.match} = %s"
            params.append(value)
        with prepared_cursor() as cursor:
            cursor.execute(_VERSIONS_SQL.format(columns=columns, joined=joined), params)
            found = cursor.fetchall()
        first = found[0]
        lists = first[5]
        if isinstance(lists, str):  # SQLite hands JSON over as text
            lists = json.loads(lists)
        values = iter(first[6:])
        guest_values = _next(values, customer_selectors.DEFAULT_GROUP_COLUMNS)
        guest_policy = _next(values, len(payment_selectors.POLICY_COLUMNS))
        # More than one row: more than one default group, which `default_group` refuses.
        guest_group = customer_selectors.group_from_row(guest_values) if len(found) == 1 else None
        if guest_group is not None:
            payment_selectors.remember_policy(guest_group, guest_policy)
        user = None
        if user_id is not None:
            user = customer_selectors.user_from_row(
                _next(values, customer_selectors.USER_WITH_VIEWER_COLUMNS)
            )
            viewer_policy = _next(values, len(payment_selectors.POLICY_COLUMNS))
            viewer_group = getattr(user, "_viewer", (None,))[0]
            if viewer_group is not None:
                payment_selectors.remember_policy(viewer_group, viewer_policy)
        cart = None
        if cart_of is not None:
            cart_values = _next(values, len(_CART_COLUMNS))
            found_cart = None
            if cart_values[0] is not None:
                found_cart = Cart.from_db(connection.alias, _CART_COLUMNS, cart_values)
            cart = CartRead(cart_of, found_cart)
        kept = tuple(values)
        return Versions(
            storefront=first[0] or 0,
            pricing=PricingVersion.state_of(first[1:4]),
            catalogue=first[4] or "",
            row=kept if row is not None and kept[0] is not None else None,
            lists=[(pk, name) for pk, name in lists or ()] if lists_of is not None else None,
            guest_group=guest_group,
            user=user,
            cart=cart,
        )


class Versions(NamedTuple):
    """What `StorefrontVersion.read` returns."""

    storefront: int
    pricing: tuple[str, int, int]  # `PricingVersion.state`
    catalogue: str  # `CatalogueVersion` (of the category tree and the listings)
    row: tuple | None
    lists: list[tuple[int, str]] | None  # as `shop.cart.lists.selectors.list_choices`
    guest_group: CustomerGroup | None = None
    user: User | None = None  # the account `user_id`, when asked and it exists
    cart: "CartRead | None" = None  # when asked


class CartRead(NamedTuple):
    """The cart found by `key` (`cart_of`): None when there is none."""

    key: tuple[str, object]
    cart: Cart | None


_CART_COLUMNS = [field.attname for field in Cart._meta.concrete_fields]


def _subquery_columns(alias: str, count: int) -> str:
    return "".join(f", {alias}.v{number}" for number in range(count))


def _with_policy(alias: str, group_id: str, columns: str, joined: str) -> tuple[str, str]:
    """The query's columns and joins with the checkout policy of the group `group_id`, which
    every checkout step reads (`payment_selectors.remember_policy`)."""
    table = f"{alias}_policy"
    columns += "".join(f", {table}.{column}" for column in payment_selectors.POLICY_COLUMNS)
    joined += f" LEFT JOIN {CheckoutPolicy._meta.db_table} {table} ON {table}.group_id = {group_id}"
    return columns, joined


def _next(values, count: int) -> tuple:
    return tuple(next(values) for _number in range(count))


@dataclass(frozen=True)
class KeyRow:
    """A row a kept page's key holds (a product page's stock): the `columns` of the row of
    `table` whose `match` column equals the view's argument of that name. The first column
    must be NOT NULL: a NULL there means no such row."""

    table: str
    columns: tuple[str, ...]
    match: str


_VERSIONS_SQL = (
    f"SELECT (SELECT seq FROM {StorefrontVersion._meta.db_table} WHERE id = 1), "
    "pricing.token, pricing.seq, pricing.log_start, "
    f"(SELECT token FROM {CatalogueVersion._meta.db_table} WHERE id = 1), {{columns}} "
    "FROM (SELECT 1 AS one) one "
    f"LEFT JOIN {PricingVersion._meta.db_table} pricing ON pricing.id = 1{{joined}}"
)


def _lists_sql() -> str:
    """The (id, name) pairs of a customer's saved lists as one JSON array, in the order of
    `list_choices`."""
    table = SavedList._meta.db_table
    if connection.vendor == "postgresql":
        return (
            "(SELECT json_agg(json_build_array(l.id, l.name) ORDER BY LOWER(l.name), l.id) "
            f"FROM {table} l WHERE l.owner_id = %s)"
        )
    return (
        "(SELECT json_group_array(json_array(l.id, l.name)) FROM (SELECT id, name "
        f"FROM {table} WHERE owner_id = %s ORDER BY LOWER(name), id) l)"
    )
