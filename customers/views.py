from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from core.errors import Refusal
from shop import erasure
from shop.cart.lists import selectors as list_selectors
from shop.orders import selectors as order_selectors
from shop.orders.approvals import selectors as approval_selectors
from shop.orders.approvals.models import ApprovalState
from shop.session import ShopSession

from . import backends, selectors, services, vat_numbers, web
from .forms import (
    AccountEraseForm,
    ApplicationForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    GuestApplicationForm,
    ProfileForm,
    SignupForm,
)
from .web import private_page

PORTAL_PANEL_SIZE = 5  # rows in each panel of the portal's dashboard


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _keep_guest_cart(request, user) -> None:
    """Right after login: the guest's cart joins the customer's cart, each line re-checked."""
    for note in ShopSession(request).merge_guest_cart(user):
        messages.warning(request, note)


def _log_in_new_account(request, user) -> None:
    # No password check: through the model backend (axes counts real log-in attempts only).
    login(request, user, backend=backends.BACKEND)
    _keep_guest_cart(request, user)


def _vies_note(request, result: str) -> None:
    """Tell the customer when the online VAT check failed or could not be made."""
    note = vat_numbers.vies_message(result)
    if note:
        messages.warning(request, note)


def _profile_initial(profile) -> dict:
    """What a form about the customer starts from: their profile's details, blank without one."""
    return {
        name: getattr(profile, name) if profile else ""
        for name in ("company_name", "vat_id", "phone")
    }


