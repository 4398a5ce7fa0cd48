"""Admin for shop managers: customer groups, customers (profiles), wholesale applications.
Superusers also get the accounts themselves (customers.User), which managers never see.

Django's autodiscovery imports this package; importing each module registers its admins."""

from . import accounts, applications, companies, groups, invitations, profiles  # noqa: F401
