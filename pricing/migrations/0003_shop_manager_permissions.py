from django.db import migrations

from customers.permissions import grant_to_shop_managers


def grant_pricing(apps, schema_editor):
    grant_to_shop_managers(apps, app_label="pricing")


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0002_version_token"),
        ("customers", "0002_default_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant_pricing, migrations.RunPython.noop)]
