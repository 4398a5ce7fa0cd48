from django.db import migrations

from customers.permissions import grant_to_shop_managers


def grant_customers(apps, schema_editor):
    grant_to_shop_managers(apps, app_label="customers")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_wholesale_applications"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant_customers, migrations.RunPython.noop)]
