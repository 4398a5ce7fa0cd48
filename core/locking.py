"""Row locks taken the same way everywhere: in ascending id order, on the queried table only.

Two transactions that lock overlapping rows in the same order queue behind each other instead
of deadlocking. `of=("self",)` keeps joined tables (select_related) unlocked. SQLite has no row
locks; its writes are serialised by the database itself."""

from django.db.models import Model, QuerySet


def lock_rows(queryset: QuerySet) -> list:
    """The rows of `queryset`, locked until the end of the current transaction."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def lock_row(queryset: QuerySet) -> Model | None:
    """The one row `queryset` selects (by primary key, say), locked; None when there is none."""
    rows = lock_rows(queryset)
    return rows[0] if rows else None
