from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.money import format_money
from customers.models import CustomerGroup

from .models import ShippingMethod


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "price_shown",
        "free_above",
        "min_subtotal",
        "group_names",
        "countries",
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

    @admin.display(description=_("customer groups"))
    def group_names(self, method):
        names = [group.name for group in method.groups.all()]
        return ", ".join(names) if names else _("Everyone")
