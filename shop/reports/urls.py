"""Mounted at /admin/reports/ (before the admin's own URLs): staff only, through the admin's
login, like the admin's own pages."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.sales_reports), name="sales"),
]
