"""Django's database sessions, the session row read in plain SQL, as a prepared statement
(core.db): every page a customer opens loads it, and building that ORM query, or planning
it, cost more than running it. An existing session is written in one prepared UPDATE: Django
wraps it in a transaction of its own, three queries for each write. Same table, same data: a
session stored before stays valid."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
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

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        session = self.create_model_instance(self._get_session())
        using = router.db_for_write(self.model, instance=session)
        connection = connections[using]
        expire_date = connection.ops.adapt_datetimefield_value(session.expire_date)
        with prepared_cursor(using) as cursor:
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(self.model._meta.db_table)} "
                "SET session_data = %s, expire_date = %s "
                "WHERE session_key = %s",
                [session.session_data, expire_date, session.session_key],
            )
            written = cursor.rowcount
        if not written:  # deleted meanwhile (logged out elsewhere): Django's UpdateError
            raise UpdateError
