"""URLconf used only by bench/catalog.py: the shop's own URLs plus a bare-Django baseline page
(one query, a 20-item list rendered from a one-line template) to compare the shop pages with.
Never part of the application."""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import include, path

from shop.models import Product

BASELINE_PATH = "/bench/baseline/"
_TEMPLATE = Engine().from_string(
    "<!doctype html><title>baseline</title><ul>{% for name in names %}<li>{{ name }}</li>"
    "{% endfor %}</ul>"
)


def baseline(request):
    names = list(Product.objects.order_by("name").values_list("name", flat=True)[:20])
    return HttpResponse(_TEMPLATE.render(Context({"names": names})))


urlpatterns = [
    path(BASELINE_PATH.strip("/") + "/", baseline),
    path("", include("config.urls")),
]
