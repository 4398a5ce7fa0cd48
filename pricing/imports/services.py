"""Writing an import and undoing it. Each runs in one transaction and bumps the pricing
version once, however many rules it touches; a failing row writes nothing.

A confirmed import keeps, in a `RuleImport`, the rules it changed or removed as they were
before (Django's serialized form, every field, timestamps and groups included), the rules as
it left them and the ids it added. Undo puts the first back and deletes the added ones, but
only for the most recent import of that model, once, and only while nobody has edited those
rules since (otherwise it would silently throw away a colleague's work)."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services as pricing_services
from ..models import RuleImport
from .preview import CHANGED, NEW, ImportPreview, build_preview

CHUNK = 5000


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes keep their microseconds (restored exactly)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class UndoRefused(Exception):
    """The undo would not restore the rules as they were; the message says why."""


@dataclass
class ImportOutcome:
    preview: ImportPreview
    rule_import: RuleImport | None  # None: nothing was written
    stale: bool = False  # the rules changed between the preview and the confirm


def model_label(model) -> str:
    return model._meta.label_lower


def serialized(objects) -> list[dict]:
    """Rows as JSON-safe dicts ({"model", "pk", "fields"}), many-to-many as lists of ids."""
    rows = serializers.serialize("python", objects)
    return json.loads(json.dumps(rows, cls=ExactJSONEncoder))


def current_rows(model, ids) -> list[dict]:
    ids = sorted(ids)
    queryset = model._default_manager.order_by("pk")
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(*(f.name for f in model._meta.many_to_many))
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += serialized(queryset.filter(pk__in=ids[start : start + CHUNK]))
    return rows


def delete_ids(model, ids) -> None:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        model._default_manager.filter(pk__in=ids[start : start + CHUNK]).delete()


def rules_import(
    *, resource, dataset, remove_missing: bool, user, file_name: str, fingerprint: str = ""
) -> ImportOutcome:
    """Import `dataset` for real. Nothing is written if a row fails or if, given the preview's
    `fingerprint`, the import would now do something else than the manager saw."""
    model = resource._meta.model
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        preview = build_preview(resource, result, remove_missing=remove_missing)
        stale = bool(fingerprint) and fingerprint != preview.fingerprint
        if preview.has_errors or stale or result.has_errors():
            transaction.set_rollback(True)
            return ImportOutcome(preview, None, stale=stale)
        changed = [row.original for row in preview.rows if row.status == CHANGED]
        removed = [row.original for row in preview.removed]
        created_ids = [row.instance.pk for row in preview.rows if row.status == NEW]
        rows_before = serialized([*changed, *removed])
        delete_ids(model, [rule.pk for rule in removed])
        rule_import = RuleImport.objects.create(
            model=model_label(model),
            user=user,
            file_name=file_name[:255],
            counts=preview.counts,
            created_ids=created_ids,
            rows_before=rows_before,
            rows_after=current_rows(model, [*created_ids, *(rule.pk for rule in changed)]),
        )
        if preview.has_writes:
            pricing_services.rules_changed()
    return ImportOutcome(preview, rule_import)


# --- undo -----------------------------------------------------------------------------------


def last_import(model) -> RuleImport | None:
    return RuleImport.objects.filter(model=model_label(model)).first()


def undoable_import(model) -> RuleImport | None:
    """The import the "Undo last import" button offers: the latest, if not undone yet."""
    latest = last_import(model)
    return latest if latest is not None and latest.undone_at is None else None


def undo_problems(rule_import: RuleImport, model) -> list[str]:
    """Why undoing would not give the rules back as they were (empty: it would)."""
    if rule_import.undone_at is not None:
        return [_("This import has already been undone.")]
    if last_import(model) != rule_import:
        return [_("Only the most recent import can be undone.")]
    problems = []
    after = {row["pk"]: row for row in rule_import.rows_after}
    now = {row["pk"]: row for row in current_rows(model, after)}
    for pk, row in after.items():
        rule = {"name": row["fields"].get("name", pk), "id": pk}
        if pk not in now:
            problems.append(_("“%(name)s” (id %(id)s) was deleted since.") % rule)
        elif now[pk] != row:
            problems.append(_("“%(name)s” (id %(id)s) was edited since.") % rule)
    removed = {row["pk"] for row in rule_import.rows_before} - set(after)
    back = model._default_manager.filter(pk__in=removed).values_list("pk", flat=True)
    for pk in back:
        problems.append(_("The rule with id %(id)s exists again.") % {"id": pk})
    return problems


def undo_summary(rule_import: RuleImport) -> dict[str, int]:
    after = {row["pk"] for row in rule_import.rows_after}
    before = {row["pk"] for row in rule_import.rows_before}
    return {
        "delete": len(rule_import.created_ids),
        "revert": len(before & after),
        "recreate": len(before - after),
    }


def rules_import_undo(*, rule_import: RuleImport, model, user) -> dict[str, int]:
    """Restore the rules exactly as they were before `rule_import`, or `UndoRefused`."""
    with transaction.atomic():
        rule_import = RuleImport.objects.select_for_update().get(pk=rule_import.pk)
        problems = undo_problems(rule_import, model)
        if problems:
            raise UndoRefused(" ".join(problems))
        delete_ids(model, rule_import.created_ids)
        for restored in serializers.deserialize("python", rule_import.rows_before):
            restored.save()
        rule_import.undone_at = timezone.now()
        rule_import.undone_by = user
        rule_import.save(update_fields=["undone_at", "undone_by"])
        pricing_services.rules_changed()
    return undo_summary(rule_import)
