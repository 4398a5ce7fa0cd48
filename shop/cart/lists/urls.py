from django.urls import path

from . import views

app_name = "lists"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("add/", views.list_add_product, name="add_product"),
    path("from-cart/", views.list_from_cart, name="from_cart"),
    path("from-order/<str:number>/", views.list_from_order, name="from_order"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/update/", views.list_update, name="update"),
    path("<int:pk>/to-cart/", views.list_to_cart, name="to_cart"),
    path("<int:pk>/rename/", views.list_rename, name="rename"),
    path("<int:pk>/share/", views.list_share, name="share"),
    path("<int:pk>/delete/", views.list_delete, name="delete"),
    path("<int:pk>/export/", views.list_export, name="export"),
    path("<int:pk>/import/", views.list_import, name="import"),
]
