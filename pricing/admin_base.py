"""The admin side of explicit invalidation, for every model the compiled pricing data is built
from: price and quantity rules, cart discounts, categories, tax rates.

Model `save()` cannot bump `PricingVersion` for them: "Delete selected", `queryset.update()`
and many-to-many saves never call it. The admin bumps instead, after its own writes.
"""

from django.db import router, transaction

from . import services

BUMPED = "_pricing_version_bumped"


class PricingInputAdminMixin:
    """Bumps `PricingVersion` on every write of this admin, so every process reloads its
    compiled pricing data on its next request.

    Use it before `ModelAdmin`: `class TaxRateAdmin(PricingInputAdminMixin, admin.ModelAdmin)`.
    Add, change and list_editable saves bump in `save_related` (Django calls it after
    `save_model`, the many-to-many fields and the inlines); delete and "Delete selected" after
    the rows are gone. A custom action writes with `self.update_selected(...)`, or calls
    `self.pricing_inputs_changed(request)` after its writes.

    A request bumps once, however many rows it writes: Django runs the change form, the delete
    view and a list_editable page in one transaction, and this mixin does the same for actions,
    so other processes see the new version together with every row."""

    def pricing_inputs_changed(self, request) -> None:
        if not getattr(request, BUMPED, False):
            setattr(request, BUMPED, True)
            services.rules_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.pricing_inputs_changed(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.pricing_inputs_changed(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.pricing_inputs_changed(request)

    def response_action(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().response_action(request, queryset)

    def update_selected(self, request, queryset, **values) -> int:
        """`queryset.update(**values)` for an action, by primary key (a changelist searched
        across a many-to-many is distinct, which `update()` refuses); the number of rows."""
        ids = list(queryset.values_list("pk", flat=True))
        count = queryset.model.objects.filter(pk__in=ids).update(**values)
        self.pricing_inputs_changed(request)
        return count
