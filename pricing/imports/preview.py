"""Read a manager's file and say what importing it would do, row by row, before anything is
written: new, changed (each changed column before -> after), unchanged, removed (when the
import syncs), or the errors that stop it, with the row number as the spreadsheet shows it
(the header is row 1)."""

import csv
import hashlib
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats
from import_export.results import RowResult

from core.import_widgets import text

from .. import engine
from ..loaders import PRICE_RULE_FIELDS
from ..models import PriceRule

FORMATS = (base_formats.CSV, base_formats.XLSX)
MAX_FILE_BYTES = 10 * 1024 * 1024
FIRST_ROW = 2  # the header is row 1

NEW, CHANGED, UNCHANGED, REMOVED, ERROR = "new", "changed", "unchanged", "removed", "error"
STATUS_LABELS = {
    NEW: gettext_lazy("new"),
    CHANGED: gettext_lazy("changed"),
    UNCHANGED: gettext_lazy("unchanged"),
    REMOVED: gettext_lazy("removed"),
    ERROR: gettext_lazy("error"),
}
COUNT_LABELS = {
    NEW: gettext_lazy("new"),
    CHANGED: gettext_lazy("changed"),
    UNCHANGED: gettext_lazy("unchanged"),
    REMOVED: gettext_lazy("removed"),
    ERROR: gettext_lazy("with errors"),
}
STATUS_BY_IMPORT_TYPE = {
    RowResult.IMPORT_TYPE_NEW: NEW,
    RowResult.IMPORT_TYPE_UPDATE: CHANGED,
    RowResult.IMPORT_TYPE_SKIP: UNCHANGED,
}


class FileProblem(Exception):
    """A file that cannot be imported at all; the message is for the manager."""


@dataclass(frozen=True)
class Change:
    column: str
    before: str
    after: str


@dataclass
class RowPreview:
    number: int | None  # None for a rule the file leaves out
    status: str
    rule_id: int | None
    name: str
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    instance: object = None  # the rule as the import would leave it
    original: object = None  # as it is now (changed and removed rules)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class ImportPreview:
    model: type
    rows: list[RowPreview]
    removed: list[RowPreview]
    remove_missing: bool
    existing: dict = field(default_factory=dict)  # every rule as it is now, by id

    def count(self, status: str) -> int:
        if status == REMOVED:
            return len(self.removed)
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUS_LABELS}

    @property
    def errors(self) -> list[RowPreview]:
        return [row for row in self.rows if row.status == ERROR]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def has_writes(self) -> bool:
        return any(self.count(status) for status in (NEW, CHANGED, REMOVED))

    def listed(self, status: str) -> list[RowPreview]:
        return self.removed if status == REMOVED else [r for r in self.rows if r.status == status]

    @property
    def fingerprint(self) -> str:
        """Changes if what the import would do changes between the preview and the confirm."""
        digest = hashlib.sha256()
        for row in [*self.rows, *self.removed]:
            rule_id = None if row.status == NEW else row.rule_id  # given when written
            digest.update(repr((row.number, row.status, rule_id, row.changes)).encode())
        return digest.hexdigest()


# --- reading a file -------------------------------------------------------------------------


def read_dataset(data: bytes, file_format) -> tablib.Dataset:
    """The file's rows, or `FileProblem` with a sentence a manager can act on."""
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(_("The file is larger than 10 MB: split it in several imports."))
    title = file_format.get_title().upper()
    try:
        dataset = file_format.create_dataset(data) if file_format.is_binary() else read_csv(data)
    except FileProblem:
        raise
    except tablib.InvalidDimensions:
        raise FileProblem(
            _("Some rows do not have as many cells as the header row: check the separators.")
        ) from None
    except Exception:
        raise FileProblem(
            _("This file could not be read as %(format)s. Choose the format it was saved in.")
            % {"format": title}
        ) from None
    return tidy(dataset)


def read_csv(data: bytes) -> tablib.Dataset:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            _(
                "This file is not UTF-8 text. In your spreadsheet, save it as "
                "“CSV UTF-8”, or import it as an XLSX file."
            )
        ) from None
    first_line = content.splitlines()[0] if content else ""
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return tablib.import_set(content, format="csv", delimiter=delimiter)


def tidy(dataset: tablib.Dataset) -> tablib.Dataset:
    """Headers trimmed; blank rows and nameless empty columns (spreadsheet leftovers) gone."""
    if not dataset.headers:
        raise FileProblem(_("The file has no header row."))
    headers = [text(header) for header in dataset.headers]
    rows = [list(row) for row in dataset if any(text(cell) for cell in row)]
    keep = [
        index
        for index, header in enumerate(headers)
        if header or any(text(row[index]) for row in rows)
    ]
    tidied = tablib.Dataset(headers=[headers[index] for index in keep])
    for row in rows:
        tidied.append([row[index] for index in keep])
    return tidied


