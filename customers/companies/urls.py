"""The company pages, under /portal/company/ (see customers.urls.portal_patterns)."""

from django.urls import path

from . import views

app_name = "company"
urlpatterns = [
    path("", views.members, name="members"),
    path("settings/", views.company_settings, name="settings"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("members/<int:pk>/", views.member_update, name="member_update"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("join/<str:token>/", views.join, name="join"),
]
