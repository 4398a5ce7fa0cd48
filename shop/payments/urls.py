"""The buyer's card payment pages, under /checkout/pay/: customers by order number (their own
orders only), guests by order number and the order's secret."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("<str:number>/paid/", views.card_paid, name="paid"),
    path("<str:number>/failed/", views.card_failed, name="failed"),
    path("<str:number>/bank-transfer/", views.card_switch_to_bank_transfer, name="switch"),
    path("<str:number>/", views.card_pay, name="pay"),
    path("<str:number>/<str:token>/paid/", views.card_paid, name="guest_paid"),
    path("<str:number>/<str:token>/failed/", views.card_failed, name="guest_failed"),
    path(
        "<str:number>/<str:token>/bank-transfer/",
        views.card_switch_to_bank_transfer,
        name="guest_switch",
    ),
    path("<str:number>/<str:token>/", views.card_pay, name="guest_pay"),
]
