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
from shop.catalog.models import CatalogueVersion


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
    ) -> "Versions":
        """The versions a page depends on, the default group (a guest's) and, when asked, the
        `row` matching `value`, the saved lists of the customer `lists_of` and the account
        `user_id` with its group (`customers.selectors.user_with_viewer_sql`), in one query:
        every storefront request needs them, and on PostgreSQL each query is a round trip."""
        columns, joined, params = "NULL", "", []
        if lists_of is not None:
            columns = _lists_sql()
            params.append(lists_of)
        columns += _subquery_columns("guest", customer_selectors.DEFAULT_GROUP_COLUMNS)
        joined += f" LEFT JOIN ({customer_selectors.DEFAULT_GROUP_SQL}) guest ON 1 = 1"
        if user_id is not None:
            columns += _subquery_columns("viewer", customer_selectors.USER_WITH_VIEWER_COLUMNS)
            joined += f" LEFT JOIN ({customer_selectors.user_with_viewer_sql()}) viewer ON 1 = 1"
            params.append(user_id)
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
        at = 6 + customer_selectors.DEFAULT_GROUP_COLUMNS
        guest_values, user_values = first[6:at], ()
        if user_id is not None:
            user_values = first[at : at + customer_selectors.USER_WITH_VIEWER_COLUMNS]
            at += customer_selectors.USER_WITH_VIEWER_COLUMNS
        return Versions(
            storefront=first[0] or 0,
            pricing=PricingVersion.state_of(first[1:4]),
            catalogue=first[4] or "",
            row=first[at:] if row is not None and first[at] is not None else None,
            lists=[(pk, name) for pk, name in lists or ()] if lists_of is not None else None,
            # More than one row: more than one default group, which `default_group` refuses.
            guest_group=(
                customer_selectors.group_from_row(guest_values) if len(found) == 1 else None
            ),
            user=customer_selectors.user_from_row(user_values) if user_id is not None else None,
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


def _subquery_columns(alias: str, count: int) -> str:
    return "".join(f", {alias}.v{number}" for number in range(count))


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
