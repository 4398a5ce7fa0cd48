from django.urls import include, path

from . import cart_views, checkout_views, order_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("p/<slug:slug>/", views.product_detail, name="product"),
    path("search/", views.search, name="search"),
    # Cart, quick order, checkout and guests' order links (issue 5).
    path("cart/", cart_views.cart_detail, name="cart"),
    path("cart/add/", cart_views.cart_add, name="cart_add"),
    path("cart/update/", cart_views.cart_update, name="cart_update"),
    path("cart/remove/", cart_views.cart_remove, name="cart_remove"),
    path("portal/quick-order/", cart_views.quick_order, name="quick_order"),
    path("checkout/", checkout_views.checkout_details, name="checkout"),
    path("checkout/delivery/", checkout_views.checkout_delivery, name="checkout_delivery"),
    path("checkout/review/", checkout_views.checkout_review, name="checkout_review"),
    path("checkout/place/", checkout_views.checkout_place, name="checkout_place"),
    # /accounts/orders/ and /accounts/addresses/: customers.urls has no such routes.
    path("accounts/", include("shop.account_urls")),
    path("orders/<str:number>/<str:token>/", order_views.guest_order, name="guest_order"),
    path(
        "orders/<str:number>/<str:token>/invoice/",
        order_views.guest_order_invoice,
        name="guest_order_invoice",
    ),
]
