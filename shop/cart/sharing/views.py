"""Shared cart pages: the sharer's links (share, stop sharing, "Ordered on"), and the
recipient's view of a link, priced for the recipient, with "Add these to my cart".

Thin: the sharing services and selectors do the work. A link that is unknown or stopped gets
one and the same 404 page, so tokens cannot be probed; an expired one a 410 page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import Refusal
from customers.web import group_for_request, private_page, too_many_attempts
from pricing import display as pricing_display
from shop.session import ShopSession

from . import selectors, services
from .forms import ShareForm


def _customer(request):
    return request.user if request.user.is_authenticated else None


def _list(request, *, form=None, new_link=None, status=200):
    cart = ShopSession(request).cart()
    return render(
        request,
        "shop/cart/sharing/list.html",
        {
            "links": selectors.shared_carts_of(cart),
            "can_share": selectors.can_share(cart),
            "form": form or ShareForm(),
            "new_link": new_link,
            "new_url": (
                request.build_absolute_uri(reverse("cart_sharing:open", args=[new_link.token]))
                if new_link
                else ""
            ),
        },
        status=status,
    )


@private_page
@require_http_methods(["GET", "POST"])
def shared_carts(request):
    """GET: the links shared from this visitor's cart. POST: share the cart as it is now;
    the page shows the new link once (only its hash is kept)."""
    if request.method == "GET":
        return _list(request)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _list(request, form=form, status=400)
    cart = ShopSession(request).cart()
    try:
        if cart is None:
            raise Refusal(_("Your cart is empty: add products before you share it."))
        new_link = services.shared_cart_create(
            cart=cart,
            first_name=form.cleaned_data["first_name"],
            note=form.cleaned_data["note"],
        )
    except Refusal as refusal:
        form.add_error(None, refusal.message)
        return _list(request, form=form, status=400)
    return _list(request, new_link=new_link)


@require_POST
def shared_cart_stop(request, pk: int):
    if not services.shared_cart_revoke(cart=ShopSession(request).cart(), shared_cart_id=pk):
        raise Http404
    messages.success(request, _("You stopped sharing this cart: its link no longer works."))
    return redirect("cart_sharing:list")


def _unavailable(request, *, message: str, status: int):
    return render(
        request, "shop/cart/sharing/unavailable.html", {"message": message}, status=status
    )


def _live_link(request, token: str):
    """The link of `token`, or the response to give instead (429, 404 or 410)."""
    refusal = too_many_attempts(request, action="shared_cart")
    if refusal:
        return None, _unavailable(request, message=refusal, status=429)
    shared = selectors.shared_cart_for_token(token)
    if shared is None:
        message = _(
            "This shared cart link does not work. It may have been mistyped, or the person "
            "who shared it stopped sharing. Ask them for a new link."
        )
        return None, _unavailable(request, message=message, status=404)
    if not shared.is_live(timezone.now()):
        message = _(
            "This shared cart link has expired. Ask the person who shared it for a new link."
        )
        return None, _unavailable(request, message=message, status=410)
    return shared, None


@private_page
def shared_cart_open(request, token: str):
    if pricing_display.prices_hidden_for(_customer(request)):
        return redirect_to_login(request.get_full_path())
    shared, response = _live_link(request, token)
    if response is not None:
        return response
    session = ShopSession(request)
    page = selectors.shared_cart_page(
        shared_cart=shared,
        customer=_customer(request),
        group=group_for_request(request),
        country=session.destination_country,
    )
    response = render(
        request, "shop/cart/sharing/open.html", {"page": page, "quote": page.quote, "token": token}
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@private_page
@require_POST
def shared_cart_add(request, token: str):
    if pricing_display.prices_hidden_for(_customer(request)):
        return redirect_to_login(reverse("cart_sharing:open", args=[token]))
    shared, response = _live_link(request, token)
    if response is not None:
        return response
    session = ShopSession(request)
    try:
        result = services.shared_cart_add_to_cart(
            shared_cart=shared,
            cart=session.cart(create=True),
            customer=_customer(request),
            group=group_for_request(request),
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("cart_sharing:open", token=token)
    for reason in result.rejected:
        messages.error(request, reason)
    if result.unavailable:
        messages.warning(
            request,
            _(
                "%(count)s product(s) of the shared cart are not available to you and were "
                "not added."
            )
            % {"count": result.unavailable},
        )
    if not result.any_added:
        messages.error(request, _("Nothing was added to your cart."))
        return redirect("cart_sharing:open", token=token)
    session.remember_shared_cart(shared.pk)
    messages.success(
        request,
        ngettext(
            "%(count)s line of the shared cart added to your cart.",
            "%(count)s lines of the shared cart added to your cart.",
            result.added,
        )
        % {"count": result.added},
    )
    return redirect("cart:detail")
