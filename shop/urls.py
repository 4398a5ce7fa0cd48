"""The storefront's URLs, one namespace per package. Paths are stable (DESIGN.md, URLs)."""

from django.urls import include, path

urlpatterns = [
    path("", include("shop.catalog.urls")),
    path("", include("shop.cart.urls")),
    path("cart/shared/", include("shop.cart.sharing.urls")),
    path("checkout/pay/", include("shop.payments.urls")),
    path("checkout/", include("shop.checkout.urls")),
    path("", include("shop.orders.urls")),
    path("", include("shop.invoices.urls")),
    path("pages/", include("shop.pages.urls")),
    path("accounts/lists/", include("shop.cart.lists.urls")),
    path("accounts/addresses/", include("shop.addresses.urls")),
    path("portal/approvals/", include("shop.orders.approvals.urls")),
    path("portal/quotes/", include("shop.quotes.urls")),
]
