"""The cart page, its changes, and the portal's quick order (thin: services do the work)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from customers.services import group_for_request
from pricing import services as pricing_services

from . import order_selectors, selectors, services
from .forms import QuickOrderForm

CHECKOUT_SESSION_KEY = "checkout"


def customer_of(request):
    return request.user if request.user.is_authenticated else None


def cart_country(request) -> str | None:
    """The destination chosen at checkout, if any: the cart shows that country's tax."""
    state = request.session.get(CHECKOUT_SESSION_KEY) or {}
    return (state.get("shipping") or {}).get("country")


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _prices_hidden(request) -> bool:
    return pricing_services.prices_hidden_for(customer_of(request))


@cache_control(private=True, no_store=True)
def cart_detail(request):
    if _prices_hidden(request):
        return redirect_to_login(request.get_full_path())
    group = group_for_request(request)
    page = order_selectors.cart_page(
        cart=services.cart_for_request(request),
        customer=customer_of(request),
        group=group,
        country=cart_country(request),
    )
    return render(
        request,
        "shop/cart.html",
        {"tree": selectors.category_tree(group=group), "page": page, "group": group},
    )


@require_POST
def cart_add(request):
    if _prices_hidden(request):
        return redirect_to_login(reverse("cart"))
    cart = services.cart_for_request(request, create=True)
    try:
        line = services.cart_add(
            cart=cart,
            product_id=request.POST.get("product"),
            quantity=request.POST.get("quantity"),
            customer=customer_of(request),
            group=group_for_request(request),
        )
    except services.ShopError as error:
        messages.error(request, error.message)
        return redirect(_back(request, reverse("cart")))
    messages.success(
        request,
        _("Added to your cart: %(product)s (now %(quantity)s).")
        % {"product": line.product.name, "quantity": line.quantity},
    )
    return redirect(_back(request, reverse("cart")))


@require_POST
def cart_update(request):
    cart = services.cart_for_request(request)
    if cart is None:
        return redirect("cart")
    try:
        line = services.cart_update(
            cart=cart,
            product_id=request.POST.get("product"),
            quantity=request.POST.get("quantity"),
            customer=customer_of(request),
            group=group_for_request(request),
        )
    except services.ShopError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(product)s: quantity updated to %(quantity)s.")
            % {"product": line.product.name, "quantity": line.quantity},
        )
    return redirect("cart")


@require_POST
def cart_remove(request):
    cart = services.cart_for_request(request)
    if cart is not None:
        services.cart_remove(cart=cart, product_id=request.POST.get("product"))
        messages.success(request, _("The product was removed from your cart."))
    return redirect("cart")


def _portal_denied(request):
    """Guests log in; customers without portal access are invited to apply."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not group_for_request(request).portal_access:
        messages.info(
            request, _("Quick order is part of the trade portal for wholesale customers.")
        )
        try:
            return redirect(reverse("wholesale_apply"))
        except NoReverseMatch:
            return redirect("account")
    return None


def quick_order(request):
    denied = _portal_denied(request)
    if denied is not None:
        return denied
    group = group_for_request(request)
    form = QuickOrderForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        items, malformed = form.items()
        try:
            result = services.cart_add_many(
                cart=services.cart_for_request(request, create=True),
                items=items,
                customer=request.user,
                group=group,
            )
        except services.ShopError as error:
            form.add_error(None, error.message)
        else:
            result.rejected = malformed + result.rejected
            if result.added:
                messages.success(
                    request,
                    _("%(count)s line(s) added to your cart.") % {"count": len(result.added)},
                )
            if not result.rejected:
                return redirect("cart")
            # Keep only the lines to fix in the form.
            form = QuickOrderForm(
                initial={
                    "lines": "\n".join(
                        f"{sku} {quantity}".strip() for sku, quantity, _reason in result.rejected
                    )
                }
            )
    return render(
        request,
        "shop/quick_order.html",
        {"tree": selectors.category_tree(group=group), "form": form, "result": result},
    )
