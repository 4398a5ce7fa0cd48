from django.db import migrations

# PostgreSQL only: a stored, generated tsvector column (kept current by the database on every
# write path, bulk ones included) with its GIN index, so ranking a broad search reads the
# stored vectors instead of parsing every matching description again. It is the same
# expression Django's SearchVector("name", "sku", "description", config="english") builds.
# SQLite searches with LIKE and gets nothing here.
FORWARD = [
    """
    ALTER TABLE shop_product ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(sku, '')
        || ' ' || COALESCE(description, ''))
    ) STORED
    """,
    "CREATE INDEX product_search_document ON shop_product USING gin (search_document)",
    "DROP INDEX IF EXISTS product_search_gin",
]
BACKWARD = [
    "DROP INDEX IF EXISTS product_search_document",
    "ALTER TABLE shop_product DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_listing_order_indexes")]
    operations = [migrations.RunPython(forward, backward)]
