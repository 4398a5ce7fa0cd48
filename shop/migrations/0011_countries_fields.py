"""Countries become django-countries fields: addresses, tax rates and shipping methods.

The existing values are converted first, while they are still plain text: upper-cased and
stripped; English names ("FRANCE" -> "FR"), alpha-3 and numeric codes and the aliases UK
(-> GB) and EL (-> GR) are mapped to their ISO code. What maps to no country:

- a shipping method's list drops it ("FRANCE, XX, ZZ" -> "FR": XX and ZZ are no country).
  A method whose every entry is dropped would otherwise mean "everywhere": it is switched
  off instead (inactive), for a manager to set its countries again;
- a tax rate of no country (such as "Q1") is deleted: no address can be in that country, so
  the rate never applied to a sale (orders keep their own snapshot of the rate). A rate whose
  normalised code already has a rate of the same class ("fr" beside "FR") is deleted too:
  the one already written in capitals is kept;
- an address of no country is left as typed (it is a customer's own record); checkout only
  accepts the shop's selling countries, so such an address cannot be used until it is fixed.

Countries that are real but not sold to (SHOP_SELLING_COUNTRIES) are kept: the setting may
differ between environments, and a shipping method's form says which to remove."""

import django_countries.fields
from django.db import migrations

import shop.shipping.models

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
    Address = apps.get_model("shop", "Address")
    TaxRate = apps.get_model("shop", "TaxRate")
    ShippingMethod = apps.get_model("shop", "ShippingMethod")

    for pk, country in Address.objects.values_list("pk", "country"):
        code = country_code(country)
        if code and code != country:
            Address.objects.filter(pk=pk).update(country=code)

    rates = list(TaxRate.objects.values_list("pk", "country", "tax_class").order_by("pk"))
    taken = {(country, tax_class) for _pk, country, tax_class in rates}
    for pk, country, tax_class in rates:
        code = country_code(country)
        if code == country:
            continue
        if not code or (code, tax_class) in taken:
            TaxRate.objects.filter(pk=pk).delete()
            continue
        TaxRate.objects.filter(pk=pk).update(country=code)
        taken.add((code, tax_class))

    for pk, countries in ShippingMethod.objects.values_list("pk", "countries"):
        typed = [part for part in str(countries or "").split(",") if part.strip()]
        codes = sorted({code for code in map(country_code, typed) if code})
        if typed and not codes:
            ShippingMethod.objects.filter(pk=pk).update(countries="", is_active=False)
        elif ",".join(codes) != countries:
            ShippingMethod.objects.filter(pk=pk).update(countries=",".join(codes))


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0010_shop_details"),
    ]

    operations = [
        migrations.RunPython(normalise_countries, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="address",
            name="country",
            field=django_countries.fields.CountryField(max_length=2, verbose_name="country"),
        ),
        migrations.AlterField(
            model_name="shippingmethod",
            name="countries",
            field=shop.shipping.models.CountryListField(
                blank=True,
                help_text="Leave empty for every country the shop sells to.",
                max_length=746,
                multiple=True,
                verbose_name="countries",
            ),
        ),
        migrations.AlterField(
            model_name="taxrate",
            name="country",
            field=django_countries.fields.CountryField(max_length=2, verbose_name="country"),
        ),
    ]