@method_decorator(private_page, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # auth_login happens here
        _keep_guest_cart(self.request, form.get_user())
        web.remember_language(response, selectors.preferred_language(form.get_user()))
        return response


@require_POST
def language_set(request):
    """Django's `set_language` (the language cookie, then back to the page), and for a
    logged-in customer the choice kept as their preferred language, for their emails too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.profile_language_set(user=request.user, language=language)
    return response


@private_page
@sensitive_post_parameters("password")
def signup(request):
    if request.user.is_authenticated:
        return redirect("account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = web.too_many_attempts(request, action="signup", email=form.cleaned_data["email"])
        if refusal:
            form.add_error(None, refusal)
            context = {"form": form, "next": _safe_next(request, "")}
            return render(request, "registration/signup.html", context, status=429)
        services.signup_request(
            **form.cleaned_data,
            site_url=web.site_url(request),
            next_url=_safe_next(request, ""),
            language=request.LANGUAGE_CODE,
        )
        return redirect("signup_sent")
    return render(
        request, "registration/signup.html", {"form": form, "next": _safe_next(request, "")}
    )


@private_page
def signup_sent(request):
    """After a sign-up or a guest's trade application, whether the address was new or not."""
    return render(request, "registration/signup_sent.html")


@private_page
def signup_welcome(request, token):
    """The link of the welcome email: a button that logs the new account in (a POST, so that
    a mail scanner opening the link does not use it up)."""
    user = selectors.account_for_welcome_link(token=token)
    if request.method == "POST" and user is not None:
        _log_in_new_account(request, user)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(_safe_next(request, reverse("account")))
    return render(
        request,
        "registration/signup_welcome.html",
        {"link_valid": user is not None, "next": _safe_next(request, "")},
        status=200 if user is not None else 404,
    )


@private_page
@login_required
def account(request):
    return render(
        request,
        "customers/account.html",
        {"overview": selectors.account_overview(user=request.user)},
    )


@private_page
@login_required
def profile_edit(request):
    profile = selectors.account_overview(user=request.user).profile
    initial = {"full_name": request.user.full_name, **_profile_initial(profile)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        vat_check = vat_numbers.vies_check_for(profile=profile, number=form.cleaned_data["vat_id"])
        profile = services.profile_update(
            user=request.user, vat_check=vat_check, **form.cleaned_data
        )
        messages.success(request, _("Your details are saved."))
        if vat_check:
            _vies_note(request, vat_check[0])
        return redirect("account")
    return render(request, "customers/profile_form.html", {"form": form})


@private_page
@login_required
@sensitive_post_parameters("password")
def account_erase(request):
    """The customer erases their own account, confirmed with their password; they are logged
    out and shown what happened."""
    form = AccountEraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.account_erase(user=request.user)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            auth_logout(request)
            return redirect("account_erased")
    return render(request, "customers/account_erase.html", {"form": form})


@private_page
def account_erased(request):
    return render(request, "customers/account_erased.html")


@method_decorator(private_page, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    # Not registration/password_change_form.html: the admin's own page uses that name.
    template_name = "customers/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(private_page, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm

    def form_valid(self, form):
        refusal = web.too_many_attempts(
            self.request, action="password_reset", email=form.cleaned_data["email"]
        )
        if refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


logout = private_page(auth_views.LogoutView.as_view())
password_reset_done = private_page(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = private_page(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = private_page(auth_views.PasswordResetCompleteView.as_view())


@private_page
@sensitive_post_parameters("password")
def wholesale_apply(request):
    """A customer applies for a trade account; a guest signs up and applies in one form."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        overview = selectors.account_overview(user=user)
        if overview.group.portal_access or overview.pending_application:
            return render(request, "customers/apply_status.html", {"overview": overview})
        form = ApplicationForm(request.POST or None, initial=_profile_initial(overview.profile))
    else:
        form = GuestApplicationForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        refusal = web.too_many_attempts(
            request,
            action="application",
            email=user.email if user else form.account_data()["email"],
        )
        if refusal:
            form.add_error(None, refusal)
            context = {"form": form, "is_guest": user is None}
            return render(request, "customers/apply.html", context, status=429)
        vat_check = vat_numbers.vies_check_if_enabled(form.cleaned_data["vat_id"])
        try:
            if user is not None:
                application = services.application_submit(
                    user=user,
                    site_url=web.site_url(request),
                    vat_check=vat_check,
                    **form.application_data(),
                )
            else:
                application = services.application_submit_with_signup(
                    site_url=web.site_url(request),
                    vat_check=vat_check,
                    language=request.LANGUAGE_CODE,
                    **form.account_data(),
                    **form.application_data(),
                )
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            if vat_check:
                _vies_note(request, vat_check[0])
            if user is None:  # the same answer whether the address had an account or not
                return redirect("signup_sent")
            if application.status == application.Status.APPROVED:
                messages.success(
                    request, _("Your trade account is open: welcome to the trade portal.")
                )
                return redirect("portal")
            messages.success(
                request,
                _(
                    "Thank you: your application is with our team. We will email you as soon "
                    "as it is decided, usually within two working days."
                ),
            )
            return redirect("account")
    return render(request, "customers/apply.html", {"form": form, "is_guest": user is None})


@private_page
def portal(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    overview = selectors.account_overview(user=request.user)
    if not overview.group.portal_access:
        messages.info(
            request,
            _(
                "The trade portal is for approved wholesale customers. Apply for a trade "
                "account below and we will review it."
            ),
        )
        return redirect("wholesale_apply")
    visibility = order_selectors.order_visibility(user=request.user, membership=overview.membership)
    credit = order_selectors.credit_status(user=request.user)
    return render(
        request,
        "customers/portal.html",
        {
            "overview": overview,
            "profile": overview.profile,
            "group": overview.group,
            "company": overview.company,
            "membership": overview.membership,
            "credit": credit,
            "credit_used_percent": _credit_used_percent(credit),
            "open_orders": order_selectors.open_orders(visibility, limit=PORTAL_PANEL_SIZE),
            "invoices": order_selectors.recent_invoices(visibility, limit=PORTAL_PANEL_SIZE),
            "saved_lists": list_selectors.recent_lists(user=request.user, limit=PORTAL_PANEL_SIZE),
            "open_filter": order_selectors.OPEN_FILTER,
            "approvals": approval_selectors.approvals_for(
                user=request.user, state=ApprovalState.REQUESTED
            )[:PORTAL_PANEL_SIZE]
            if overview.membership is not None
            else [],
        },
    )


def _credit_used_percent(credit) -> int | None:
    """How much of the credit limit is used, 0 to 100, for the credit bar (None without a
    limit)."""
    if credit is None or credit.limit <= 0:
        return None
    return min(100, round(credit.used * 100 / credit.limit))
