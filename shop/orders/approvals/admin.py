"""Approval requests in the admin: read only. Companies' approvers decide them in the portal;
a manager looks them up to help a buyer."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.money import format_money

from .models import OrderApproval, OrderApprovalLine


class OrderApprovalLineInline(admin.TabularInline):
    model = OrderApprovalLine
    fields = ("sku", "name", "quantity")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrderApproval)
class OrderApprovalAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "created_at",
        "company",
        "buyer",
        "state",
        "reason",
        "total_shown",
        "decided_by",
        "order",
    )
    list_filter = ("state", "reason", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("company", "buyer", "decided_by", "order")
    list_per_page = 50
    search_fields = ("number", "company__name", "buyer__email")
    search_help_text = _("Search by request number, company or buyer's email.")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (OrderApprovalLineInline,)
    fields = (
        "number",
        "state",
        "company",
        "buyer",
        "created_at",
        "reason",
        "threshold",
        "total",
        "payment_method",
        "shipping_method",
        "billing_address",
        "shipping_address",
        "note",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "order",
    )
    readonly_fields = fields

    @admin.display(description=_("total at submission"), ordering="total")
    def total_shown(self, approval):
        return format_money(approval.total)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
