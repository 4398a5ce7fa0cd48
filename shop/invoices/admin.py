"""Invoices and credit notes in the admin: read-only lists (they are issued by the order
services and never edited or deleted), searchable by number, each with its PDF."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import format_money

from .models import CreditNote, Invoice
from .views import credit_note_response, invoice_response


class _DocumentAdmin(admin.ModelAdmin):
    list_per_page = 50
    date_hierarchy = "issue_date"
    ordering = ("-year", "-sequence")

    def has_add_permission(self, request):
        return False  # issued by the order services only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # kept: a credit note corrects an invoice

    @admin.display(description=_("total"), ordering="total")
    def total_shown(self, document):
        return format_money(document.total)

    @admin.display(description=_("PDF"))
    def pdf_link(self, document):
        url = reverse(f"admin:shop_{self.model._meta.model_name}_pdf", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        name = f"shop_{self.model._meta.model_name}_pdf"
        return [
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name=name),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self.respond(get_object_or_404(self.model, pk=pk))

    def respond(self, document):
        raise Http404


@admin.register(Invoice)
class InvoiceAdmin(_DocumentAdmin):
    list_display = ("number", "issue_date", "order", "buyer", "total_shown", "pdf_link")
    list_select_related = ("order",)
    search_fields = ("number", "order__number", "order__email", "order__company_name")
    search_help_text = _("Search by invoice number, order number, email or company.")
    fields = (
        "number",
        "issue_date",
        "issued_at",
        "order",
        "net_total",
        "tax_total",
        "total",
        "pdf_link",
    )
    readonly_fields = fields

    @admin.display(description=_("billed to"))
    def buyer(self, invoice):
        buyer = invoice.document.get("buyer") or {}
        return buyer.get("company") or buyer.get("name") or "—"

    def respond(self, document):
        return invoice_response(document)


@admin.register(CreditNote)
class CreditNoteAdmin(_DocumentAdmin):
    list_display = ("number", "issue_date", "invoice", "reason", "total_shown", "pdf_link")
    list_filter = ("reason",)
    list_select_related = ("invoice",)
    search_fields = ("number", "invoice__number", "invoice__order__number")
    search_help_text = _("Search by credit note, invoice or order number.")
    fields = (
        "number",
        "issue_date",
        "issued_at",
        "invoice",
        "reason",
        "net_total",
        "tax_total",
        "total",
        "pdf_link",
    )
    readonly_fields = fields

    def respond(self, document):
        return credit_note_response(document)
