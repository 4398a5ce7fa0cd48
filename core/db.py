"""Prepared statements on PostgreSQL, where planning a short query costs more than running
it. The ORM's parameters are bound by PostgreSQL (`server_side_binding`) and psycopg prepares
a query once a connection has run it a few times (`prepare_threshold`); the few fixed reads
every request runs (the session, the versions, the account) are prepared on their first run.
Elsewhere, or with `DATABASE_PREPARED_STATEMENTS` off (behind a connection pooler that
cannot keep them), the ordinary cursor and Django's client-side binding."""

import functools

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, router


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


def prepared_raw(model, sql: str, params=()) -> list:
    """The instances of `model` that `sql` selects, as `model.objects.raw(sql, params)` gives
    them (each column of a field converted as the ORM converts it, any other column set as
    an attribute), the statement prepared. How the columns map to the model is worked out
    once per statement and connection: every request runs these reads."""
    using = router.db_for_read(model)
    connection = connections[using]
    params = tuple(connection.ops.adapt_unknown_value(value) for value in params)
    with prepared_cursor(using) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        columns = tuple(column[0] for column in cursor.description)
    plan = _reading_plan(model, connection, columns)
    return [plan.instance(row) for row in plan.converted(rows)]


class _ReadingPlan:
    """How rows of `columns` become instances of `model` (what `RawModelIterable` works out
    anew for each query)."""

    def __init__(self, model, connection, columns: tuple[str, ...]):
        converter = connection.introspection.identifier_converter
        columns = tuple(converter(column) for column in columns)
        by_column = {converter(field.column): field for field in model._meta.fields}
        if converter(model._meta.pk.column) not in columns:
            raise FieldDoesNotExist("Raw query must include the primary key")
        fields = [by_column.get(column) for column in columns]
        self.model, self.alias = model, connection.alias
        self.names = [field.attname for field in fields if field is not None]
        self.positions = [at for at, field in enumerate(fields) if field is not None]
        self.annotations = [(column, at) for at, column in enumerate(columns) if fields[at] is None]
        self.compiler = connection.ops.compiler("SQLCompiler")(None, connection, connection.alias)
        self.converters = self.compiler.get_converters(
            [field.get_col(field.model._meta.db_table) if field else None for field in fields]
        )

    def converted(self, rows):
        return self.compiler.apply_converters(rows, self.converters) if self.converters else rows

    def instance(self, values):
        instance = self.model.from_db(self.alias, self.names, [values[at] for at in self.positions])
        for column, at in self.annotations:
            setattr(instance, column, values[at])
        return instance


@functools.lru_cache(maxsize=256)
def _reading_plan(model, connection, columns: tuple[str, ...]) -> _ReadingPlan:
    """Per connection object: the converters are bound to its operations."""
    return _ReadingPlan(model, connection, columns)


def columns_of(model, alias: str = "") -> str:
    """The model's columns for a prepared statement's select list: named, never `*`, since a
    prepared `*` fails once a migration adds a column under a running process."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + field.column for field in model._meta.concrete_fields)
