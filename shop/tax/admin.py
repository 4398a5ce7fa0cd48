from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.money import format_rate
from pricing.admin_base import PricingInputAdminMixin

from .models import TaxRate


@admin.register(TaxRate)
class TaxRateAdmin(PricingInputAdminMixin, admin.ModelAdmin):
    list_display = ("country", "tax_class", "rate", "percentage")
    list_editable = ("rate",)
    list_filter = ("country", "tax_class")
    search_fields = ("country",)
    ordering = ("country", "tax_class")

    @admin.display(description=_("percentage"), ordering="rate")
    def percentage(self, obj):
        return format_rate(obj.rate)
