"""Invoices and credit notes: legal documents with a gap-free number per year.

A document prints what it was issued with: `document` holds the snapshot (seller, buyer,
lines, VAT per rate, payment, mentions) written once at issue, so a later change of the shop's
details or of anything else never changes an issued document. The numbers come from one
counter row per (kind, year), moved in the transaction that issues the document."""

import re

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CREDIT_NOTE_NUMBER = re.compile(r"CN-[0-9]{4}-[0-9]{6,}")


def is_credit_note_number(value) -> bool:
    """Whether `value` has the shape of a credit note number: anything else names none and is
    never sent to the database (PostgreSQL refuses NUL characters in a query)."""
    return isinstance(value, str) and CREDIT_NOTE_NUMBER.fullmatch(value) is not None


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    QUOTE = "quote", _("Quote")


class DocumentCounter(models.Model):
    """The last number given to a kind of document in a year. Locked while a number is taken,
    so two issues queue; a rolled-back issue rolls the counter back with it."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="documentcounter_kind_year"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class Invoice(models.Model):
    """The invoice of one order, issued when its payment is received (or at placement for an
    order on account)."""

    NUMBER_FORMAT = "{year}-{sequence:06d}"

    order = models.OneToOneField(
        "shop.Order", on_delete=models.PROTECT, related_name="invoice", verbose_name=_("order")
    )
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(
        _("sequence"), validators=[MinValueValidator(1)], editable=False
    )
    issued_at = models.DateTimeField(_("issued at"), editable=False)
    issue_date = models.DateField(_("issue date"), editable=False)
    currency = models.CharField(_("currency"), max_length=3, editable=False)
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    document = models.JSONField(_("document as issued"), editable=False)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_year_sequence"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="invoice_seq_pos"),
        ]

    def __str__(self):
        return self.number


class CreditNote(models.Model):
    """A credit on an invoice: the whole of what is left of it (a cancellation) or the lines
    of a refund. Its own sequence of numbers (`CN-2026-000007`)."""

    NUMBER_FORMAT = "CN-{year}-{sequence:06d}"

    class Reason(models.TextChoices):
        CANCELLATION = "cancellation", _("Cancellation")
        REFUND = "refund", _("Refund")

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("invoice"),
    )
    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(
        _("sequence"), validators=[MinValueValidator(1)], editable=False
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    issued_at = models.DateTimeField(_("issued at"), editable=False)
    issue_date = models.DateField(_("issue date"), editable=False)
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    document = models.JSONField(_("document as issued"), editable=False)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="creditnote_year_sequence"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="creditnote_seq_pos"),
            models.CheckConstraint(condition=models.Q(total__gt=0), name="creditnote_total_pos"),
        ]

    def __str__(self):
        return self.number
