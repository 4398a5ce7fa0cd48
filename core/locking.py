"""Row locks taken the same way everywhere: in ascending id order, on the queried table only.

Two transactions that lock overlapping rows in the same order queue behind each other instead
of deadlocking. `of=("self",)` keeps joined tables (select_related) unlocked. SQLite has no row
locks; its writes are serialised by the database itself."""

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.transaction import TransactionManagementError

from .db import columns_of, prepared_raw


def lock_rows(queryset: QuerySet) -> list:
    """The rows of `queryset`, locked until the end of the current transaction."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def lock_row(queryset: QuerySet) -> Model | None:
    """The one row `queryset` selects (by primary key, say), locked; None when there is none."""
    rows = lock_rows(queryset)
    return rows[0] if rows else None


def lock_ids(model, ids, *, column: str = "") -> list:
    """The rows of `model` with these primary keys (or these values of `column`), locked like
    `lock_rows` locks them. The locks every cart change and every order takes: one prepared
    statement per model, where the ORM compiled the same locking query anew each time."""
    ids = sorted(set(ids))
    connection = connections[router.db_for_write(model)]
    if connection.get_autocommit():
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    if not ids:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    select = f"SELECT {columns_of(model)} FROM {table} WHERE {column or pk}"
    if connection.vendor == "postgresql":  # one statement whatever the number of ids
        return prepared_raw(model, f"{select} = ANY(%s) ORDER BY {pk} FOR UPDATE", [ids])
    placeholders = ", ".join(["%s"] * len(ids))
    return prepared_raw(model, f"{select} IN ({placeholders}) ORDER BY {pk}", ids)


def lock_id(model, pk, *, column: str = "") -> Model | None:
    """The row of `model` with this primary key (or this value of a unique `column`), locked;
    None when there is none."""
    rows = lock_ids(model, [pk], column=column)
    return rows[0] if rows else None
