"""The company pages of the trade portal: the colleagues of the member's company and its
pending invitations (every member reads them; company admins invite, change roles and limits,
remove), and the page of an invitation's link.

Thin: the company services check again, under the company's lock, that whoever asks is still
an admin. Other companies' members and invitations are 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.errors import Refusal
from shop.session import ShopSession

from .. import backends, web
from ..web import private_page
from . import selectors, services
from .forms import CompanySettingsForm, InvitationForm, JoinForm, MemberForm
from .models import CompanyRole

# A new account logs in without a password check, through the model backend (axes
# counts failures of real log-in attempts only).


def company_page(view):
    """For members of a company only: guests go to the login page, anyone else gets 404.
    The view receives the request's membership (with its company)."""

    @private_page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = selectors.membership_for(request.user)
        if membership is None:
            raise Http404(_("You are not a member of a company."))
        return view(request, membership, *args, **kwargs)

    return wrapper


def _require_admin(membership) -> None:
    if membership.role != CompanyRole.ADMIN:
        raise PermissionDenied(services.NOT_ADMIN)


def _members(request, membership, *, invite_form=None, bound_member_form=None, status=200):
    page = selectors.members_page(company_id=membership.company_id)
    is_admin = membership.role == CompanyRole.ADMIN
    rows = []
    for member in page.members:
        form = None
        if is_admin:
            form = (
                bound_member_form
                if bound_member_form is not None and bound_member_form.member.pk == member.pk
                else MemberForm(member=member)
            )
        rows.append((member, form))
    return render(
        request,
        "customers/company/members.html",
        {
            "membership": membership,
            "company": membership.company,
            "is_admin": is_admin,
            "rows": rows,
            "invitations": page.invitations,
            "invite_form": (invite_form or InvitationForm()) if is_admin else None,
            "settings_form": CompanySettingsForm(
                initial={"buyers_see_company_orders": membership.company.buyers_see_company_orders}
            )
            if is_admin
            else None,
        },
        status=status,
    )


@company_page
def members(request, membership):
    return _members(request, membership)


@company_page
@require_POST
def invite(request, membership):
    _require_admin(membership)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members(request, membership, invite_form=form, status=400)
    refusal = web.too_many_attempts(
        request, action="company_invitation", email=form.cleaned_data["email"]
    )
    if refusal:
        form.add_error(None, refusal)
        return _members(request, membership, invite_form=form, status=429)
    try:
        sent = services.company_invitation_create(
            company=membership.company,
            by=request.user,
            site_url=web.site_url(request),
            **form.cleaned_data,
        )
    except Refusal as error:
        form.add_error("email", error.message)
        return _members(request, membership, invite_form=form, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": sent.invitation.email})
    return redirect("company:members")


@company_page
@require_POST
def company_settings(request, membership):
    _require_admin(membership)
    form = CompanySettingsForm(request.POST)
    form.is_valid()  # a checkbox: always valid, unticked when absent
    try:
        services.company_settings_update(
            company=membership.company, by=request.user, **form.cleaned_data
        )
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("company:members")
    messages.success(request, _("Your company's settings are saved."))
    return redirect("company:members")


def _own_invitation(membership, pk):
    invitation = selectors.open_invitation_of_company(company_id=membership.company_id, pk=pk)
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


@company_page
@require_POST
def invitation_resend(request, membership, pk):
    _require_admin(membership)
    invitation = _own_invitation(membership, pk)
    refusal = web.too_many_attempts(request, action="company_invitation", email=invitation.email)
    if refusal:
        messages.error(request, refusal)
        return redirect("company:members")
    try:
        services.company_invitation_resend(
            invitation=invitation, by=request.user, site_url=web.site_url(request)
        )
    except Refusal as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s: the previous link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("company:members")


@company_page
@require_POST
def invitation_revoke(request, membership, pk):
    _require_admin(membership)
    invitation = _own_invitation(membership, pk)
    try:
        services.company_invitation_revoke(invitation=invitation, by=request.user)
    except Refusal as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation of %(email)s is revoked: its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("company:members")


def _own_member(membership, pk):
    member = selectors.member_of_company(company_id=membership.company_id, pk=pk)
    if member is None:
        raise Http404(_("No such member."))
    return member


@company_page
@require_POST
def member_update(request, membership, pk):
    _require_admin(membership)
    member = _own_member(membership, pk)
    form = MemberForm(request.POST, member=member)
    if form.is_valid():
        try:
            services.company_member_update(member=member, by=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The role and limit of %(name)s are saved.")
                % {"name": member.user.get_full_name()},
            )
            return redirect("company:members")
    return _members(request, membership, bound_member_form=form, status=400)


@company_page
def member_remove(request, membership, pk):
    """A confirmation page, then the removal (POST)."""
    _require_admin(membership)
    member = _own_member(membership, pk)
    refusal = ""
    if request.method == "POST":
        try:
            services.company_member_remove(member=member, by=request.user)
        except Refusal as error:
            refusal = error.message
        else:
            name = member.user.get_full_name()
            messages.success(
                request,
                _("%(name)s is no longer a member of %(company)s.")
                % {"name": name, "company": membership.company.name},
            )
            if member.pk == membership.pk:
                return redirect("account")
            return redirect("company:members")
    return render(
        request,
        "customers/company/member_remove.html",
        {"member": member, "company": membership.company, "refusal": refusal},
        status=400 if refusal else 200,
    )


# The invitation's link ---------------------------------------------------------------------


CLOSED_STATES = {
    "accepted": gettext_lazy("This invitation has already been accepted: its link works once."),
    "revoked": gettext_lazy("This invitation was revoked by the company."),
    "expired": gettext_lazy("This invitation has expired."),
}


def _joined(request, member):
    messages.success(
        request,
        _("Welcome to %(company)s: you buy as %(role)s.")
        % {"company": member.company.name, "role": member.get_role_display()},
    )
    return redirect("portal")


def _log_in(request, user) -> None:
    """Log the new account in; a cart filled as a guest joins it, each line re-checked."""
    # No password check: through the model backend (axes counts real log-in attempts only).
    login(request, user, backend=backends.BACKEND)
    for note in ShopSession(request).merge_guest_cart(user):
        messages.warning(request, note)


@private_page
@sensitive_post_parameters("password")
def join(request, token):
    """The invitation's page: its company and role, and the way to accept for whoever opened
    it (a new account, the invited account logged in, or a prompt to log in or out). Every
    acceptance is a POST, so a mail scanner opening the link does not use it up."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return render(request, "customers/company/join_closed.html", {"reason": ""}, status=404)
    state = selectors.invitation_state(invitation)
    if state != "pending":
        context = {"reason": CLOSED_STATES[state], "invitation": invitation}
        return render(request, "customers/company/join_closed.html", context, status=410)

    user = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation, "company": invitation.company, "refusal": ""}
    if user is not None:
        context["same_account"] = user.email.lower() == invitation.email.lower()
        if request.method == "POST" and context["same_account"]:
            try:
                member = services.company_invitation_accept(invitation=invitation, user=user)
            except Refusal as error:
                context["refusal"] = error.message
            else:
                return _joined(request, member)
        return render(
            request,
            "customers/company/join.html",
            context,
            status=400 if context["refusal"] else 200,
        )

    if selectors.address_has_account(invitation.email):
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "customers/company/join.html", context)
    form = JoinForm(request.POST or None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            member = services.company_invitation_accept_with_signup(
                invitation=invitation, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            _log_in(request, member.user)
            return _joined(request, member)
    return render(
        request, "customers/company/join.html", context, status=400 if form.errors else 200
    )
