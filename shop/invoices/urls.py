from django.urls import path

from . import views

app_name = "invoices"
urlpatterns = [
    path("accounts/orders/<str:number>/invoice.pdf", views.customer_invoice, name="invoice"),
    path(
        "accounts/orders/<str:number>/credit-notes/<str:credit_number>.pdf",
        views.customer_credit_note,
        name="credit_note",
    ),
    path("orders/<str:number>/<str:token>/invoice.pdf", views.guest_invoice, name="guest_invoice"),
    path(
        "orders/<str:number>/<str:token>/credit-notes/<str:credit_number>.pdf",
        views.guest_credit_note,
        name="guest_credit_note",
    ),
]
