"""The trade portal's quick order: SKUs and quantities typed or uploaded as CSV."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Refusal
from customers.web import group_for_request
from shop.session import ShopSession

from . import services
from .forms import QuickOrderForm


def _portal_denied(request):
    """Guests log in; customers without portal access are invited to apply."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not group_for_request(request).portal_access:
        messages.info(
            request, _("Quick order is part of the trade portal for wholesale customers.")
        )
        return redirect("wholesale_apply")
    return None


def quick_order(request):
    denied = _portal_denied(request)
    if denied is not None:
        return denied
    form = QuickOrderForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        items, malformed = form.items()
        try:
            result = services.cart_add_many(
                cart=ShopSession(request).cart(create=True),
                items=items,
                customer=request.user,
                group=group_for_request(request),
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            result.rejected = malformed + result.rejected
            if result.added:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s line added to your cart.",
                        "%(count)s lines added to your cart.",
                        len(result.added),
                    )
                    % {"count": len(result.added)},
                )
            if not result.rejected:
                return redirect("cart:detail")
            # Keep only the lines to fix in the form.
            form = QuickOrderForm(
                initial={
                    "lines": "\n".join(
                        f"{sku} {quantity}".strip() for sku, quantity, _reason in result.rejected
                    )
                }
            )
    return render(request, "shop/cart/quick_order.html", {"form": form, "result": result})
