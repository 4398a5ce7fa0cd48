"""The cart page and its changes (thin: the cart services do the work)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.errors import Refusal
from customers.web import default_country_for_request, group_for_request
from pricing import display as pricing_display
from shop.catalog.menu import menu_tree
from shop.page_cache.pages import versions_for
from shop.quotes import selectors as quote_selectors
from shop.session import ShopSession, reads_cart

from . import selectors, services
from .forms import CartLineForm, CartRemoveForm


def _customer(request):
    return request.user if request.user.is_authenticated else None


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _prices_hidden(request) -> bool:
    return pricing_display.prices_hidden_for(_customer(request))


@reads_cart
@cache_control(private=True, no_store=True)
def cart_detail(request):
    if _prices_hidden(request):
        return redirect_to_login(request.get_full_path())
    session = ShopSession(request)
    group = group_for_request(request)
    cart, customer = session.cart(), _customer(request)
    carried, quoted, quote_message = quote_selectors.cart_quote(cart, customer=customer)
    page = selectors.cart_page(
        cart=cart,
        customer=customer,
        group=group,
        # Before checkout the cart shows the VAT of the default address, as the catalogue does.
        country=session.destination_country or default_country_for_request(request),
        carried_quote=carried,
        quoted=quoted,
        quote_message=quote_message,
        tree=menu_tree(request),
    )
    return render(request, "shop/cart/cart.html", {"page": page, "group": group})


@reads_cart
@require_POST
def cart_add(request):
    if _prices_hidden(request):
        return redirect_to_login(reverse("cart:detail"))
    back = _back(request, reverse("cart:detail"))
    form = CartLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(back)
    try:
        line = services.cart_add(
            cart=ShopSession(request).cart(create=True),
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
            customer=_customer(request),
            group=group_for_request(request),
            catalogue_version=versions_for(request).catalogue,
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    messages.success(
        request,
        _("Added to your cart: %(product)s (now %(quantity)s).")
        % {"product": line.product.name, "quantity": line.quantity},
    )
    return redirect(back)


@require_POST
def cart_update(request):
    cart = ShopSession(request).cart()
    if cart is None:
        return redirect("cart:detail")
    form = CartLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("cart:detail")
    try:
        line = services.cart_update(
            cart=cart,
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
            customer=_customer(request),
            group=group_for_request(request),
            catalogue_version=versions_for(request).catalogue,
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(product)s: quantity updated to %(quantity)s.")
            % {"product": line.product.name, "quantity": line.quantity},
        )
    return redirect("cart:detail")


@require_POST
def cart_remove(request):
    cart = ShopSession(request).cart()
    form = CartRemoveForm(request.POST)
    if cart is not None and form.is_valid():
        services.cart_remove(cart=cart, product_id=form.cleaned_data["product"])
        messages.success(request, _("The product was removed from your cart."))
    return redirect("cart:detail")
