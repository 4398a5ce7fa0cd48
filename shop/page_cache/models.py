"""The version of what the storefront's pages show besides prices: products, categories and
their pictures and visibility, the content pages, the seller's details."""

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
        """Every kept page's request asks it: plain SQL, without building an ORM query."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def current_with_pricing(cls) -> tuple[int, tuple[str, int, int]]:
        """`current` and the pricing version's state in one query: a kept page's request
        needs both, and on PostgreSQL each query is a round trip."""
        with connection.cursor() as cursor:
            cursor.execute(_WITH_PRICING_SQL)
            row = cursor.fetchone()
        return row[0] or 0, PricingVersion.state_of(row[1:])


_WITH_PRICING_SQL = (
    f"SELECT (SELECT seq FROM {StorefrontVersion._meta.db_table} WHERE id = 1), "
    "pricing.token, pricing.seq, pricing.log_start FROM (SELECT 1 AS one) one "
    f"LEFT JOIN {PricingVersion._meta.db_table} pricing ON pricing.id = 1"
)
