from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.pages.admin import warn_when_no_terms

from .forms import ShopDetailsForm
from .models import SINGLETON_ID, ShopDetails
from .services import shop_details_save

BANK_FIELDS = ("bank_name", "iban", "bic")


@admin.register(ShopDetails)
class ShopDetailsAdmin(admin.ModelAdmin):
    """One row: the list opens it (or the form to create it). The bank details, where buyers
    send money, need a permission of their own: a manager cannot redirect payments."""

    form = ShopDetailsForm
    fieldsets = (
        (None, {"fields": ("legal_name", "legal_form", "registration_number", "vat_id")}),
        (_("Address"), {"fields": ("address_line1", "address_line2", "postal_code", "city")}),
        (_("Contact"), {"fields": ("email", "phone")}),
        (_("Bank details for transfers"), {"fields": BANK_FIELDS}),
        (_("Invoices"), {"fields": ("invoice_notes",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("shop.change_bank_details"):
            return ()
        return BANK_FIELDS

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ShopDetails.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if ShopDetails.objects.filter(pk=SINGLETON_ID).exists():
            return redirect(reverse("admin:shop_shopdetails_change", args=[SINGLETON_ID]))
        return redirect(reverse("admin:shop_shopdetails_add"))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET":
            warn_when_no_terms(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        shop_details_save(details=obj)
