"""Quotes, their lines and their history.

A quote is numbered `Q-<year>-<sequence>` from the gap-free counter of `shop.invoices`. Its
state moves only through `shop.quotes.services`: requested -> offered -> accepted, declined or
expired; a revision asked on an offer sends it back to requested. The negotiated unit prices
are net of tax, like the catalogue's base prices."""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NUMBER_FORMAT = "Q-{year}-{sequence:04d}"
QUOTE_NUMBER = re.compile(r"Q-[0-9]{4}-[0-9]{4,}")


def is_quote_number(value) -> bool:
    """Whether `value` has the shape of a quote number (anything else is never queried)."""
    return isinstance(value, str) and QUOTE_NUMBER.fullmatch(value) is not None


class QuoteState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Quote(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("buyer"),
    )
    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("company"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=QuoteState.choices, default=QuoteState.REQUESTED
    )
    note = models.TextField(_("buyer's note"), blank=True, max_length=2000)
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    discount_percent = models.DecimalField(
        _("discount on the whole (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    valid_until = models.DateField(_("valid until (inclusive)"), null=True, blank=True)
    offer_message = models.TextField(_("offer message"), blank=True, max_length=2000)
    usable_once = models.BooleanField(_("usable once"), default=True)
    times_used = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="quote_year_sequence"),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="quote_buyer_recent"),
            models.Index(fields=["company", "-created_at"], name="quote_company_recent"),
            models.Index(fields=["state", "valid_until"], name="quote_state_validity"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_offered(self) -> bool:
        return self.state == QuoteState.OFFERED

    @property
    def is_accepted(self) -> bool:
        return self.state == QuoteState.ACCEPTED


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "shop.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("quoted unit price (excl. VAT)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "product"], name="quoteline_one_per_product"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="quoteline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.sku}"


class QuoteEventKind(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offer sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVISION = "revision", _("Revision asked")
    EXPIRED = "expired", _("Expired")
    USED = "used", _("Used in an order")


class QuoteEvent(models.Model):
    """One step of a quote's history: who did what, when, with what message."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=QuoteEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    message = models.TextField(_("message"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("quote event")
        verbose_name_plural = _("quote events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.quote_id} {self.kind}"
