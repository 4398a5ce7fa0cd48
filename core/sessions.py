"""Django's database sessions, the session row read in plain SQL: every page a customer opens
loads it, and building that ORM query cost more than running it. Same table, same data: a
session stored before stays valid."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = list(
            model.objects.raw(
                f"SELECT * FROM {model._meta.db_table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
        )
        if found:
            return found[0]
        self._session_key = None
        return None
