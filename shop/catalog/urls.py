from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("p/<slug:slug>/", views.product_detail, name="product"),
    path("p/<slug:slug>/stock-alert/", views.stock_alert_request, name="stock_alert"),
    path("search/", views.search, name="search"),
    path("portal/price-list/", views.price_list, name="price_list"),
]
