from django.db import migrations

from customers.permissions import grant_to_shop_managers


def grant_orders(apps, schema_editor):
    """Shop managers: view and change orders (status only), shipping methods and policies."""
    grant_to_shop_managers(apps, app_label="shop")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0003_cart_checkout_orders"),
        ("customers", "0004_shop_manager_permissions"),
    ]
    operations = [migrations.RunPython(grant_orders, migrations.RunPython.noop)]
