from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("accounts/orders/", views.order_list, name="list"),
    path("accounts/orders/<str:number>/", views.order_detail, name="detail"),
    path("accounts/orders/<str:number>/invoice/", views.order_invoice, name="invoice"),
    path("accounts/orders/<str:number>/reorder/", views.order_reorder, name="reorder"),
    path("orders/<str:number>/<str:token>/", views.guest_order, name="guest"),
    path(
        "orders/<str:number>/<str:token>/invoice/",
        views.guest_order_invoice,
        name="guest_invoice",
    ),
]
