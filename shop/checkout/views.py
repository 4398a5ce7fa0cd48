"""Checkout: details (email, addresses) -> delivery (shipping, payment) -> review -> place.

What the buyer chose is kept in the session (`shop.session.ShopSession`); every step re-prices
the cart on the server and checks the choices again, and `order_place` checks everything once
more under lock. A company member's order above his spending limit or his company's available
credit is sent to the company's approvers instead (`shop.orders.approvals`).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.errors import Refusal
from customers import selectors as customer_selectors
from customers.web import group_for_request
from shop.addresses import selectors as address_selectors
from shop.addresses import services as address_services
from shop.cart import selectors as cart_selectors
from shop.cart.sharing import services as sharing_services
from shop.catalog.menu import menu_tree
from shop.orders import selectors as order_selectors
from shop.orders import services as order_services
from shop.orders.approvals import selectors as approval_selectors
from shop.orders.approvals import services as approval_services
from shop.page_cache.pages import versions_for
from shop.pages import selectors as page_selectors
from shop.payments import selectors as payment_selectors
from shop.payments import views as payment_views
from shop.payments.models import PaymentMethod
from shop.quotes import selectors as quote_selectors
from shop.session import ShopSession, reads_cart
from shop.shipping import selectors as shipping_selectors
from shop.tax import selectors as tax_selectors

from . import selectors
from .forms import CheckoutDetails, DeliveryForm, PlaceOrderForm


class Checkout:
    """Who is buying, their cart priced for their destination and the session's choices."""

    def __init__(self, request):
        self.request = request
        self.session = ShopSession(request)
        self.customer = self.session.customer
        self.group = group_for_request(request)
        self.choices = self.session.choices
        self.cart = self.session.cart()

    @cached_property
    def page(self):
        carried, quoted, message = quote_selectors.cart_quote(self.cart, customer=self.customer)
        return cart_selectors.cart_priced(
            cart=self.cart,
            customer=self.customer,
            group=self.group,
            country=self.session.destination_country,
            carried_quote=carried,
            quoted=quoted,
            quote_message=message,
            tree=menu_tree(self.request),
        )

    def refusal(self):
        """A redirect when checkout cannot go on (empty or invalid cart, guest not allowed)."""
        if self.customer is None and not payment_selectors.guest_checkout_allowed(self.group):
            messages.info(self.request, _("Please log in or create an account to check out."))
            return redirect_to_login(self.request.get_full_path())
        if self.page.is_empty:
            messages.info(self.request, _("Your cart is empty."))
            return redirect("cart:detail")
        if not self.page.can_check_out:
            messages.error(self.request, _("Please fix the problems in your cart to check out."))
            return redirect("cart:detail")
        return None

    def save(self, **changes):
        self.choices.update(changes)
        self.session.save_choices(self.choices)

    @property
    def country(self) -> str:
        return self.choices["shipping"]["country"]

    def shipping_options(self):
        return shipping_selectors.shipping_options(
            group=self.group, country=self.country, quote=self.page.quote
        )

    def credit(self):
        return order_selectors.credit_status(user=self.customer)

    @cached_property
    def membership(self):
        return customer_selectors.membership_of(self.customer)

    def context(self, **extra):
        return {
            "page": self.page,
            "quote": self.page.quote,
            "group": self.group,
            "state": self.choices,
            **extra,
        }


@reads_cart
@cache_control(private=True, no_store=True)
def checkout_details(request):
    checkout = Checkout(request)
    refusal = checkout.refusal()
    if refusal is not None:
        return refusal
    addresses = address_selectors.addresses_for(user=checkout.customer) if checkout.customer else []
    details = CheckoutDetails(
        request.POST if request.method == "POST" else None,
        is_guest=checkout.customer is None,
        addresses=addresses,
        state=checkout.choices,
    )
    if request.method == "POST" and details.is_valid():
        result = details.result()
        refusal = selectors.destination_refusal(
            quote=checkout.page.quote,
            country=result["shipping"]["country"],
            customer=checkout.customer,
        )
        if refusal is not None:
            details.refuse_destination(refusal)
            return render(
                request,
                "shop/checkout/details.html",
                checkout.context(details=details, addresses=addresses, step=1),
            )
        for snapshot in result["new_addresses"]:
            address_services.address_create(user=checkout.customer, data=snapshot)
        checkout.save(email=result["email"], billing=result["billing"], shipping=result["shipping"])
        return redirect("checkout:delivery")
    return render(
        request,
        "shop/checkout/details.html",
        checkout.context(details=details, addresses=addresses, step=1),
    )


def _ready_for(checkout: Checkout, step: int):
    if step >= 2 and not checkout.choices.get("shipping"):
        return redirect("checkout:details")
    if step >= 2 and checkout.page.quote.tax_refusal:
        messages.error(checkout.request, checkout.page.quote.tax_refusal)
        return redirect("checkout:details")
    if step >= 3 and not (
        checkout.choices.get("shipping_method") and checkout.choices.get("payment_method")
    ):
        return redirect("checkout:delivery")
    return None


