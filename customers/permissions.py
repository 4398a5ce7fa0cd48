"""The "Shop managers" staff group: only the permissions a manager needs.

`MANAGER_GRANTS` is the single list. Each app's migration grants the entries of its own app
label whose models and permissions exist at that point (added later: by a later migration);
`seed_demo` re-applies the whole list (tests flush tables)."""

from django.contrib.auth.management import create_permissions

SHOP_MANAGERS = "Shop managers"

# Credit limits and payment terms decide how much a customer may owe the shop: a permission of
# their own on CustomerProfile, not in MANAGER_GRANTS (a superuser grants it to whom he trusts).
CREDIT_TERMS_CODENAME = "change_credit_terms"
CREDIT_TERMS_PERMISSION = f"customers.{CREDIT_TERMS_CODENAME}"

ALL = ("add", "change", "delete", "view")
MANAGER_GRANTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("shop", "category"): ALL,
    ("shop", "product"): ALL,
    ("shop", "productimage"): ALL,
    ("shop", "taxrate"): ALL,
    # Orders: placed by buyers and never removed, so a manager views them and changes their
    # status (through the order services), nothing else; "take" is shop.take_order: taking an
    # order for a customer by phone or email, at his prices. Shipping and checkout rules in full.
    ("shop", "order"): ("change", "view", "take"),
    # Invoices and credit notes are issued by the order services: a manager reads them.
    # Refunding (shop.add_refund) gives money back: its own permission.
    ("shop", "invoice"): ("view",),
    ("shop", "creditnote"): ("view",),
    ("shop", "refund"): ("add", "view"),
    ("shop", "shippingmethod"): ALL,
    ("shop", "checkoutpolicy"): ALL,
    # Card payments are written by the provider's callbacks only: a manager looks at them.
    ("shop", "cardpayment"): ("view",),
    # The shop's details, but not shop.change_bank_details: where buyers send their money.
    ("shop", "shopdetails"): ("add", "change", "view"),
    # Content and legal pages in full; their kept versions (what buyers accepted) read only.
    ("shop", "page"): ALL,
    ("shop", "pageversion"): ("view",),
    # Buyers' saved lists: read only, to help a buyer; only the buyer changes them.
    ("shop", "savedlist"): ("view",),
    ("shop", "savedlistline"): ("view",),
    # Order approval requests are decided by the companies' approvers: a manager reads them.
    ("shop", "orderapproval"): ("view",),
    # Requests for quotes are made by buyers: a manager reads them and sends offers (change);
    # their lines and history change only through the quote services.
    ("shop", "quote"): ("change", "view"),
    ("shop", "quoteline"): ("view",),
    ("shop", "quoteevent"): ("view",),
    # Customers: groups in full; profiles and applications are created by customers, so a
    # manager reviews and edits them but never adds or deletes them. No permission on
    # customers.User or auth.Group: a manager cannot edit accounts' permissions or staff status.
    # Not customers.change_credit_terms either (see CREDIT_TERMS_PERMISSION).
    ("customers", "customergroup"): ALL,
    ("customers", "customerprofile"): ("change", "view"),
    ("customers", "wholesaleapplication"): ("change", "view"),
    # Companies: a manager creates and edits them (group, members) but never deletes one (its
    # orders point to it); members in full. Terms and credit limit need change_credit_terms.
    ("customers", "company"): ("add", "change", "view"),
    ("customers", "companymember"): ALL,
    # Invitations are sent by company admins: a manager reads them and may revoke one.
    ("customers", "companyinvitation"): ("change", "view"),
    # Pricing: rules and cart discounts in full (the price simulator needs view_pricerule).
    ("pricing", "pricerule"): ALL,
    ("pricing", "quantityrule"): ALL,
    ("pricing", "cartdiscount"): ALL,
}


def can_change_credit_terms(user) -> bool:
    """Whether `user` may set credit limits and payment terms (a customer's or a group's)."""
    return user.has_perm(CREDIT_TERMS_PERMISSION)


def can_manage_account(user, account) -> bool:
    """Whether `user` may change what the shop grants to `account` (its profile, its
    application). Staff and superuser accounts are left to superusers: a manager never raises
    his own or a colleague's terms."""
    return user.is_superuser or not (account.is_staff or account.is_superuser)


def grant_to_shop_managers(apps, app_label: str | None = None) -> None:
    """Give the group its permissions (only those of `app_label` when given)."""
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module (as in migrations);
        # restore the real value afterwards, or later flushes stop recreating permissions.
        original = getattr(app_config, "models_module", None)  # migration stubs have none
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SHOP_MANAGERS)
    for (label, model), actions in MANAGER_GRANTS.items():
        if app_label is not None and label != app_label:
            continue
        try:
            model_class = apps.get_model(label, model)
        except LookupError:
            continue  # a later migration creates it and grants it then
        # A permission of the model's own (its Meta.permissions): granted by the migration
        # that declares it.
        declared = {codename for codename, _name in model_class._meta.permissions}
        codenames = [
            f"{action}_{model}"
            for action in actions
            if action in ALL or f"{action}_{model}" in declared
        ]
        permissions = Permission.objects.filter(
            content_type__app_label=label, codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Missing permissions for {label}.{model}: {codenames}")
        group.permissions.add(*permissions)
