"""Tax classes and the rates of each country and class."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TaxClass(models.TextChoices):
    STANDARD = "standard", _("Standard rate")
    REDUCED = "reduced", _("Reduced rate")
    ZERO = "zero", _("Zero rate")


class TaxRate(models.Model):
    # Any real country (ISO 3166-1), not only the selling ones: a rate may be set up before
    # the shop sells there.
    country = CountryField(_("country"))
    tax_class = models.CharField(_("tax class"), max_length=16, choices=TaxClass.choices)
    rate = models.DecimalField(
        _("rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("A fraction: 0.2000 is 20%."),
    )

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["country", "tax_class"]
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_class"], name="taxrate_unique"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=1), name="taxrate_rate_fraction"
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.get_tax_class_display()} {self.rate:%}"
