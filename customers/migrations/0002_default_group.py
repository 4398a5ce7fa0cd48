from django.db import migrations


def create_retail(apps, schema_editor):
    CustomerGroup = apps.get_model("customers", "CustomerGroup")
    if not CustomerGroup.objects.filter(is_default=True).exists():
        CustomerGroup.objects.update_or_create(
            slug="retail",
            defaults={"name": "Retail", "is_default": True, "prices_include_tax": True},
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create_retail, migrations.RunPython.noop)]
