"""The saved lists pages (thin: the list services and selectors do the work). A list's owner
does everything; colleagues it is shared with open it, export it and send it to their own cart,
at their own prices. Any other write of someone else's list is 404, whatever the URL."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from core.errors import Refusal
from core.spreadsheets import spreadsheet_safe
from customers.companies import selectors as company_selectors
from customers.web import group_for_request
from shop.cart import selectors as cart_selectors
from shop.orders import selectors as order_selectors
from shop.session import ShopSession

from . import selectors, services
from .forms import (
    CSV_HEADER,
    AddProductForm,
    ImportForm,
    LinesForm,
    ListChoiceForm,
    SavedListNameForm,
)


def private(view):
    return login_required(cache_control(private=True, no_store=True)(view))


def _own_list(request, pk):
    """The list to change: the user's own."""
    saved_list = selectors.saved_list_get(user=request.user, pk=pk, for_write=True)
    if saved_list is None:
        raise Http404(_("No such list."))
    return saved_list


def _readable_list(request, pk):
    """The list to read or order from: the user's own, or shared with them by a colleague."""
    saved_list = selectors.saved_list_get(user=request.user, pk=pk, for_write=False)
    if saved_list is None:
        raise Http404(_("No such list."))
    return saved_list


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _posted(request, *, files: bool = False) -> tuple:
    """A form's data: bound on a POST even when nothing was sent."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


@private
def list_index(request):
    form = SavedListNameForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved_list = services.saved_list_create(
                owner=request.user, name=form.cleaned_data["name"]
            )
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("List “%(name)s” created.") % {"name": saved_list.name})
            return redirect("lists:detail", saved_list.pk)
    readable = selectors.lists_for(user=request.user, for_write=False)
    return render(
        request,
        "shop/lists/list_index.html",
        {
            "lists": [item for item in readable if item.owner_id == request.user.pk],
            "shared_lists": [item for item in readable if item.owner_id != request.user.pk],
            "company_id": company_selectors.company_id_for(request.user),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _detail(request, saved_list, *, lines_form=None, refused=None, status=200):
    group = group_for_request(request)
    page = selectors.saved_list_page(saved_list=saved_list, customer=request.user, group=group)
    lines_form = lines_form or LinesForm(page.lines)
    is_owner = saved_list.owner_id == request.user.pk
    return render(
        request,
        "shop/lists/list_detail.html",
        {
            "page": page,
            "rows": [(row, lines_form.entry(row.line)) for row in page.rows],
            "unavailable": [(line, lines_form.entry(line)) for line in page.unavailable],
            "lines_form": lines_form,
            "refused": refused or [],
            "group": group,
            "is_owner": is_owner,
            "is_shared": selectors.is_shared(saved_list),
            "can_share": is_owner and company_selectors.company_id_for(request.user) is not None,
        },
        status=status,
    )


@private
def list_detail(request, pk):
    return _detail(request, _readable_list(request, pk))


@private
@require_POST
def list_share(request, pk):
    saved_list = _own_list(request, pk)
    shared = request.POST.get("shared") == "1"
    try:
        services.saved_list_share(saved_list=saved_list, user=request.user, shared=shared)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        if shared:
            messages.success(request, _("Your colleagues can now see this list."))
        else:
            messages.success(request, _("This list is no longer shared."))
    return redirect("lists:detail", saved_list.pk)


@private
@require_POST
def list_update(request, pk):
    saved_list = _own_list(request, pk)
    form = LinesForm(selectors.list_lines(saved_list), request.POST)
    if not form.is_valid():
        return _detail(request, saved_list, lines_form=form, status=400)
    changed, removed = services.saved_list_update(saved_list=saved_list, changes=form.changes)
    if removed:
        messages.success(
            request,
            ngettext("%(count)s line removed.", "%(count)s lines removed.", removed)
            % {"count": removed},
        )
    if changed or not removed:
        messages.success(request, _("Your list is saved."))
    return redirect("lists:detail", saved_list.pk)


def _line_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


@private
@require_POST
def list_to_cart(request, pk):
    saved_list = _readable_list(request, pk)
    line_ids = (
        None if request.POST.get("scope") == "all" else _line_ids(request.POST.getlist("line"))
    )
    try:
        result = services.saved_list_to_cart(
            saved_list=saved_list,
            cart=ShopSession(request).cart(create=True),
            customer=request.user,
            group=group_for_request(request),
            line_ids=line_ids,
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("lists:detail", saved_list.pk)
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
    if not result.refused:
        return redirect("cart:detail")
    return _detail(request, saved_list, refused=result.refused)


@private
def list_rename(request, pk):
    saved_list = _own_list(request, pk)
    form = SavedListNameForm(*_posted(request), initial={"name": saved_list.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_list_rename(saved_list=saved_list, name=form.cleaned_data["name"])
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("List renamed."))
            return redirect("lists:detail", saved_list.pk)
    return render(
        request,
        "shop/lists/list_rename.html",
        {"saved_list": saved_list, "form": form},
        status=400 if form.errors else 200,
    )


@private
def list_delete(request, pk):
    saved_list = _own_list(request, pk)
    if request.method == "POST":
        services.saved_list_delete(saved_list=saved_list)
        messages.success(request, _("List “%(name)s” deleted.") % {"name": saved_list.name})
        return redirect("lists:index")
    return render(request, "shop/lists/list_delete.html", {"saved_list": saved_list})


@private
def list_export(request, pk):
    saved_list = _readable_list(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"list-{slugify(saved_list.name) or saved_list.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for sku, quantity, note in selectors.export_rows(
        saved_list=saved_list, group=group_for_request(request)
    ):
        writer.writerow([sku, quantity, spreadsheet_safe(note)])
    return response


@private
def list_import(request, pk):
    saved_list = _own_list(request, pk)
    form = ImportForm(*_posted(request, files=True))
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.saved_list_import(
                saved_list=saved_list,
                rows=form.cleaned_data["file"],
                group=group_for_request(request),
            )
        except Refusal as refusal:
            form.add_error("file", refusal.message)
        else:
            if report.added:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s row imported.", "%(count)s rows imported.", len(report.added)
                    )
                    % {"count": len(report.added)},
                )
            if not report.problems:
                return redirect("lists:detail", saved_list.pk)
    return render(
        request,
        "shop/lists/list_import.html",
        {"saved_list": saved_list, "form": form, "report": report},
        status=400 if form.errors else 200,
    )


def _added_message(result) -> str:
    return ngettext(
        "%(count)s product saved to your list “%(name)s”.",
        "%(count)s products saved to your list “%(name)s”.",
        len(result.added),
    ) % {"count": len(result.added), "name": result.saved_list.name}


def _add(request, form, items, *, back: str):
    """Add `items` to the list the form names (or a new one), then go `back`."""
    saved_list = None
    if form.cleaned_data["saved_list"] is not None:
        saved_list = _own_list(request, form.cleaned_data["saved_list"])
    try:
        result = services.saved_list_add(
            owner=request.user,
            items=items,
            group=group_for_request(request),
            saved_list=saved_list,
            new_name=form.cleaned_data["new_name"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    messages.success(request, _added_message(result))
    for note in result.skipped:
        messages.warning(request, note)
    return redirect(back)


def _choice_form(request, form_class=ListChoiceForm):
    return form_class(request.POST, choices=selectors.list_choices(owner=request.user))


@private
@require_POST
def list_add_product(request):
    form = _choice_form(request, AddProductForm)
    back = _back(request, reverse("lists:index"))
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(back)
    items = [(form.cleaned_data["product"], form.cleaned_data["quantity"])]
    return _add(request, form, items, back=back)


@private
@require_POST
def list_from_cart(request):
    form = _choice_form(request)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("cart:detail")
    lines = cart_selectors.cart_lines(ShopSession(request).cart())
    if not lines:
        messages.error(request, _("Your cart is empty."))
        return redirect("cart:detail")
    items = [(line.product_id, line.quantity) for line in lines]
    return _add(request, form, items, back=reverse("cart:detail"))


@private
@require_POST
def list_from_order(request, number):
    order = order_selectors.order_for_customer(user=request.user, number=number)
    if order is None:
        raise Http404(_("No such order."))
    back = reverse("orders:detail", args=[order.number])
    form = _choice_form(request)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(back)
    items = [
        (line.product_id, line.quantity)
        for line in order.lines.all()
        if line.product_id is not None
    ]
    return _add(request, form, items, back=back)
