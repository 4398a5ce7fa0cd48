from django.urls import path

from . import views

app_name = "quotes"
urlpatterns = [
    path("", views.quote_list, name="list"),
    path("new/", views.quote_new, name="new"),
    path("from-cart/", views.quote_from_cart, name="from_cart"),
    path("<str:number>/", views.quote_detail, name="detail"),
    path("<str:number>/accept/", views.quote_accept, name="accept"),
    path("<str:number>/decline/", views.quote_decline, name="decline"),
    path("<str:number>/revision/", views.quote_revision, name="revision"),
    path("<str:number>/to-cart/", views.quote_to_cart, name="to_cart"),
]
