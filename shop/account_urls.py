"""The buyer's orders and address book under /accounts/ (included from shop.urls)."""

from django.urls import path

from . import order_views

urlpatterns = [
    path("orders/", order_views.order_list, name="account_orders"),
    path("orders/<str:number>/", order_views.order_detail, name="order_detail"),
    path("orders/<str:number>/invoice/", order_views.order_invoice, name="order_invoice"),
    path("orders/<str:number>/reorder/", order_views.order_reorder, name="order_reorder"),
    path("addresses/", order_views.address_list, name="address_list"),
    path("addresses/new/", order_views.address_edit, name="address_create"),
    path("addresses/<int:pk>/", order_views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", order_views.address_delete, name="address_delete"),
]
