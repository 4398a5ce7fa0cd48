from django.contrib import admin

from .models import CheckoutPolicy


@admin.register(CheckoutPolicy)
class CheckoutPolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "guest_checkout", "bank_transfer", "pay_on_account")
    list_select_related = ("group",)
    list_filter = ("pay_on_account", "guest_checkout")
    ordering = ("group__name",)
    fields = ("group", "guest_checkout", "bank_transfer", "pay_on_account")
