"""An order's invoice, credit notes and refunds in the admin, and the refund form.

The order page lists the documents with their PDFs and the refunds made; a manager with
`shop.add_refund` refunds units of the lines and the shipping through
`services.order_refund`, which checks what is left to refund again under the order's lock."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from core.errors import Refusal
from core.money import format_money
from shop.invoices import selectors as invoice_selectors

from . import services
from .models import Order, Refund

REFUND_PERMISSION = "shop.add_refund"


class RefundForm(forms.Form):
    """One field of units per line (at most what is left of it), the shipping, the stock."""

    everything = forms.BooleanField(
        label=_("Refund everything that is left"),
        required=False,
        help_text=_("All remaining units and the shipping; the quantities below are ignored."),
    )
    shipping = forms.BooleanField(label=_("Refund the shipping"), required=False)
    return_stock = forms.BooleanField(
        label=_("Put the refunded units back in stock"), required=False
    )
    reason = forms.CharField(
        label=_("Reason (printed on the credit note)"), required=False, max_length=300
    )

    def __init__(self, *args, state, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state
        self.line_fields = []
        for entry in state.lines:
            name = f"line_{entry.line.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{entry.line.name} ({entry.line.sku})",
                min_value=0,
                max_value=entry.remaining,
                initial=0,
                required=False,
                disabled=entry.remaining == 0,
                help_text=ngettext(
                    "%(left)s of %(sold)s unit left to refund.",
                    "%(left)s of %(sold)s units left to refund.",
                    entry.line.quantity,
                )
                % {"left": entry.remaining, "sold": entry.line.quantity},
                error_messages={
                    "max_value": ngettext_lazy(
                        "At most %(limit_value)s unit left to refund.",
                        "At most %(limit_value)s units left to refund.",
                        "limit_value",
                    ),
                    "min_value": _("Enter 0 or more units."),
                    "invalid": _("Enter a whole number of units."),
                },
            )
            self.line_fields.append(name)
        self.order_fields([*self.line_fields, "shipping", "everything", "return_stock", "reason"])
        if not state.shipping_total or state.shipping_refunded:
            self.fields["shipping"].disabled = True
            self.fields["shipping"].help_text = _("No shipping left to refund.")

    def quantities(self) -> dict[int, int]:
        if self.cleaned_data.get("everything"):
            return {entry.line.pk: entry.remaining for entry in self.state.lines if entry.remaining}
        return {
            entry.line.pk: self.cleaned_data.get(f"line_{entry.line.pk}") or 0
            for entry in self.state.lines
            if self.cleaned_data.get(f"line_{entry.line.pk}")
        }

    def wants_shipping(self) -> bool:
        left = bool(self.state.shipping_total) and not self.state.shipping_refunded
        if self.cleaned_data.get("everything"):
            return left
        return bool(self.cleaned_data.get("shipping")) and left

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.quantities() and not self.wants_shipping():
            raise forms.ValidationError(_("Choose at least one unit or the shipping to refund."))
        return cleaned


class OrderDocumentsMixin:
    """For OrderAdmin: the `documents` read-only field and the refund view."""

    @admin.display(description=_("invoice, credit notes and refunds"))
    def documents(self, order):
        invoice = invoice_selectors.invoice_for_order(order_id=order.pk)
        rows = []
        if invoice is not None:
            rows.append(
                (
                    reverse("admin:shop_invoice_pdf", args=[invoice.pk]),
                    _("Invoice %(number)s") % {"number": invoice.number},
                    format_money(invoice.total),
                )
            )
            rows += [
                (
                    reverse("admin:shop_creditnote_pdf", args=[note.pk]),
                    _("Credit note %(number)s") % {"number": note.number},
                    format_money(-note.total),
                )
                for note in invoice.credit_notes.all()
            ]
        parts = [
            format_html_join("", '<li><a href="{}">{} (PDF)</a> {}</li>', rows)
            if rows
            else format_html("<li>{}</li>", _("No invoice yet: it is issued with the payment."))
        ]
        refunds = list(order.refunds.order_by("created_at", "id"))
        parts.append(
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        _("Refunded %(amount)s on %(date)s by %(who)s")
                        % {
                            "amount": format_money(refund.amount),
                            "date": refund.created_at.strftime("%Y-%m-%d %H:%M"),
                            "who": refund.created_by_email or "—",
                        },
                    )
                    for refund in refunds
                ),
            )
        )
        return format_html('<ul class="order-documents">{}{}</ul>', *parts)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The "Refund" button of the page's tools, for managers who may refund."""
        extra_context = dict(extra_context or {})
        if request.user.has_perm(REFUND_PERMISSION) and str(object_id).isdigit():
            order = Order.objects.filter(pk=object_id).only("pk", "paid_at").first()
            if order is not None and services.refund_refusal(order=order) is None:
                extra_context["refund_url"] = reverse("admin:shop_order_refund", args=[order.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="shop_order_refund",
            ),
            *super().get_urls(),
        ]

    def refund_view(self, request, pk):
        if not (self.has_view_permission(request) and request.user.has_perm(REFUND_PERMISSION)):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=pk)
        change_url = reverse("admin:shop_order_change", args=[order.pk])
        refusal = services.refund_refusal(order=order)
        if refusal is not None:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(change_url)
        state = services.refund_state(order=order)
        form = RefundForm(request.POST or None, state=state)
        if request.method == "POST" and form.is_valid():
            try:
                refund = services.order_refund(
                    order=order,
                    quantities=form.quantities(),
                    shipping=form.wants_shipping(),
                    return_stock=form.cleaned_data["return_stock"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except Refusal as error:
                form.add_error(None, error.message)
            else:
                self._refunded_message(request, refund)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Refund order %(number)s") % {"number": order.number},
            "order": order,
            "state": state,
            "form": form,
            "paid": format_money(order.total),
            "refunded": format_money(state.refunded_total),
            "remaining": format_money(state.remaining_total),
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/shop/order/refund.html", context)

    def _refunded_message(self, request, refund: Refund):
        message = _("Refunded %(amount)s on order %(number)s.") % {
            "amount": format_money(refund.amount),
            "number": refund.order.number,
        }
        if refund.credit_note_id:
            message += " " + _("Credit note %(number)s issued.") % {
                "number": refund.credit_note.number
            }
        if refund.method == "bank_transfer":
            message += " " + _("Transfer the amount back to the customer.")
        self.message_user(request, message, messages.SUCCESS)
