"""Checkout: details (email, addresses) -> delivery (shipping, payment) -> review -> place.

What the buyer chose is kept in the session; every step re-prices the cart on the server and
checks the choices again, and `order_place` checks everything once more.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from customers.services import group_for_request

from . import order_selectors, selectors, services
from .cart_views import CHECKOUT_SESSION_KEY, customer_of
from .forms import CheckoutDetails, DeliveryForm

PLACED_SESSION_KEY = "order_placed"


class Checkout:
    """Who is buying, their cart priced for their destination and the session's choices."""

    def __init__(self, request):
        self.request = request
        self.customer = customer_of(request)
        self.group = group_for_request(request)
        self.state = dict(request.session.get(CHECKOUT_SESSION_KEY) or {})
        self.cart = services.cart_for_request(request)
        country = (self.state.get("shipping") or {}).get("country")
        self.page = order_selectors.cart_page(
            cart=self.cart, customer=self.customer, group=self.group, country=country
        )

    def refusal(self):
        """A redirect when checkout cannot go on (empty or invalid cart, guest not allowed)."""
        if self.customer is None and not order_selectors.guest_checkout_allowed(self.group):
            messages.info(self.request, _("Please log in or create an account to check out."))
            return redirect_to_login(self.request.get_full_path())
        if self.page.is_empty:
            messages.info(self.request, _("Your cart is empty."))
            return redirect("cart")
        if not self.page.can_check_out:
            messages.error(self.request, _("Please fix the problems in your cart to check out."))
            return redirect("cart")
        return None

    def save(self, **changes):
        self.state.update(changes)
        self.request.session[CHECKOUT_SESSION_KEY] = self.state

    @property
    def country(self) -> str:
        return self.state["shipping"]["country"]

    def shipping_options(self):
        return order_selectors.shipping_options(
            group=self.group, country=self.country, quote=self.page.quote
        )

    def credit(self):
        return order_selectors.credit_status(user=self.customer)

    def payment_options(self, total, credit):
        return order_selectors.payment_options(
            customer=self.customer, group=self.group, total=total, credit=credit
        )

    def context(self, **extra):
        return {
            "tree": selectors.category_tree(group=self.group),
            "page": self.page,
            "quote": self.page.quote,
            "group": self.group,
            "state": self.state,
            **extra,
        }


def _addresses(checkout: Checkout):
    if checkout.customer is None:
        return []
    return order_selectors.addresses_for(user=checkout.customer)


@cache_control(private=True, no_store=True)
def checkout_details(request):
    checkout = Checkout(request)
    refusal = checkout.refusal()
    if refusal is not None:
        return refusal
    addresses = _addresses(checkout)
    details = CheckoutDetails(
        request.POST if request.method == "POST" else None,
        is_guest=checkout.customer is None,
        addresses=addresses,
        state=checkout.state,
    )
    if request.method == "POST" and details.is_valid():
        result = details.result()
        for snapshot in result["new_addresses"]:
            services.address_create(user=checkout.customer, data=snapshot)
        checkout.save(email=result["email"], billing=result["billing"], shipping=result["shipping"])
        return redirect("checkout_delivery")
    return render(
        request,
        "shop/checkout_details.html",
        checkout.context(details=details, addresses=addresses, step=1),
    )


def _ready_for(checkout: Checkout, step: int):
    if step >= 2 and not checkout.state.get("shipping"):
        return redirect("checkout")
    if step >= 3 and not (
        checkout.state.get("shipping_method") and checkout.state.get("payment_method")
    ):
        return redirect("checkout_delivery")
    return None


def _largest_total(checkout: Checkout, options) -> object:
    """Credit is judged on the dearest shipping option the buyer may pick."""
    totals = [
        order_selectors.CheckoutTotals(quote=checkout.page.quote, shipping=option).total
        for option in options
    ]
    return max(totals) if totals else checkout.page.quote.gross_total


@cache_control(private=True, no_store=True)
def checkout_delivery(request):
    checkout = Checkout(request)
    refusal = checkout.refusal() or _ready_for(checkout, 2)
    if refusal is not None:
        return refusal
    shipping_options = checkout.shipping_options()
    credit = checkout.credit()
    payment_options = checkout.payment_options(_largest_total(checkout, shipping_options), credit)
    form = DeliveryForm(
        request.POST or None,
        shipping_options=shipping_options,
        payment_options=payment_options,
        initial={
            "shipping_method": str(checkout.state.get("shipping_method") or ""),
            "payment_method": checkout.state.get("payment_method") or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        checkout.save(
            shipping_method=form.cleaned_data["shipping_method"],
            payment_method=form.cleaned_data["payment_method"],
        )
        return redirect("checkout_review")
    return render(
        request,
        "shop/checkout_delivery.html",
        checkout.context(
            form=form,
            shipping_options=shipping_options,
            payment_options=payment_options,
            credit=credit,
            step=2,
        ),
    )


def _review_totals(checkout: Checkout):
    option = next(
        (
            option
            for option in checkout.shipping_options()
            if str(option.method.pk) == str(checkout.state.get("shipping_method"))
        ),
        None,
    )
    if option is None:
        return None
    return order_selectors.CheckoutTotals(quote=checkout.page.quote, shipping=option)


@cache_control(private=True, no_store=True)
def checkout_review(request):
    checkout = Checkout(request)
    refusal = checkout.refusal() or _ready_for(checkout, 3)
    if refusal is not None:
        return refusal
    totals = _review_totals(checkout)
    if totals is None:
        messages.error(request, _("Choose a shipping method available for your address."))
        return redirect("checkout_delivery")
    payment = next(
        (
            option
            for option in checkout.payment_options(totals.total, checkout.credit())
            if option.code == checkout.state.get("payment_method") and option.available
        ),
        None,
    )
    if payment is None:
        messages.error(request, _("Choose a payment method available for this order."))
        return redirect("checkout_delivery")
    return render(
        request,
        "shop/checkout_review.html",
        checkout.context(
            totals=totals,
            payment=payment,
            idempotency_key=uuid.uuid4().hex,
            step=3,
        ),
    )


@require_POST
def checkout_place(request):
    checkout = Checkout(request)
    state = checkout.state
    try:
        order = services.order_place(
            cart=checkout.cart or services.cart_for_request(request, create=True),
            customer=checkout.customer,
            email=state.get("email", ""),
            billing_address=state.get("billing"),
            shipping_address=state.get("shipping"),
            shipping_method_id=state.get("shipping_method"),
            payment_method=state.get("payment_method"),
            confirmed_total=request.POST.get("confirmed_total", ""),
            idempotency_key=request.POST.get("idempotency_key", ""),
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except services.TotalChanged as error:
        messages.warning(request, error.message)
        return redirect("checkout_review")
    except services.ShopError as error:
        messages.error(request, error.message)
        return redirect("cart")
    # The checkout choices stay in the session: a replayed submit of this review form must
    # still find its order, and the next checkout starts with the same addresses.
    request.session[PLACED_SESSION_KEY] = order.number
    return redirect(services.order_url(order))
