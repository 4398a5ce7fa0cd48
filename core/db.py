"""Prepared statements for the few fixed queries every request runs (the session, the
versions, the account): on PostgreSQL planning them cost more than running them, so each
connection plans them once (psycopg's prepared statements, through a server-side binding
cursor; the ORM's own queries keep Django's client-side binding and are never prepared).
Elsewhere, or with `DATABASE_PREPARED_STATEMENTS` off (behind a connection pooler that
cannot keep them), the ordinary cursor."""

from django.db import DEFAULT_DB_ALIAS, connections


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor whose statements are prepared. While queries are logged (DEBUG, tests that
    count them) the ordinary one: Django logs the text of the queries it binds itself."""
    connection = connections[using]
    preparing = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    if connection.vendor != "postgresql" or not preparing or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    return connection.make_cursor(ServerBindingCursor(connection.connection))
