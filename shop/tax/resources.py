"""Tax rates exported and imported as rows of country, tax class and rate: a country's rate
for a class is found by the pair (a pair not in the shop yet adds a rate); the rate is a
fraction with four decimals, as the model stores it (0.2000 is 20 %)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export import resources, widgets
from import_export.fields import Field

from core.import_widgets import ChoiceWidget, DecimalWidget, text
from shop.catalog.imports.resources import FileProblem

from .models import TaxClass, TaxRate

COLUMNS = ("country", "tax_class", "rate")


class CountryWidget(widgets.CharWidget):
    """An ISO 3166-1 code, as the model stores it: FR, DE, BE."""

    def clean(self, value, row=None, **kwargs):
        code = text(value).upper()
        if code not in dict(countries):
            raise ValueError(
                gettext("“%(value)s” is not a country code: write it as FR, DE or BE.")
                % {"value": text(value)}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, "code", value))


class TaxRateResource(resources.ModelResource):
    country = Field(attribute="country", column_name="country", widget=CountryWidget())
    tax_class = Field(
        attribute="tax_class",
        column_name="tax_class",
        widget=ChoiceWidget(
            TaxClass.choices,
            message=_("“%(value)s” is not a tax class: write one of %(values)s."),
        ),
    )
    rate = Field(attribute="rate", column_name="rate", widget=DecimalWidget(places=4))

    class Meta:
        model = TaxRate
        name = _("Tax rates")
        import_id_fields = ("country", "tax_class")
        fields = COLUMNS
        export_order = COLUMNS
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return TaxRate.objects.order_by("country", "tax_class")

    def before_import(self, dataset, **kwargs):
        headers = [text(header) for header in dataset.headers or ()]
        if sorted(headers) != sorted(COLUMNS):
            del dataset[0 : len(dataset)]
            raise FileProblem(
                gettext("The columns are those of an export: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)}
            )
        dataset.headers = headers
        pairs: dict[tuple[str, str], list[int]] = {}
        for number, row in enumerate(dataset.dict, 2):
            pairs.setdefault(
                (text(row["country"]).upper(), text(row["tax_class"]).lower()), []
            ).append(number)
        self.repeated = {pair: rows for pair, rows in pairs.items() if len(rows) > 1}

    def get_instance(self, instance_loader, row):
        pair = (text(row.get("country")).upper(), text(row.get("tax_class")).lower())
        if pair in self.repeated:
            raise ValueError(
                gettext("The %(country)s %(tax_class)s rate is on several rows (%(rows)s).")
                % {
                    "country": pair[0],
                    "tax_class": pair[1],
                    "rows": ", ".join(map(str, self.repeated[pair])),
                }
            )
        return super().get_instance(instance_loader, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "rate" not in errors and instance.rate is not None and not 0 <= instance.rate <= 1:
            errors["rate"] = [
                gettext("%(rate)s is not a fraction between 0 and 1: 0.2000 is 20%%.")
                % {"rate": instance.rate.normalize()}
            ]
        try:
            instance.full_clean(exclude=set(errors), validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
