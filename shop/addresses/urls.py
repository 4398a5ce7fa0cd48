from django.urls import path

from . import views

app_name = "addresses"
urlpatterns = [
    path("", views.address_list, name="list"),
    path("new/", views.address_edit, name="create"),
    path("<int:pk>/", views.address_edit, name="edit"),
    path("<int:pk>/delete/", views.address_delete, name="delete"),
]
