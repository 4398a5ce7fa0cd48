"""Requests for quotes in the admin: read only, but for the "Send the offer" page, which calls
`quote_offer_send` (the state changes only through the quote services)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Refusal

from . import services
from .forms import OfferForm
from .models import Quote, QuoteEvent, QuoteLine, QuoteState


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    fields = ("sku", "name", "quantity", "unit_price")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuoteEventInline(admin.TabularInline):
    model = QuoteEvent
    fields = ("at", "kind", "actor", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("History")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "buyer", "company", "state", "wanted_by", "valid_until")
    list_filter = ("state", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("buyer", "company")
    list_per_page = 50
    search_fields = ("number", "buyer__email", "company__name")
    search_help_text = gettext_lazy("Search by quote number, buyer's email or company.")
    ordering = ("-created_at", "-id")
    inlines = (QuoteLineInline, QuoteEventInline)
    fields = (
        "number",
        "state",
        "buyer",
        "company",
        "note",
        "wanted_by",
        "valid_until",
        "discount_percent",
        "offer_message",
        "usable_once",
        "times_used",
        "created_at",
        "offered_at",
        "accepted_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The "Send the offer" button of the page's tools, on requests, for managers who may
        change quotes."""
        extra_context = dict(extra_context or {})
        if self.has_change_permission(request) and str(object_id).isdigit():
            quote = Quote.objects.filter(pk=object_id).only("pk", "state").first()
            if quote is not None and quote.state == QuoteState.REQUESTED:
                extra_context["offer_url"] = reverse("admin:shop_quote_offer", args=[quote.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/offer/",
                self.admin_site.admin_view(self.offer_view),
                name="shop_quote_offer",
            ),
            *super().get_urls(),
        ]

    def offer_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        quote = get_object_or_404(Quote.objects.select_related("buyer", "company"), pk=pk)
        change_url = reverse("admin:shop_quote_change", args=[quote.pk])
        lines = list(quote.lines.all())
        form = OfferForm(
            request.POST or None,
            lines=lines,
            initial={"usable_once": quote.usable_once, "message": quote.offer_message},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.quote_offer_send(
                    quote=quote,
                    manager=request.user,
                    unit_prices=form.unit_prices(),
                    valid_until=form.cleaned_data["valid_until"],
                    message=form.cleaned_data["message"],
                    usable_once=form.cleaned_data["usable_once"],
                    discount_percent=form.cleaned_data["discount_percent"],
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except Refusal as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("The offer for %(number)s is sent to %(email)s.")
                    % {"number": quote.number, "email": quote.buyer.email},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Send the offer for %(number)s") % {"number": quote.number},
            "quote": quote,
            "form": form,
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/shop/quote/offer.html", context)
