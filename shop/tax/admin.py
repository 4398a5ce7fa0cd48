from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_rate
from pricing.admin_base import PricingInputAdminMixin
from shop.catalog.imports.admin import CatalogueImportExportMixin
from shop.shipping.models import ShippingMethod

from . import selectors
from .models import TaxRate
from .resources import TaxRateResource


@admin.register(TaxRate)
class TaxRateAdmin(CatalogueImportExportMixin, PricingInputAdminMixin, admin.ModelAdmin):
    resource_classes = (TaxRateResource,)
    list_display = ("country", "tax_class", "rate", "percentage")
    list_editable = ("rate",)
    list_filter = ("country", "tax_class")
    search_fields = ("country",)
    ordering = ("country", "tax_class")

    @admin.display(description=gettext_lazy("percentage"), ordering="rate")
    def percentage(self, obj):
        return format_rate(obj.rate)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self.warn_about_gaps(request)
        return super().changelist_view(request, extra_context)

    def warn_about_gaps(self, request):
        """Checkout refuses a destination without a rate: say which ones are missing."""
        shipping_countries = set()
        for method in ShippingMethod.objects.filter(is_active=True).only("countries"):
            shipping_countries |= method.country_codes
        missing = selectors.missing_rates(shipping_countries)
        if missing:
            messages.warning(
                request,
                _(
                    "No rate is set for %(missing)s: checkout refuses deliveries that need "
                    "them. Add the rates to sell there."
                )
                % {
                    "missing": ", ".join(f"{country} {tax_class}" for country, tax_class in missing)
                },
            )
