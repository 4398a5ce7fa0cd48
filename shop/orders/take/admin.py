"""The admin pages of an order taken for a customer, on the order admin:
/admin/shop/order/take/ (find the customer) -> take/<customer id>/ (lines and addresses) ->
review (prices, shipping, payment, totals as the customer gets them) -> place -> the order.

The steps carry what was typed in the forms (the review repeats it as hidden fields): nothing
is kept in the manager's session, nothing is written before the order is placed. Only staff
with `shop.take_order` see the pages; a customer is an active, non-staff account.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.money import format_money
from shop.orders import services as order_services
from shop.tax import mentions as tax_mentions

from . import selectors, services
from .forms import CustomerSearchForm, PlaceTakenOrderForm, TakeOrderForm


class TakeOrderAdminMixin:
    """Adds the "take an order" pages and the changelist button to the order admin."""

    def get_urls(self):
        return [
            path(
                "take/",
                self.admin_site.admin_view(self.take_customer_view),
                name="shop_order_take",
            ),
            path(
                "take/<int:customer_id>/",
                self.admin_site.admin_view(self.take_order_view),
                name="shop_order_take_for",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if services.can_take_orders(request.user):
            extra_context["take_order_url"] = reverse("admin:shop_order_take")
        return super().changelist_view(request, extra_context=extra_context)

    def _take_context(self, request, **extra):
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def take_customer_view(self, request):
        if not services.can_take_orders(request.user):
            raise PermissionDenied
        form = CustomerSearchForm(request.GET or None)
        term = form.cleaned_data["q"] if form.is_valid() else ""
        context = self._take_context(
            request,
            title=_("Take an order for a customer"),
            form=form,
            term=term,
            customers=selectors.customer_search(term=term),
        )
        return TemplateResponse(request, "admin/shop/order/take_customer.html", context)

    def take_order_view(self, request, customer_id):
        if not services.can_take_orders(request.user):
            raise PermissionDenied
        customer = selectors.customer_for_order(pk=customer_id)
        if customer is None or customer.pk == request.user.pk:
            raise Http404
        card = selectors.customer_card(customer=customer)
        form = TakeOrderForm(
            request.POST if request.method == "POST" else None, addresses=card.addresses
        )
        step = request.POST.get("step", "")
        if request.method != "POST" or step == "edit" or not form.is_valid():
            return self._lines_page(request, card, form)
        country = form.shipping_address()["country"]
        lines = selectors.taken_lines(
            customer=customer, group=card.group, items=form.items(), country=country
        )
        if lines.has_errors or not lines.lines:
            return self._lines_page(request, card, form, lines=lines)
        order = selectors.taken_order(
            card=card,
            lines=lines,
            country=country,
            shipping_method_id=form.cleaned_data["shipping_method"],
            payment_method=form.cleaned_data["payment_method"],
        )
        if step == "place":
            return self._place(request, card, form, order)
        return self._review_page(request, card, form, order)

    def _lines_page(self, request, card, form, *, lines=None):
        context = self._take_context(
            request,
            title=_("Order for %(customer)s") % {"customer": card.customer.email},
            card=card,
            form=form,
            lines=lines,
        )
        return TemplateResponse(request, "admin/shop/order/take_lines.html", context)

    def _review_page(self, request, card, form, order, *, refusal: str = "", warning: str = ""):
        """`refusal` stops the order; `warning` is said above an order that may be placed."""
        context = self._take_context(
            request,
            title=_("Review the order for %(customer)s") % {"customer": card.customer.email},
            card=card,
            form=form,
            order=order,
            billing=form.billing_address(),
            shipping=form.shipping_address(),
            refusal=refusal or order.refusal,
            warning=warning,
            vat_mention=tax_mentions.mention_text(order.lines.quote.vat.mention)
            if order.lines.quote.vat
            else "",
            can_explain=request.user.has_perm("pricing.view_pricerule"),
            rows=[(line, _explanation_url(line, card.customer)) for line in order.lines.lines],
            idempotency_key=uuid.uuid4().hex,
        )
        return TemplateResponse(request, "admin/shop/order/take_review.html", context)

    def _place(self, request, card, form, order):
        place = PlaceTakenOrderForm(request.POST)
        if not place.is_valid() or order.totals is None or order.payment is None:
            return self._review_page(
                request,
                card,
                form,
                order,
                refusal=_("Check the order and its total again, then place it."),
            )
        try:
            placed = services.order_take(
                manager=request.user,
                customer=card.customer,
                quantities=order.lines.quantities(),
                billing_address=form.billing_address(),
                shipping_address=form.shipping_address(),
                shipping_method_id=order.totals.shipping.method.pk,
                payment_method=order.payment.code,
                confirmed_total=place.cleaned_data["confirmed_total"],
                idempotency_key=place.cleaned_data["idempotency_key"],
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except order_services.ApprovalRequired as required:
            return self._review_page(
                request,
                card,
                form,
                order,
                refusal=_(
                    "This order needs the approval of the customer's company: %(reason)s "
                    "A shop manager cannot place it over the company's own rule: the customer "
                    "can send it to their approvers from their checkout, or order less."
                )
                % {"reason": required.message},
            )
        except order_services.TotalChanged as changed:
            # The review shows the order priced now: the manager confirms the new total.
            return self._review_page(request, card, form, order, warning=changed.message)
        except Refusal as refusal:
            return self._review_page(request, card, form, order, refusal=refusal.message)
        messages.success(
            request,
            _("Order %(number)s placed for %(customer)s (total %(total)s); they were emailed.")
            % {
                "number": placed.number,
                "customer": card.customer.email,
                "total": format_money(placed.total),
            },
        )
        return redirect("admin:shop_order_change", placed.pk)


def _explanation_url(line, customer) -> str:
    """The price simulator for this product, customer and quantity: why this price."""
    if line.priced is None:
        return ""
    query = urlencode(
        {"product": line.product.sku, "customer": customer.email, "quantity": line.priced.quantity}
    )
    return f"{reverse('admin:pricing_pricerule_simulator')}?{query}"
