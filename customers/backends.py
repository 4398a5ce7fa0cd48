"""The log-in backend: Django's model backend, whose per-request load of the session's user
also reads the group, company and country the storefront prices by, in the same query."""

from django.contrib.auth.backends import ModelBackend

from . import selectors

BACKEND = "customers.backends.CustomerBackend"


class CustomerBackend(ModelBackend):
    def get_user(self, user_id):
        user = selectors.user_with_viewer(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
