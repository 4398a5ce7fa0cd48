"""The portal's approval requests: a buyer sees his own, approvers and company admins all of
their company's and decide those of their colleagues. Other companies' requests are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.errors import Refusal
from core.money import format_money
from customers.companies import selectors as company_selectors
from customers.web import site_url
from shop.orders import services as order_services

from . import selectors, services
from .forms import ApproveForm, RejectForm

REQUESTS_PER_PAGE = 50


@login_required
@cache_control(private=True, no_store=True)
def approval_list(request):
    member = company_selectors.membership_for(request.user)
    if member is None:
        raise Http404(_("You do not buy for a company."))
    page = Paginator(selectors.approvals_for(user=request.user), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "shop/approvals/list.html",
        {"page": page, "member": member, "decides": member.role in selectors.DECIDING_ROLES},
    )


def _visible(request, number):
    approval = selectors.approval_for(user=request.user, number=number)
    if approval is None:
        raise Http404(_("No such request."))
    return approval


def _detail(request, approval, *, reject_form=None, status=200):
    member = company_selectors.membership_for(request.user)
    pricing = selectors.approval_pricing(approval) if approval.is_pending else None
    return render(
        request,
        "shop/approvals/detail.html",
        {
            "approval": approval,
            "lines": list(approval.lines.all()) if pricing is None else [],
            "pricing": pricing,
            "may_decide": approval.is_pending and selectors.may_decide(member, approval),
            "may_cancel": approval.is_pending and approval.buyer_id == request.user.pk,
            "reject_form": reject_form or RejectForm(),
        },
        status=status,
    )


@login_required
@cache_control(private=True, no_store=True)
def approval_detail(request, number):
    return _detail(request, _visible(request, number))


@login_required
@cache_control(private=True, no_store=True)
@require_POST
def approval_approve(request, number):
    approval = _visible(request, number)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        order = services.approval_approve(
            approval=approval,
            approver=request.user,
            confirmed_total=form.cleaned_data.get("confirmed_total"),
            site_url=site_url(request),
        )
    except order_services.TotalChanged as changed:
        messages.warning(
            request,
            _(
                "The total changed since you opened this request: it is now %(total)s. Check "
                "the new amounts below and decide again."
            )
            % {"total": format_money(changed.total)},
        )
        return redirect(services.approval_url(approval))
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(services.approval_url(approval))
    messages.success(
        request,
        _("Order %(number)s is placed for %(buyer)s.")
        % {"number": order.number, "buyer": approval.buyer.email},
    )
    return redirect(services.approval_url(approval))


@login_required
@cache_control(private=True, no_store=True)
@require_POST
def approval_reject(request, number):
    approval = _visible(request, number)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, approval, reject_form=form, status=400)
    try:
        services.approval_reject(
            approval=approval,
            approver=request.user,
            reason=form.cleaned_data["reason"],
            site_url=site_url(request),
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(services.approval_url(approval))
    messages.success(request, _("The request is rejected; its buyer is told why."))
    return redirect(services.approval_url(approval))


@login_required
@cache_control(private=True, no_store=True)
@require_POST
def approval_cancel(request, number):
    approval = _visible(request, number)
    try:
        services.approval_cancel(approval=approval, buyer=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(services.approval_url(approval))
    messages.success(request, _("Your request is cancelled."))
    return redirect("approvals:list")
