"""Forms of the saved lists. Prices are never posted: product ids, list ids, quantities and
notes only, all checked again by the list services."""

import csv
import io
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.cart.forms import MAX_ID, QuantityField

from .models import NAME_MAX_LENGTH, NOTE_MAX_LENGTH
from .services import MAX_LINES_PER_LIST, MAX_QUANTITY, ImportRow, parse_quantity

MAX_IMPORT_BYTES = 256 * 1024
CSV_HEADER = ("sku", "quantity", "note")


class SavedListNameForm(forms.Form):
    name = forms.CharField(
        label=_("List name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("For example: Weekly kitchen order"),
    )


class ListChoiceForm(forms.Form):
    """Which of the buyer's lists to add to, or the name of a new one: a typed name wins
    over the list chosen (the menu starts on the buyer's first list)."""

    saved_list = forms.TypedChoiceField(
        label=_("Save to"), required=False, coerce=int, empty_value=None
    )
    new_name = forms.CharField(
        label=_("New list name"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_list"].choices = [("", gettext("A new list"))] + [
            (str(pk), name) for pk, name in choices
        ]

    def clean(self):
        cleaned = super().clean()
        new_name = cleaned.get("new_name", "").strip()
        if new_name:
            cleaned["saved_list"] = None
        elif not self.errors and cleaned.get("saved_list") is None:
            self.add_error("new_name", gettext("Name the new list, or choose one of yours."))
        return cleaned

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class AddProductForm(ListChoiceForm):
    product = forms.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = QuantityField(label=_("Quantity"))


@dataclass
class LineEntry:
    """One line of the edit form: what was typed (or stored) and what is wrong with it."""

    line: object
    quantity: str
    note: str
    error: str = ""

    @property
    def quantity_name(self) -> str:
        return f"quantity-{self.line.pk}"

    @property
    def note_name(self) -> str:
        return f"note-{self.line.pk}"


class LinesForm:
    """Quantities and notes of every line in one form; 0 removes a line. A bad value keeps
    what was typed and says which line is wrong."""

    def __init__(self, lines, data=None):
        self.entries: dict[int, LineEntry] = {}
        for line in lines:
            if data is None:
                entry = LineEntry(line=line, quantity=str(line.quantity), note=line.note)
            else:
                entry = LineEntry(
                    line=line,
                    quantity=str(data.get(f"quantity-{line.pk}", line.quantity))[:20],
                    note=str(data.get(f"note-{line.pk}", line.note))[: NOTE_MAX_LENGTH + 50],
                )
            self.entries[line.pk] = entry
        self.bound = data is not None
        self.changes: dict[int, tuple[int, str]] = {}

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        for entry in self.entries.values():
            name = entry.line.product.name
            quantity = parse_quantity(entry.quantity, allow_zero=True)
            note = entry.note.strip()
            if quantity is None:
                entry.error = gettext(
                    "%(product)s: enter a whole number from 0 (to remove it) to %(max)s."
                ) % {"product": name, "max": f"{MAX_QUANTITY:,}"}
            elif len(note) > NOTE_MAX_LENGTH:
                entry.error = gettext("%(product)s: a note has at most %(max)s characters.") % {
                    "product": name,
                    "max": NOTE_MAX_LENGTH,
                }
            else:
                self.changes[entry.line.pk] = (quantity, note)
        return not self.errors

    @property
    def errors(self) -> list[LineEntry]:
        return [entry for entry in self.entries.values() if entry.error]

    def entry(self, line) -> LineEntry:
        return self.entries[line.pk]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: sku, quantity and an optional note, a header row allowed "
            "(the export of a list is a good start). At most %(rows)s rows."
        )
        % {"rows": MAX_LINES_PER_LIST},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> list[ImportRow]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (256 KB at most)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from error
        rows = csv_rows(text)
        if not rows:
            raise forms.ValidationError(_("The file has no rows to import."))
        if len(rows) > MAX_LINES_PER_LIST:
            raise forms.ValidationError(
                _("The file has %(count)s rows; import at most %(max)s at a time."),
                params={"count": len(rows), "max": MAX_LINES_PER_LIST},
            )
        return rows


def csv_rows(text: str) -> list[ImportRow]:
    """The file's non-empty rows as (line, sku, quantity, note). A line the csv module cannot
    read is an error for the whole file: nothing is imported from a malformed file."""
    if "\x00" in text:
        raise forms.ValidationError(_("This is not a CSV file."))
    delimiter = max(",;\t", key=text.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if not rows and cells[0].lower() == CSV_HEADER[0]:
                continue
            if len(rows) > MAX_LINES_PER_LIST:
                break  # too many: the form says so without reading the rest
            sku, quantity, note = (cells + ["", ""])[:3]
            if len(cells) > 3:
                note = delimiter.join(cells[2:])
            rows.append(ImportRow(line=reader.line_num, sku=sku, quantity=quantity, note=note))
    except csv.Error as error:
        raise forms.ValidationError(
            _("Line %(line)s of the file cannot be read: is a cell very long or a quote open?"),
            params={"line": reader.line_num},
        ) from error
    return rows
