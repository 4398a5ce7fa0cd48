"""django-payments' callback routes, under /payments/, with its route names (the library
reverses "process_payment"), served by our views: they apply the provider's answer to the
order. The library's own views are not mounted, so no callback bypasses that."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("process/<uuid:token>/", views.process_payment, name="process_payment"),
    re_path(
        r"^process/(?P<variant>[a-z-]+)/$",
        views.static_process_payment,
        name="static_process_payment",
    ),
]