def check_columns(dataset: tablib.Dataset, resource) -> None:
    """Exactly the columns of an export (in any order), and at least one row."""
    expected = [f.column_name for f in resource.get_import_fields()]
    headers = list(dataset.headers)
    problems = []
    missing = [column for column in expected if column not in headers]
    unknown = [header or _("(no name)") for header in headers if header not in expected]
    repeated = sorted({header for header in headers if headers.count(header) > 1})
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
    if problems:
        problems.append(
            _("The file needs the columns of an export: %(columns)s.")
            % {"columns": ", ".join(expected)}
        )
        raise FileProblem(" ".join(problems))
    if not len(dataset):
        raise FileProblem(_("The file has a header row but no rules."))


# --- describing the result ------------------------------------------------------------------


def build_preview(resource, result, *, remove_missing: bool) -> ImportPreview:
    """What `resource.import_data(...)` did or would do, in the manager's terms."""
    if result.base_errors:
        raise FileProblem(
            _("The file could not be imported: %(error)s") % {"error": result.base_errors[0].error}
        )
    rows = [
        describe_row(resource, row_result, number)
        for number, row_result in enumerate(result.rows, FIRST_ROW)
    ]
    removed = []
    if remove_missing:
        in_file = {row.rule_id for row in rows if row.rule_id is not None}
        removed = [
            RowPreview(None, REMOVED, pk, str(obj), original=obj)
            for pk, obj in sorted(resource.existing().items())
            if pk not in in_file
        ]
    return ImportPreview(resource._meta.model, rows, removed, remove_missing, resource.existing())


def describe_row(resource, row_result, number: int) -> RowPreview:
    instance, original = row_result.instance, row_result.original
    if row_result.import_type in STATUS_BY_IMPORT_TYPE:
        status = STATUS_BY_IMPORT_TYPE[row_result.import_type]
        row = RowPreview(number, status, instance.pk, str(instance), instance=instance)
        if status == CHANGED:
            row.original = original
            row.changes = changes(resource, original, instance)
        elif status == NEW:
            row.changes = changes(resource, None, instance)
        return row
    values = row_result.row_values or {}
    rule_id = values.get("id")
    row = RowPreview(number, ERROR, None, text(values.get("name")))
    if isinstance(rule_id, int) or text(rule_id).isdigit():
        row.rule_id = int(rule_id)
    if row_result.validation_error is not None:
        row.errors = validation_messages(resource, row_result.validation_error)
    for error in row_result.errors:
        row.errors.append(readable(error.error))
    return row


def readable(error: Exception) -> str:
    if isinstance(error, ValueError):
        return str(error)
    return _("This row could not be imported (%(error)s).") % {"error": error}


def validation_messages(resource, error) -> list[str]:
    messages = []
    for attribute, texts in getattr(error, "message_dict", {"__all__": error.messages}).items():
        for message in texts:
            if attribute == "__all__":
                messages.append(str(message))
            else:
                messages.append(f"{resource.column_of(attribute)}: {message}")
    return messages


def changes(resource, before, after) -> list[Change]:
    """Each column whose value differs, as the file writes it (new rules: what is set)."""
    found = []
    pending = resource.pending_m2m.get(id(after), (None, {}))[1]
    for resource_field in resource.get_import_fields():
        if resource_field.attribute == "id":
            continue
        if resource_field.attribute in pending:
            items = pending[resource_field.attribute]
            new = ", ".join(sorted(str(getattr(i, resource_field.widget.field)) for i in items))
        else:
            new = text(resource_field.export(after))
        old = text(resource_field.export(before)) if before is not None else ""
        if old != new:
            found.append(Change(resource_field.column_name, old, new))
    return found


# --- what the conflict checker looks at -----------------------------------------------------


def proposed_price_rules(preview: ImportPreview) -> list[engine.PriceRuleData]:
    """The active price rules as they would be after this import, for the conflict checker:
    the rules as they are, with the file's changes applied and the removed ones gone; new rules
    get temporary negative ids (minus their row number). No query."""
    if preview.model is not PriceRule:
        return []
    rules = dict(preview.existing)
    for row in preview.rows:
        if row.status == CHANGED:
            rules[row.rule_id] = row.instance
        elif row.status == NEW:
            rules[-row.number] = row.instance
    for row in preview.removed:
        rules.pop(row.rule_id, None)
    return [
        price_rule_data(rule, rule_id) for rule_id, rule in sorted(rules.items()) if rule.is_active
    ]


def price_rule_data(rule, rule_id: int) -> engine.PriceRuleData:
    values = {name: getattr(rule, name) for name in PRICE_RULE_FIELDS}
    values["id"] = rule_id
    return engine.PriceRuleData(**values)
