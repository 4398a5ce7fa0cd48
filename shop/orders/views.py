"""The orders a customer may see (their own, their company's as their role allows), their
invoices and reorder; guests reach theirs through the secret link of the confirmation email.
Anyone else's orders are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from customers.web import group_for_request
from shop.cart import services as cart_services
from shop.invoices import selectors as invoice_selectors
from shop.seller.selectors import seller_identity
from shop.session import ShopSession

from . import selectors
from .forms import OrderHistoryForm

ORDERS_PER_PAGE = 20


def _context(order, **extra) -> dict:
    """The order, its lines and its invoice with credit notes (None before it is issued)."""
    invoice = invoice_selectors.invoice_for_order(order_id=order.pk)
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "invoice": invoice,
        "credit_notes": list(invoice.credit_notes.all()) if invoice else [],
        "vat_rows": selectors.vat_breakdown(order),
        "how_to_pay": selectors.how_to_pay(order),
        **extra,
    }


def _invoice_page(request, order, *, guest: bool):
    """The invoice as a page: the issued invoice's seller and number, or a pro forma with the
    shop's details before the invoice is issued (its PDF is the legal document)."""
    context = _context(order, guest=guest)
    invoice = context["invoice"]
    context["seller"] = invoice.document["seller"] if invoice else seller_identity()
    return render(request, "shop/orders/invoice.html", context)


def _visible_order(request, number):
    order = selectors.order_for_customer(user=request.user, number=number)
    if order is None:
        raise Http404(_("No such order."))
    return order


def _guest_order(number, token):
    order = selectors.order_for_guest(number=number, token=token)
    if order is None:
        raise Http404(_("No such order."))
    return order


def _order_page(request, order, *, guest: bool):
    """The order page; right after placement it is also the confirmation, shown once."""
    credit = None
    if order.is_on_account and not guest:
        credit = selectors.credit_status(user=request.user)
    just_placed = ShopSession(request).just_placed(order.number, forget=True)
    return render(
        request,
        "shop/orders/order_detail.html",
        _context(order, just_placed=just_placed, guest=guest, credit=credit),
    )


@login_required
@cache_control(private=True, no_store=True)
def order_list(request):
    """The orders the customer may see (a company's, by role), filtered and paginated; a
    wrong filter is named and left out."""
    visibility = selectors.order_visibility(user=request.user)
    form = OrderHistoryForm(request.GET or None, placers=selectors.order_placers(visibility))
    filters = form.filters()
    orders = selectors.order_history(visibility, **filters)
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    query = {name: request.GET[name] for name in form.fields if request.GET.get(name)}
    return render(
        request,
        "shop/orders/order_list.html",
        {
            "page": page,
            "form": form,
            "filtered": any(filters.values()),
            "company_view": visibility is not None and visibility.sees_company,
            "page_query": urlencode(query) + "&" if query else "",
        },
    )


@login_required
@cache_control(private=True, no_store=True)
def order_detail(request, number):
    return _order_page(request, _visible_order(request, number), guest=False)


@login_required
@cache_control(private=True, no_store=True)
def order_invoice(request, number):
    return _invoice_page(request, _visible_order(request, number), guest=False)


@cache_control(private=True, no_store=True)
def guest_order(request, number, token):
    return _order_page(request, _guest_order(number, token), guest=True)


@cache_control(private=True, no_store=True)
def guest_order_invoice(request, number, token):
    return _invoice_page(request, _guest_order(number, token), guest=True)


@login_required
@cache_control(private=True, no_store=True)
@require_POST
def order_reorder(request, number):
    """The order's lines go to the cart through the quick-order path (same checks)."""
    order = _visible_order(request, number)
    result = cart_services.cart_add_many(
        cart=ShopSession(request).cart(create=True),
        items=[(line.sku, line.quantity) for line in order.lines.all()],
        customer=request.user,
        group=group_for_request(request),
    )
    if result.added:
        messages.success(
            request,
            ngettext(
                "%(count)s product from order %(number)s added to your cart.",
                "%(count)s products from order %(number)s added to your cart.",
                len(result.added),
            )
            % {"count": len(result.added), "number": order.number},
        )
    for sku, _quantity, reason in result.rejected:
        messages.error(request, _("%(sku)s: %(reason)s") % {"sku": sku, "reason": reason})
    return redirect("cart:detail")
