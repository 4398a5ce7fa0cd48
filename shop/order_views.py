"""The buyer's orders, invoices, reorder, and address book. Other people's are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from customers.services import group_for_request

from . import order_selectors, selectors, services
from .checkout_views import PLACED_SESSION_KEY
from .forms import AddressForm
from .models import PaymentMethod

ORDERS_PER_PAGE = 20


def _tree(request):
    return selectors.category_tree(group=group_for_request(request))


def _render_order(request, order, *, template="shop/order_detail.html", guest=False):
    just_placed = request.session.get(PLACED_SESSION_KEY) == order.number
    if just_placed and template == "shop/order_detail.html":
        request.session.pop(PLACED_SESSION_KEY)
    on_account = order.payment_method == PaymentMethod.ON_ACCOUNT and not guest
    on_account = on_account and template == "shop/order_detail.html"
    credit = order_selectors.credit_status(user=request.user) if on_account else None
    return render(
        request,
        template,
        {
            "tree": _tree(request),
            "order": order,
            "lines": list(order.lines.all()),
            "just_placed": just_placed,
            "guest": guest,
            "credit": credit,
        },
    )


@login_required
@cache_control(private=True)
def order_list(request):
    page = Paginator(order_selectors.orders_for(user=request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "shop/order_list.html", {"tree": _tree(request), "page": page})


def _own_order(request, number):
    order = order_selectors.order_for_customer(user=request.user, number=number)
    if order is None:
        raise Http404(_("No such order."))
    return order


@login_required
@cache_control(private=True)
def order_detail(request, number):
    return _render_order(request, _own_order(request, number))


@login_required
@cache_control(private=True)
def order_invoice(request, number):
    return _render_order(request, _own_order(request, number), template="shop/invoice.html")


@cache_control(private=True, no_store=True)
def guest_order(request, number, token):
    order = order_selectors.order_for_guest(number=number, token=token)
    if order is None:
        raise Http404(_("No such order."))
    return _render_order(request, order, guest=True)


@cache_control(private=True, no_store=True)
def guest_order_invoice(request, number, token):
    order = order_selectors.order_for_guest(number=number, token=token)
    if order is None:
        raise Http404(_("No such order."))
    return _render_order(request, order, template="shop/invoice.html", guest=True)


@login_required
@require_POST
def order_reorder(request, number):
    """The order's lines go to the cart through the quick-order path (same checks)."""
    order = _own_order(request, number)
    result = services.cart_add_many(
        cart=services.cart_for_request(request, create=True),
        items=[(line.sku, str(line.quantity)) for line in order.lines.all()],
        customer=request.user,
        group=group_for_request(request),
    )
    if result.added:
        messages.success(
            request,
            _("%(count)s product(s) from order %(number)s added to your cart.")
            % {"count": len(result.added), "number": order.number},
        )
    for sku, _quantity, reason in result.rejected:
        messages.error(request, _("%(sku)s: %(reason)s") % {"sku": sku, "reason": reason})
    return redirect("cart")


# --- address book ---------------------------------------------------------------------------------


@login_required
@cache_control(private=True)
def address_list(request):
    return render(
        request,
        "shop/address_list.html",
        {"tree": _tree(request), "addresses": order_selectors.addresses_for(user=request.user)},
    )


def _own_address(request, pk):
    address = order_selectors.address_for(user=request.user, pk=pk)
    if address is None:
        raise Http404(_("No such address."))
    return address


@login_required
def address_edit(request, pk=None):
    address = _own_address(request, pk) if pk is not None else None
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        if address is None:
            services.address_create(user=request.user, data=form.snapshot())
        else:
            services.address_update(address=address, data=form.snapshot())
        messages.success(request, _("The address is saved."))
        return redirect("address_list")
    return render(
        request,
        "shop/address_form.html",
        {"tree": _tree(request), "form": form, "address": address},
    )


@login_required
@require_POST
def address_delete(request, pk):
    services.address_delete(address=_own_address(request, pk))
    messages.success(request, _("The address was deleted."))
    return redirect("address_list")
