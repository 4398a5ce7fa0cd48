from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from customers.permissions import grant_to_shop_managers

SEARCH_INDEX = GinIndex(
    SearchVector("name", "sku", "description", config="english"), name="product_search_gin"
)


def add_search_index(apps, schema_editor):
    """Full-text index on PostgreSQL; SQLite searches with LIKE and has no such index."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("shop", "Product"), SEARCH_INDEX)


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("shop", "Product"), SEARCH_INDEX)


def grant_catalogue(apps, schema_editor):
    grant_to_shop_managers(apps, app_label="shop")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial"), ("customers", "0002_default_group")]
    operations = [
        migrations.RunPython(add_search_index, remove_search_index),
        migrations.RunPython(grant_catalogue, migrations.RunPython.noop),
    ]
