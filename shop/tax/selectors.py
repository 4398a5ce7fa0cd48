"""Reads of the tax rates."""

from decimal import Decimal

from .models import TaxRate


def tax_rate_table() -> dict[tuple[str, str], Decimal]:
    """(country, tax class) -> rate as a fraction."""
    return {
        (country, tax_class): rate
        for country, tax_class, rate in TaxRate.objects.values_list("country", "tax_class", "rate")
    }
