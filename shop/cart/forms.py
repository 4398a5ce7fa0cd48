"""Forms of the cart and quick order. Prices are never posted: the forms carry product ids,
SKUs and quantities, all checked again by the cart services."""

import csv
import io
import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .services import MAX_QUANTITY, MAX_QUICK_ORDER_LINES

# Room for every line a quick order may hold, with a long SKU and quantity on each.
MAX_QUICK_ORDER_TEXT = max(20_000, 40 * MAX_QUICK_ORDER_LINES)
MAX_UPLOAD_BYTES = 1_000_000
HEADER_WORDS = {"sku", "ref", "reference", "code", "article"}
QUANTITY_PATTERN = re.compile(r"\+?(\d{1,12})", re.ASCII)
MAX_ID = 2**63 - 1


def quantity_message() -> str:
    return gettext("Enter a whole number from 1 to %(max)s as the quantity.") % {
        "max": f"{MAX_QUANTITY:,}"
    }


def quantity_from_text(raw) -> int | None:
    """A whole quantity from 1 to MAX_QUANTITY as typed ("12", "+12", " 12 "), else None."""
    match = QUANTITY_PATTERN.fullmatch(str(raw if raw is not None else "").strip())
    quantity = int(match.group(1)) if match else 0
    return quantity if 1 <= quantity <= MAX_QUANTITY else None


class QuantityField(forms.CharField):
    def clean(self, value):
        quantity = quantity_from_text(super().clean(value))
        if quantity is None:
            raise forms.ValidationError(quantity_message(), code="quantity")
        return quantity


class CartLineForm(forms.Form):
    """A product id and a quantity, as the add and update buttons post them."""

    product = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": _("This product is not available."),
            "invalid": _("This product is not available."),
            "min_value": _("This product is not available."),
            "max_value": _("This product is not available."),
        },
    )
    quantity = QuantityField(required=False)

    def first_error(self) -> str:
        for name in ("quantity", "product"):
            if name in self.errors:
                return self.errors[name][0]
        return ""


class CartRemoveForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=MAX_ID)


class QuickOrderForm(forms.Form):
    lines = forms.CharField(
        label=_("SKU and quantity, one product per line"),
        required=False,
        max_length=MAX_QUICK_ORDER_TEXT,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("For example: KIT-101 12"),
    )
    file = forms.FileField(
        label=_("Or upload a CSV file"),
        required=False,
        help_text=_("Two columns: SKU and quantity. A header row is allowed."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_rows: list[list[str]] = []  # read by clean_file, so a bad line is a form error

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (1 MB at most)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from error
        self.file_rows = _csv_rows(text)
        return text

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("lines", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("Enter at least one line or choose a file."))
        return cleaned

    def items(self) -> tuple[list[tuple[str, int]], list[tuple[str, str, str]]]:
        """(sku, quantity) pairs and the (sku, quantity, reason) of lines that are not a SKU
        and a whole quantity."""
        items: list[tuple[str, int]] = []
        malformed: list[tuple[str, str, str]] = []
        for row in _text_rows(self.cleaned_data.get("lines", "")) + self.file_rows:
            if len(row) != 2:
                malformed.append(
                    (" ".join(row), "", _("Write a SKU and a quantity, separated by a space."))
                )
                continue
            sku, raw_quantity = row
            quantity = quantity_from_text(raw_quantity)
            if quantity is None:
                malformed.append((sku, raw_quantity, quantity_message()))
            else:
                items.append((sku, quantity))
        return items, malformed


def _text_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        cells = line.replace(",", " ").replace(";", " ").replace("\t", " ").split()
        if cells:
            rows.append(cells)
    return rows


def _csv_rows(text: str) -> list[list[str]]:
    """The file's non-empty rows. A line the csv module cannot read (a cell over its field
    limit, 131,072 characters, or an unclosed quote that runs into one) is a form error
    naming the line."""
    if not text.strip():
        return []
    delimiter = max(",;\t", key=text.count)  # the whole file: a first cell may be long
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for index, row in enumerate(reader):
            cells = [cell.strip() for cell in row if cell.strip()]
            if not cells:
                continue
            if index == 0 and cells[0].lower() in HEADER_WORDS:
                continue
            rows.append(cells)
    except csv.Error as error:
        raise forms.ValidationError(
            _("Line %(line)s of the file cannot be read: is a cell very long or a quote open?"),
            params={"line": reader.line_num},
        ) from error
    return rows
