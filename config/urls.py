from django.conf import settings
from django.urls import include, path

from config.admin_site import admin_urls
from config.health import healthz
from customers import urls as customer_urls
from customers import views as customer_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/reports/", include("shop.reports.urls")),
    admin_urls("admin/"),
    path("accounts/", include("customers.urls")),
    path("language/", customer_views.language_set, name="set_language"),
    path("wholesale/", include(customer_urls.wholesale_patterns)),
    path("portal/", include(customer_urls.portal_patterns)),
    path("payments/", include("shop.payments.callback_urls")),
    path("", include("shop.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
