"""Shared cart links, under /cart/shared/ (DESIGN.md, URLs)."""

from django.urls import path

from . import views

app_name = "cart_sharing"
urlpatterns = [
    path("", views.shared_carts, name="list"),
    path("<int:pk>/stop/", views.shared_cart_stop, name="stop"),
    path("<str:token>/", views.shared_cart_open, name="open"),
    path("<str:token>/add/", views.shared_cart_add, name="add"),
]
