from django.contrib import admin

from .models import CardPayment, CheckoutPolicy


@admin.register(CheckoutPolicy)
class CheckoutPolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "guest_checkout", "card", "bank_transfer", "pay_on_account")
    list_select_related = ("group",)
    list_filter = ("pay_on_account", "guest_checkout")
    ordering = ("group__name",)
    fields = ("group", "guest_checkout", "card", "bank_transfer", "pay_on_account")


@admin.register(CardPayment)
class CardPaymentAdmin(admin.ModelAdmin):
    """Card payments as the provider reported them: read only (the provider's callbacks write
    them). Those needing attention (money taken that could not pay the order) filter first."""

    list_display = (
        "created",
        "order",
        "total",
        "currency",
        "status",
        "settled_at",
        "attention",
        "attention_reason",
    )
    list_select_related = ("order",)
    list_filter = ("attention", "status")
    search_fields = ("order__number", "transaction_id", "billing_email")
    ordering = ("-created",)
    fields = (
        "order",
        "variant",
        "status",
        "message",
        "total",
        "currency",
        "captured_amount",
        "transaction_id",
        "billing_email",
        "created",
        "modified",
        "settled_at",
        "attention",
        "attention_reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
