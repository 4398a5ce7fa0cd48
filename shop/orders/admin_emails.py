"""The emails sent to the customer about an order, in the admin: their log, read-only on the
order's page, and the page where a manager sends one of them again (`shop.change_order`)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.errors import Refusal

from . import emails
from .models import Order, OrderEmail, OrderEmailKind


class OrderEmailInline(admin.TabularInline):
    """What was sent, when, and by whom when a manager resent it: read-only for everyone."""

    model = OrderEmail
    fields = ("kind", "to", "sent_at", "sent_by_email")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name = _("email sent")
    verbose_name_plural = _("emails sent to the customer")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("shop.view_order") or request.user.has_perm(
            "shop.change_order"
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResendEmailForm(forms.Form):
    kind = forms.ChoiceField(label=_("Email"), widget=forms.RadioSelect)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(OrderEmailKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "This email does not apply to the order now: choose one of the list."
        )


class OrderEmailsMixin:
    """For OrderAdmin: the "Resend an email" button and page."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if str(object_id).isdigit() and self.has_change_permission(request):
            extra_context["resend_email_url"] = reverse(
                "admin:shop_order_resend_email", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/resend-email/",
                self.admin_site.admin_view(self.resend_email_view),
                name="shop_order_resend_email",
            ),
            *super().get_urls(),
        ]

    def resend_email_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=pk)
        change_url = reverse("admin:shop_order_change", args=[order.pk])
        form = ResendEmailForm(request.POST or None, kinds=emails.order_email_kinds(order=order))
        if request.method == "POST" and form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                emails.order_email_resend(
                    order=order,
                    kind=kind,
                    by=request.user,
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except Refusal as error:
                form.add_error("kind", error.message)
            else:
                self.message_user(
                    request,
                    _("“%(email)s” sent again to %(to)s.")
                    % {"email": OrderEmailKind(kind).label, "to": order.email},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Resend an email about order %(number)s") % {"number": order.number},
            "order": order,
            "form": form,
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/shop/order/resend_email.html", context)
