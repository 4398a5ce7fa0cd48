"""Trade applications' country becomes a django-countries field, and profiles and
applications record the online VAT check (VIES).

Existing countries are upper-cased and stripped (names, alpha-3 codes and the aliases UK
and EL are mapped to their ISO code). An application whose country maps to no country is
left as it was: it is a record of what the applicant sent, and a manager sees it as typed."""

import django_countries.fields
from django.db import migrations, models

# Aliases people type that are not ISO 3166-1 alpha-2 codes.
ALIASES = {"UK": "GB", "EL": "GR"}


def country_code(value) -> str:
    """The ISO alpha-2 code of what was typed: a code in any case, an alpha-3 or numeric code,
    an English name ("FRANCE" -> "FR") or a common alias (UK, EL); "" when it is no country."""
    from django_countries import countries

    value = str(value or "").strip()
    if not value:
        return ""
    upper = ALIASES.get(value.upper(), value.upper())
    return countries.alpha2(upper) or countries.by_name(value) or ""


def normalise_countries(apps, schema_editor):
    WholesaleApplication = apps.get_model("customers", "WholesaleApplication")
    for pk, country in WholesaleApplication.objects.values_list("pk", "country"):
        code = country_code(country)
        if code and code != country:
            WholesaleApplication.objects.filter(pk=pk).update(country=code)


VAT_CHECK_CHOICES = [
    ("valid", "Valid (registered in VIES)"),
    ("invalid", "Not registered in VIES"),
    ("unavailable", "Could not be checked (VIES unavailable)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_credit_terms_permission"),
    ]

    operations = [
        migrations.RunPython(normalise_countries, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="customerprofile",
            name="vat_check_result",
            field=models.CharField(
                blank=True,
                choices=VAT_CHECK_CHOICES,
                help_text="What VIES answered for this VAT id; empty when it was not checked.",
                max_length=12,
                verbose_name="online VAT check (VIES)",
            ),
        ),
        migrations.AddField(
            model_name="customerprofile",
            name="vat_checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="VAT id checked at"),
        ),
        migrations.AddField(
            model_name="wholesaleapplication",
            name="vat_check_result",
            field=models.CharField(
                blank=True,
                choices=VAT_CHECK_CHOICES,
                max_length=12,
                verbose_name="online VAT check (VIES)",
            ),
        ),
        migrations.AddField(
            model_name="wholesaleapplication",
            name="vat_checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="VAT id checked at"),
        ),
        migrations.AlterField(
            model_name="wholesaleapplication",
            name="country",
            field=django_countries.fields.CountryField(max_length=2, verbose_name="country"),
        ),
    ]
