"""The token every process compares to know whether its compiled rule set is current, and the
log of the rules changed since, so a process can apply only those."""

import uuid

from django.db import connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

# Bumps whose changes stay in the log: a process further behind rebuilds everything.
LOG_KEEP = 1000


class PricingVersion(models.Model):
    """One row whose token changes whenever anything the compiled rules depend on changes.

    A random token rather than a counter: a bump inside a transaction that rolls back must
    not leave a process believing its rules match a later, different bump. ``seq`` counts the
    committed bumps: the bump holds this row's lock until its transaction ends, so bumps get
    their ``seq`` in commit order, and every logged change stamped with a ``seq`` up to the
    one a process reads is committed. ``log_start``: changes with a ``seq`` at or below it
    may have been pruned from the log."""

    token = models.UUIDField(default=uuid.uuid4)
    seq = models.PositiveBigIntegerField(default=0)
    log_start = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("pricing version")

    def __str__(self):
        return str(self.token)

    @classmethod
    def bump(cls) -> None:
        """A new version; the rule rows written since the last bump (logged by the database
        triggers of migration 0007, whatever wrote them) are stamped with its ``seq``."""
        with transaction.atomic():
            updated = cls.objects.filter(pk=1).update(token=uuid.uuid4(), seq=F("seq") + 1)
            if not updated:
                _version, created = cls.objects.get_or_create(pk=1, defaults={"seq": 1})
                if not created:
                    cls.objects.filter(pk=1).update(token=uuid.uuid4(), seq=F("seq") + 1)
            seq = cls.objects.filter(pk=1).values_list("seq", flat=True).get()
            PricingChange.objects.filter(seq__isnull=True).update(seq=seq)
            if seq % 100 == 0 and seq > LOG_KEEP:
                PricingChange.objects.filter(seq__lte=seq - LOG_KEEP).delete()
                cls.objects.filter(pk=1).update(log_start=seq - LOG_KEEP)

    @classmethod
    def current(cls) -> str:
        token = cls.objects.filter(pk=1).values_list("token", flat=True).first()
        return str(token) if token else ""

    @classmethod
    def state(cls) -> tuple[str, int, int]:
        """(token, seq, log_start) in one query; ("", 0, 0) before the first bump. Every
        request asks it: plain SQL, without building an ORM query each time."""
        with connection.cursor() as cursor:
            cursor.execute(STATE_SQL)
            return cls.state_of(cursor.fetchone())

    @staticmethod
    def state_of(row) -> tuple[str, int, int]:
        """`state` from a row of (token, seq, log_start), all NULL or None before the first
        bump: for a caller that reads the version in a query of its own."""
        if row is None or row[0] is None:
            return ("", 0, 0)
        return (str(uuid.UUID(str(row[0]))), row[1], row[2])


STATE_SQL = f"SELECT token, seq, log_start FROM {PricingVersion._meta.db_table} WHERE id = 1"


class PricingChange(models.Model):
    """A price or quantity rule row inserted, updated or deleted: written by database triggers
    (so bulk updates, cascades and imports are logged too), stamped by the next bump.

    The rule columns are plain ids with a join for reading (no constraint, nothing cascades):
    one query reads the ids changed since a version together with those rules' current rows,
    and a deleted rule is an id without a row."""

    seq = models.PositiveBigIntegerField(null=True, db_index=True)
    price_rule = models.ForeignKey(
        "pricing.PriceRule",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    quantity_rule = models.ForeignKey(
        "pricing.QuantityRule",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pricing change")

    def __str__(self):
        return f"{self.price_rule_id or self.quantity_rule_id} @ {self.seq}"
