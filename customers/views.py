from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import services
from .forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


@login_required
def account(request):
    return render(
        request,
        "customers/account.html",
        {"group": services.group_for(request.user)},
    )
