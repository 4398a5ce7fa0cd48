"""The customer's address book. Other people's addresses are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AddressForm


@login_required
@cache_control(private=True, no_store=True)
def address_list(request):
    return render(
        request,
        "shop/addresses/address_list.html",
        {"addresses": selectors.addresses_for(user=request.user)},
    )


def _own_address(request, pk):
    address = selectors.address_for(user=request.user, pk=pk)
    if address is None:
        raise Http404(_("No such address."))
    return address


@login_required
@cache_control(private=True, no_store=True)
def address_edit(request, pk=None):
    address = _own_address(request, pk) if pk is not None else None
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        if address is None:
            services.address_create(user=request.user, data=form.snapshot())
        else:
            services.address_update(address=address, data=form.snapshot())
        messages.success(request, _("The address is saved."))
        return redirect("addresses:list")
    return render(request, "shop/addresses/address_form.html", {"form": form, "address": address})


@login_required
@cache_control(private=True, no_store=True)
@require_POST
def address_delete(request, pk):
    services.address_delete(address=_own_address(request, pk))
    messages.success(request, _("The address was deleted."))
    return redirect("addresses:list")
