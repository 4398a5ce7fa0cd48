"""The shop's admin. Django's autodiscovery imports this module; each package registers the
admin of its own models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.cart.lists import admin as lists_admin
from shop.catalog import admin as catalog_admin
from shop.invoices import admin as invoices_admin
from shop.orders import admin as orders_admin
from shop.pages import admin as pages_admin
from shop.payments import admin as payments_admin
from shop.quotes import admin as quotes_admin
from shop.seller import admin as seller_admin
from shop.shipping import admin as shipping_admin
from shop.tax import admin as tax_admin

admin.site.site_header = _("Comptoir administration")
admin.site.site_title = _("Comptoir admin")
admin.site.index_title = _("Shop management")

__all__ = [
    "catalog_admin",
    "invoices_admin",
    "lists_admin",
    "orders_admin",
    "pages_admin",
    "payments_admin",
    "quotes_admin",
    "seller_admin",
    "shipping_admin",
    "tax_admin",
]