@reads_cart
@cache_control(private=True, no_store=True)
def checkout_delivery(request):
    checkout = Checkout(request)
    refusal = checkout.refusal() or _ready_for(checkout, 2)
    if refusal is not None:
        return refusal
    shipping_options = checkout.shipping_options()
    credit = checkout.credit()
    payment_options = selectors.payment_options(
        customer=checkout.customer,
        group=checkout.group,
        total=selectors.largest_total(quote=checkout.page.quote, options=shipping_options),
        credit=credit,
        approvable=checkout.membership is not None,
    )
    form = DeliveryForm(
        request.POST if request.method == "POST" else None,  # nothing chosen is an error too
        shipping_options=shipping_options,
        payment_options=payment_options,
        initial={
            "shipping_method": str(checkout.choices.get("shipping_method") or ""),
            "payment_method": checkout.choices.get("payment_method") or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        checkout.save(
            shipping_method=form.cleaned_data["shipping_method"],
            payment_method=form.cleaned_data["payment_method"],
        )
        return redirect("checkout:review")
    return render(
        request,
        "shop/checkout/delivery.html",
        checkout.context(
            form=form,
            shipping_options=shipping_options,
            payment_options=payment_options,
            credit=credit,
            step=2,
        ),
    )


def _terms_to_accept(customer, group):
    return page_selectors.terms_to_accept(is_consumer=customer is None or group.prices_include_tax)


@reads_cart
@cache_control(private=True, no_store=True)
def checkout_review(request):
    return _review(request)


def _review(request, *, terms_error: str = "", note_error: str = "", note: str = ""):
    checkout = Checkout(request)
    refusal = checkout.refusal() or _ready_for(checkout, 3)
    if refusal is not None:
        return refusal
    totals = selectors.order_totals(
        group=checkout.group,
        country=checkout.country,
        quote=checkout.page.quote,
        method_id=checkout.choices.get("shipping_method"),
    )
    if totals is None:
        messages.error(request, _("Choose a shipping method available for your address."))
        return redirect("checkout:delivery")
    credit = checkout.credit()
    payment = selectors.available_payment(
        customer=checkout.customer,
        group=checkout.group,
        total=totals.total,
        credit=credit,
        code=checkout.choices.get("payment_method"),
        approvable=checkout.membership is not None,
    )
    if payment is None:
        messages.error(request, _("Choose a payment method available for this order."))
        return redirect("checkout:delivery")
    approval = approval_selectors.approval_need(
        member=checkout.membership, total=totals.total, payment_method=payment.code, credit=credit
    )
    return render(
        request,
        "shop/checkout/review.html",
        checkout.context(
            totals=totals,
            payment=payment,
            idempotency_key=uuid.uuid4().hex,
            vat_number_rejected=tax_selectors.vat_number_rejected(checkout.customer),
            legal=_terms_to_accept(checkout.customer, checkout.group),
            terms_error=terms_error,
            approval=approval,
            note=note,
            note_error=note_error,
            step=3,
        ),
    )


@reads_cart
@cache_control(private=True, no_store=True)
@require_POST
def checkout_place(request):
    """Place the order. The cart is priced once, by `order_place`, under lock."""
    session = ShopSession(request)
    choices = session.choices
    form = PlaceOrderForm(request.POST)
    legal = _terms_to_accept(session.customer, group_for_request(request))
    if legal is not None and not form.accepted_terms(legal.terms_version_number):
        ticked = form.ticked_terms()
        return _review(
            request,
            terms_error=_(
                "Our terms of sale changed while you were reviewing your order: please read "
                "them and tick the box again."
            )
            if ticked
            else _("Tick the box to accept the terms of sale before you place your order."),
        )
    if form.note_error():
        return _review(request, note_error=form.note_error(), note=request.POST.get("note", ""))
    submitted = approval_selectors.approval_by_key(
        user=session.customer, idempotency_key=request.POST.get("idempotency_key", "")
    )
    if submitted is not None:  # a replay of the form that sent the order for approval
        return redirect(approval_services.approval_url(submitted))
    try:
        order = order_services.order_place(
            cart=session.cart(create=True),
            customer=session.customer,
            email=choices.get("email", ""),
            billing_address=choices.get("billing"),
            shipping_address=choices.get("shipping"),
            shipping_method_id=choices.get("shipping_method"),
            payment_method=choices.get("payment_method"),
            confirmed_total=form.confirmed(),
            idempotency_key=request.POST.get("idempotency_key", ""),
            site_url=request.build_absolute_uri("/").rstrip("/"),
            terms_version_id=legal.terms_version_id if legal is not None else None,
            catalogue_version=versions_for(request).catalogue,
            group=group_for_request(request),
        )
    except order_services.ApprovalRequired as required:
        return _submit_for_approval(request, session, form, required, legal)
    except order_services.TotalChanged as refusal:
        messages.warning(request, refusal.message)
        return redirect("checkout:review")
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("cart:detail")
    # The checkout choices stay in the session: a replayed submit of this review form must
    # still find its order, and the next checkout starts with the same addresses.
    session.remember_placed(order.number)
    sharing_services.shared_cart_mark_ordered(shared_cart_id=session.pop_shared_cart(), order=order)
    if order.payment_method == PaymentMethod.CARD and order.paid_at is None:
        return redirect(payment_views.card_pay_url(order))
    return redirect(order_services.order_url(order))


def _submit_for_approval(request, session, form, required, legal):
    """The order goes over the buyer's limit or the company's credit: send it to his
    approvers, and show him the request."""
    choices = session.choices
    try:
        approval = approval_services.approval_submit(
            cart=session.cart(create=True),
            customer=session.customer,
            billing_address=choices.get("billing"),
            shipping_address=choices.get("shipping"),
            shipping_method_id=choices.get("shipping_method"),
            payment_method=choices.get("payment_method"),
            required=required,
            note=form.approval_note(),
            idempotency_key=request.POST.get("idempotency_key", ""),
            terms_version_id=legal.terms_version_id if legal is not None else None,
            shared_cart_id=session.shared_cart_id(),
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("checkout:review")
    session.pop_shared_cart()
    messages.success(
        request,
        _(
            "Your order was sent to your approvers: it will be placed once one of them "
            "approves it. We will email you their decision."
        ),
    )
    return redirect(approval_services.approval_url(approval))
