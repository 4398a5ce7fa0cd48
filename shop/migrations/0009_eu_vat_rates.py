"""The VAT rates of the 27 EU member states as of 2026, standard, reduced and zero classes.

Source: European Commission, "VAT rates applied in the Member States of the European Union"
and its Taxes in Europe database (TEDB), checked against the changes published since its
January 2025 edition: Estonia 24 % from 1 July 2025, Romania 21 % and a single 11 % reduced
rate from 1 August 2025, Slovakia 23 % from 1 January 2025, Finland 25.5 % and its 13.5 %
reduced rate from 1 January 2026, Sweden's temporary 6 % on food from 1 April 2026.

The reduced class holds the reduced rate (not a super-reduced or parking rate) that applies
to most foodstuffs, else, where food bears the standard rate or zero (Bulgaria, Estonia,
Ireland, Lithuania, Malta), the main reduced rate of books and medicines. Denmark has no
reduced rate: its reduced class is the standard rate. The zero class is 0 % everywhere.

Rows that exist already (a manager's, the demo's) are kept as they are: only missing
(country, class) pairs are added. Managers edit the rates in the admin as any other.
"""

import uuid
from decimal import Decimal

from django.db import migrations

# ISO code: (standard, reduced) as fractions.
RATES_2026 = {
    "AT": ("0.2000", "0.1000"),
    "BE": ("0.2100", "0.0600"),
    "BG": ("0.2000", "0.0900"),
    "CY": ("0.1900", "0.0500"),
    "CZ": ("0.2100", "0.1200"),
    "DE": ("0.1900", "0.0700"),
    "DK": ("0.2500", "0.2500"),
    "EE": ("0.2400", "0.0900"),
    "ES": ("0.2100", "0.1000"),
    "FI": ("0.2550", "0.1350"),
    "FR": ("0.2000", "0.0550"),
    "GR": ("0.2400", "0.1300"),
    "HR": ("0.2500", "0.0500"),
    "HU": ("0.2700", "0.0500"),
    "IE": ("0.2300", "0.1350"),
    "IT": ("0.2200", "0.1000"),
    "LT": ("0.2100", "0.0900"),
    "LU": ("0.1700", "0.0800"),
    "LV": ("0.2100", "0.1200"),
    "MT": ("0.1800", "0.0500"),
    "NL": ("0.2100", "0.0900"),
    "PL": ("0.2300", "0.0500"),
    "PT": ("0.2300", "0.0600"),
    "RO": ("0.2100", "0.1100"),
    "SE": ("0.2500", "0.0600"),
    "SI": ("0.2200", "0.0950"),
    "SK": ("0.2300", "0.0500"),
}


def add_missing_rates(apps, schema_editor):
    TaxRate = apps.get_model("shop", "TaxRate")
    existing = set(TaxRate.objects.values_list("country", "tax_class"))
    rows = [
        TaxRate(country=country, tax_class=tax_class, rate=Decimal(rate))
        for country, (standard, reduced) in RATES_2026.items()
        for tax_class, rate in (("standard", standard), ("reduced", reduced), ("zero", "0"))
        if (country, tax_class) not in existing
    ]
    TaxRate.objects.bulk_create(rows)
    if rows:
        # Running processes compile the rates with the pricing rules: make them reload.
        PricingVersion = apps.get_model("pricing", "PricingVersion")
        PricingVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("shop", "0008_order_vat_decision"), ("pricing", "0002_version_token")]

    operations = [migrations.RunPython(add_missing_rates, migrations.RunPython.noop)]
