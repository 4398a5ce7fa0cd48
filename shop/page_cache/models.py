"""The version of what the storefront's pages show besides prices: products, categories and
their pictures and visibility, the content pages, the seller's details."""

import json
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

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
        cls, row: "KeyRow | None" = None, value=None, lists_of: int | None = None
    ) -> "Versions":
        """The versions a page depends on and, when asked, the `row` matching `value` and the
        saved lists of the customer `lists_of` (for a kept page's own part), in one query:
        every storefront request needs them, and on PostgreSQL each query is a round trip."""
        columns, joined, params = "NULL", "", []
        if lists_of is not None:
            columns = _lists_sql()
            params.append(lists_of)
        if row is not None:
            columns += "".join(f", kept.{column}" for column in row.columns)
            joined = f" LEFT JOIN {row.table} kept ON kept.{row.match} = %s"
            params.append(value)
        with connection.cursor() as cursor:
            cursor.execute(_VERSIONS_SQL.format(columns=columns, joined=joined), params)
            found = cursor.fetchone()
        lists = found[5]
        if isinstance(lists, str):  # SQLite hands JSON over as text
            lists = json.loads(lists)
        return Versions(
            storefront=found[0] or 0,
            pricing=PricingVersion.state_of(found[1:4]),
            catalogue=found[4] or "",
            row=found[6:] if row is not None and found[6] is not None else None,
            lists=[(pk, name) for pk, name in lists or ()] if lists_of is not None else None,
        )


class Versions(NamedTuple):
    """What `StorefrontVersion.read` returns."""

    storefront: int
    pricing: tuple[str, int, int]  # `PricingVersion.state`
    catalogue: str  # `CatalogueVersion` (of the category tree and the listings)
    row: tuple | None
    lists: list[tuple[int, str]] | None  # as `shop.cart.lists.selectors.list_choices`


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
