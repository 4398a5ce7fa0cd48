"""Django's database sessions, the session row read in plain SQL, as a prepared statement
(core.db): every page a customer opens loads it, and building that ORM query, or planning
it, cost more than running it. Same table, same data: a session stored before stays valid."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .db import prepared_cursor


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        columns = [field.attname for field in model._meta.concrete_fields]
        with prepared_cursor(connection.alias) as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {model._meta.db_table} "
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            found = cursor.fetchone()
        if found is not None:
            return model.from_db(connection.alias, columns, found)
        self._session_key = None
        return None
