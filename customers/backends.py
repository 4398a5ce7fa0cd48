"""The log-in backend: Django's model backend, whose per-request load of the session's user
also reads the group, company and country the storefront prices by, in the same query."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend

from . import selectors

BACKEND = "customers.backends.CustomerBackend"

# (user id, the user read by the caller along with its own query, None for no such account)
_read_ahead: ContextVar[tuple | None] = ContextVar("customers_read_ahead", default=None)


@contextmanager
def read_ahead(user_id, user):
    """Within it, the backend's load of the user `user_id` is `user` (read already by
    `selectors.user_with_viewer_sql`), checked as any user it loads."""
    token = _read_ahead.set((user_id, user))
    try:
        yield
    finally:
        _read_ahead.reset(token)


class CustomerBackend(ModelBackend):
    def get_user(self, user_id):
        ahead = _read_ahead.get()
        if ahead is not None and ahead[0] == user_id:
            user = ahead[1]
        else:
            user = selectors.user_with_viewer(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
