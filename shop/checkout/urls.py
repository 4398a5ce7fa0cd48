from django.urls import path

from . import views

app_name = "checkout"
urlpatterns = [
    path("", views.checkout_details, name="details"),
    path("delivery/", views.checkout_delivery, name="delivery"),
    path("review/", views.checkout_review, name="review"),
    path("place/", views.checkout_place, name="place"),
]
