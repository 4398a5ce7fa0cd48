"""What a production worker imports before and while it serves the storefront: the libraries
only the admin, its imports and the PDFs need stay out of its memory until they are used."""

import json

from .subprocess_settings import run_python

PRODUCTION = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "shop.example.com"}
ADMIN_ONLY = ["import_export.admin", "tablib", "openpyxl", "fpdf", "fontTools", "PIL", "urllib3"]

PROBE = """
import json, sys
import config.wsgi
from django.contrib import admin
from django.urls import resolve, reverse

watched = sys.argv[1:]
def loaded():
    return sorted(name for name in watched if name in sys.modules)

resolve("/")
resolve("/p/a-product/")
resolve("/c/a-category/")
links = [reverse("catalog:home"), reverse("catalog:product", args=["a-product"])]
storefront = loaded()
admin_index = reverse("admin:index")
from shop.models import Invoice, Product
from pricing.models import PriceRule
registered = [admin.site.is_registered(model) for model in (Product, Invoice, PriceRule)]
print(json.dumps({"storefront": storefront, "admin": loaded(), "admin_index": admin_index,
                  "registered": registered, "resolved": resolve(admin_index).url_name}))
"""


def test_storefront_urls_load_no_admin_import_or_pdf_library(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}"}
    result = run_python(PROBE, "config.settings.production", env, *ADMIN_ONLY)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["storefront"] == []
    # The first admin link imports every admin module: the site is whole from then on.
    assert seen["admin_index"] == "/admin/"
    assert seen["resolved"] == "index"
    assert seen["registered"] == [True, True, True]
    assert {"import_export.admin", "tablib", "openpyxl"} <= set(seen["admin"])
