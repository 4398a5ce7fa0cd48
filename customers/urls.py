"""Customer URLs: `urlpatterns` under /accounts/, `wholesale_patterns` under /wholesale/ and
`portal_patterns` under /portal/ (see config/urls.py)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("welcome/<str:token>/", views.signup_welcome, name="signup_welcome"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("delete/", views.account_erase, name="account_erase"),
    path("deleted/", views.account_erased, name="account_erased"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
]

wholesale_patterns = [
    path("apply/", views.wholesale_apply, name="wholesale_apply"),
]

portal_patterns = [
    path("", views.portal, name="portal"),
    path("company/", include("customers.companies.urls")),
]
