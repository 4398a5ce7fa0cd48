from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.countries import country_name, selling_country_choices
from core.money import format_money
from customers.models import CustomerGroup

from .models import ShippingMethod


class ShippingMethodForm(forms.ModelForm):
    """The destinations are chosen among the countries the shop sells to, by name."""

    class Meta:
        model = ShippingMethod
        fields = [
            "name",
            "description",
            "price",
            "free_above",
            "min_subtotal",
            "groups",
            "countries",
            "position",
            "is_active",
        ]
        widgets = {"countries": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "countries" in self.fields:
            self.fields["countries"].choices = selling_country_choices()


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    form = ShippingMethodForm
    list_display = (
        "name",
        "price_shown",
        "free_above",
        "min_subtotal",
        "group_names",
        "country_names",
        "position",
        "is_active",
    )
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    filter_horizontal = ("groups",)
    fields = (
        "name",
        "description",
        "price",
        "free_above",
        "min_subtotal",
        "groups",
        "countries",
        "position",
        "is_active",
    )

    def get_queryset(self, request):
        groups = CustomerGroup.objects.order_by("name")
        return super().get_queryset(request).prefetch_related(Prefetch("groups", queryset=groups))

    @admin.display(description=_("price (net)"), ordering="price")
    def price_shown(self, method):
        return format_money(method.price)

    @admin.display(description=_("countries"))
    def country_names(self, method):
        codes = sorted(method.country_codes)
        return ", ".join(country_name(code) for code in codes) if codes else _("Everywhere")

    @admin.display(description=_("customer groups"))
    def group_names(self, method):
        names = [group.name for group in method.groups.all()]
        return ", ".join(names) if names else _("Everyone")
