"""The version of what the storefront's pages show besides prices: products, categories and
their pictures and visibility, the content pages, the seller's details."""

from dataclasses import dataclass

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from pricing.models import PricingVersion


class StorefrontVersion(models.Model):
    """One row whose `seq` the database itself raises on every write the pages show (triggers
    of migration 0029, so bulk updates, imports, cascades and the shell count too). A stock
    update counts only when the product goes out of stock or comes back: the exact stock a
    product page shows is read per request. (`shop.catalog.models.CatalogueVersion` is the
    narrower version of what listings hold and their order, which kept listings are keyed by.)"""

    seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("storefront version")

    def __str__(self):
        return str(self.seq)

    @classmethod
    def current(cls) -> int:
        """The version alone (kept pages read it with `current_with_pricing`)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def current_with_pricing(
        cls, row: "KeyRow | None" = None, value=None
    ) -> tuple[int, tuple[str, int, int], tuple | None]:
        """`current`, the pricing version's state and, when asked, the `row` matching `value`
        (None without one), in one query: a kept page's request needs them all, and on
        PostgreSQL each query is a round trip."""
        sql, params = _WITH_PRICING_SQL.format(columns="", joined=""), []
        if row is not None:
            sql = _WITH_PRICING_SQL.format(
                columns="".join(f", kept.{column}" for column in row.columns),
                joined=f" LEFT JOIN {row.table} kept ON kept.{row.match} = %s",
            )
            params = [value]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        values = found[4:] if row is not None and found[4] is not None else None
        return found[0] or 0, PricingVersion.state_of(found[1:4]), values


@dataclass(frozen=True)
class KeyRow:
    """A row a kept page's key holds (a product page's stock): the `columns` of the row of
    `table` whose `match` column equals the view's argument of that name. The first column
    must be NOT NULL: a NULL there means no such row."""

    table: str
    columns: tuple[str, ...]
    match: str


_WITH_PRICING_SQL = (
    f"SELECT (SELECT seq FROM {StorefrontVersion._meta.db_table} WHERE id = 1), "
    "pricing.token, pricing.seq, pricing.log_start{columns} FROM (SELECT 1 AS one) one "
    f"LEFT JOIN {PricingVersion._meta.db_table} pricing ON pricing.id = 1{{joined}}"
)
