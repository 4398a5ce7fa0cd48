"""The version of what the storefront's pages show besides prices: products, categories and
their pictures and visibility, the content pages, the seller's details."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from pricing.models import PricingVersion
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
    def read(cls, row: "KeyRow | None" = None, value=None) -> "Versions":
        """The versions a page depends on and, when asked, the `row` matching `value`, in one
        query: every storefront request needs them, and on PostgreSQL each query is a round
        trip."""
        sql, params = _VERSIONS_SQL.format(columns="", joined=""), []
        if row is not None:
            sql = _VERSIONS_SQL.format(
                columns="".join(f", kept.{column}" for column in row.columns),
                joined=f" LEFT JOIN {row.table} kept ON kept.{row.match} = %s",
            )
            params = [value]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        return Versions(
            storefront=found[0] or 0,
            pricing=PricingVersion.state_of(found[1:4]),
            catalogue=found[4] or "",
            row=found[5:] if row is not None and found[5] is not None else None,
        )


class Versions(NamedTuple):
    """What `StorefrontVersion.read` returns."""

    storefront: int
    pricing: tuple[str, int, int]  # `PricingVersion.state`
    catalogue: str  # `CatalogueVersion` (of the category tree and the listings)
    row: tuple | None


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
    f"(SELECT token FROM {CatalogueVersion._meta.db_table} WHERE id = 1){{columns}} "
    "FROM (SELECT 1 AS one) one "
    f"LEFT JOIN {PricingVersion._meta.db_table} pricing ON pricing.id = 1{{joined}}"
)
