"""Shipping methods: price, destinations, thresholds and the groups that may use them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.countries import country_name, selling_countries


class CountryListField(CountryField):
    """Several countries (django-countries' `multiple`), with the codes of a typed list
    stripped and upper-cased: "BE, de" is BE and DE, not "BE" and " de"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("multiple", True)
        super().__init__(*args, **kwargs)

    def country_to_text(self, value):
        text = super().country_to_text(value)
        return text.strip().upper() if text else text


class ShippingMethod(models.Model):
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    price = models.DecimalField(
        _("price (net)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Taxed at the destination's standard rate."),
    )
    free_above = models.DecimalField(
        _("free above"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Free when the goods total reaches this amount (as the buyer sees it: including "
            "tax for groups that see gross prices). Empty: never free."
        ),
    )
    min_subtotal = models.DecimalField(
        _("offered from"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Offered only when the net goods subtotal reaches this amount."),
    )
    groups = models.ManyToManyField(
        "customers.CustomerGroup",
        blank=True,
        related_name="+",
        verbose_name=_("customer groups"),
        help_text=_("Leave empty for everyone."),
    )
    countries = CountryListField(
        _("countries"),
        blank=True,
        help_text=_("Leave empty for every country the shop sells to."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["position", "price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="shippingmethod_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def country_codes(self) -> set[str]:
        """The ISO codes of the destinations (empty: every selling country)."""
        return {str(country.code).strip().upper() for country in self.countries if country.code}

    def clean(self):
        super().clean()
        codes = self.country_codes
        self.countries = sorted(codes)
        not_sold = sorted(codes - selling_countries())
        if not_sold:
            raise ValidationError(
                {
                    "countries": _(
                        "The shop does not sell to %(countries)s (SHOP_SELLING_COUNTRIES): "
                        "remove them from this method."
                    )
                    % {"countries": ", ".join(country_name(code) for code in not_sold)}
                }
            )
