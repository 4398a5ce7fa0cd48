from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_list, name="list"),
    path("<str:number>/", views.approval_detail, name="detail"),
    path("<str:number>/approve/", views.approval_approve, name="approve"),
    path("<str:number>/reject/", views.approval_reject, name="reject"),
    path("<str:number>/cancel/", views.approval_cancel, name="cancel"),
]
