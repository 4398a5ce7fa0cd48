from django.db import migrations


class Migration(migrations.Migration):
    """Credit limits and payment terms get their own permission, which no group has by default
    (customers.permissions.CREDIT_TERMS_PERMISSION); Django creates it after migrating."""

    dependencies = [("customers", "0004_shop_manager_permissions")]
    operations = [
        migrations.AlterModelOptions(
            name="customerprofile",
            options={
                "permissions": [
                    ("change_credit_terms", "Can change credit limits and payment terms")
                ],
                "verbose_name": "customer profile",
                "verbose_name_plural": "customer profiles",
            },
        ),
    ]
