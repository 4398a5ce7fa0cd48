"""Prepared statements on PostgreSQL, where planning a short query costs more than running
it. The ORM's parameters are bound by PostgreSQL (`server_side_binding`) and psycopg prepares
a query once a connection has run it a few times (`prepare_threshold`); the few fixed reads
every request runs (the session, the versions, the account) are prepared on their first run.
Elsewhere, or with `DATABASE_PREPARED_STATEMENTS` off (behind a connection pooler that
cannot keep them), the ordinary cursor and Django's client-side binding."""

import functools

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models.query import RawQuerySet
from django.db.models.sql.query import RawQuery


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor whose statements are prepared on their first run. While queries are logged
    (DEBUG, tests that count them) the ordinary one, so that the log shows each query whole
    and nothing is prepared for a query run once."""
    connection = connections[using]
    preparing = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    if connection.vendor != "postgresql" or not preparing or connection.queries_logged:
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    return connection.make_cursor(_preparing_cursor_class()(connection.connection))


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor


class _PreparedRawQuery(RawQuery):
    def clone(self, using):
        return _PreparedRawQuery(self.sql, using, params=self.params)

    def _execute_query(self):
        connection = connections[self.using]
        params = tuple(connection.ops.adapt_unknown_value(value) for value in self.params)
        self.cursor = prepared_cursor(self.using)
        self.cursor.execute(self.sql, params)


def prepared_raw(model, sql: str, params=()) -> RawQuerySet:
    """`model.objects.raw(sql, params)` (a list or tuple of them), its statement prepared."""
    using = router.db_for_read(model)
    query = _PreparedRawQuery(sql, using, params=tuple(params))
    return RawQuerySet(sql, model=model, query=query, params=tuple(params), using=using)


def columns_of(model, alias: str = "") -> str:
    """The model's columns for a prepared statement's select list: named, never `*`, since a
    prepared `*` fails once a migration adds a column under a running process."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + field.column for field in model._meta.concrete_fields)
