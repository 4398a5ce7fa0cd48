"""Export and import (preview, then confirm) on the changelists of products and tax rates,
built on django-import-export's admin mixin.

Pages: <changelist>/export/ (view permission; the changelist's search and filters apply),
<changelist>/import/ (add and change: the upload and its preview, a dry run that writes
nothing) and <changelist>/process_import/ (the confirm, POST only). A confirmed import runs in
one transaction and bumps the pricing version once, whatever the number of rows."""

import csv

import tablib
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.results import RowResult

from pricing import services as pricing_services

MAX_FILE_BYTES = 10 * 1024 * 1024
MESSAGE_ROWS = 5  # the errors a refused confirm names; the preview shows them all
WRITES = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE)


def has_writes(result) -> bool:
    return any(result.totals[import_type] for import_type in WRITES)


def has_problems(result) -> bool:
    return result.has_errors() or result.has_validation_errors()


def row_problems(result) -> list[str]:
    """ "Row 3: …" for every error of a result, as the spreadsheet numbers rows."""
    found = [
        _("Row %(row)s: %(message)s") % {"row": row.number + 1, "message": message}
        for row in result.invalid_rows
        for row_messages in row.field_specific_errors.values()
        for message in row_messages
    ]
    found += [
        _("Row %(row)s: %(message)s") % {"row": line + 1, "message": error.error}
        for line, errors in result.row_errors()
        for error in errors
    ]
    return found


class CatalogueCSV(base_formats.CSV):
    """CSV as spreadsheets save it: UTF-8 with or without its mark, and separated by
    commas, semicolons or tabs."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        first_line = in_stream.splitlines()[0] if in_stream else ""
        try:
            delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        return tablib.import_set(in_stream, format="csv", delimiter=delimiter)


class CatalogueImportExportMixin(ImportExportMixin):
    """Put it first in the admin's bases: `class ProductAdmin(CatalogueImportExportMixin, ...)`
    and name the resources in `resource_classes` (the first is the default choice)."""

    formats = (CatalogueCSV, base_formats.XLSX)
    import_template_name = "admin/shop/catalogue_import.html"
    export_form_class = ExportForm  # every column: an export is always re-importable
    from_encoding = "utf-8-sig"
    to_encoding = "utf-8-sig"  # spreadsheets open a CSV with this mark as UTF-8

    # --- permissions ------------------------------------------------------------------------

    def _has(self, request, *actions) -> bool:
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in actions
        )

    def has_import_permission(self, request):
        return self._has(request, "add", "change")

    def has_export_permission(self, request):
        return self._has(request, "view")

    # --- reading the upload -----------------------------------------------------------------

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = _(
                "This file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”, "
                "or import it as an XLSX file."
            )
        elif isinstance(e, tablib.InvalidDimensions):
            message = _(
                "Some rows do not have as many cells as the header row: check the separators."
            )
        else:
            message = _(
                "This file could not be read in the chosen format: choose the one it was saved "
                "in (CSV or XLSX)."
            )
        form.add_error("import_file", message)

    def write_to_tmp_storage(self, import_file, input_format):
        if import_file.size > MAX_FILE_BYTES:
            raise FileTooLarge
        return super().write_to_tmp_storage(import_file, input_format)

    def import_action(self, request, **kwargs):
        try:
            return super().import_action(request, **kwargs)
        except FileTooLarge:
            messages.error(
                request,
                _("The file is larger than 10 MB: split it in several imports. Nothing was read."),
            )
            return HttpResponseRedirect(self._url("import"))

    # --- confirming -------------------------------------------------------------------------

    def process_dataset(self, dataset, form, request, **kwargs):
        """The import for real, in one transaction with the pricing version bump: all rows
        or none, and one bump whatever the number of rows."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            result = super().process_dataset(dataset, form, request, **kwargs)
            if has_problems(result):
                transaction.set_rollback(True)
            elif has_writes(result):
                pricing_services.rules_changed()
                self.imported(dataset=dataset, request=request)
        return result

    def imported(self, *, dataset, request) -> None:
        """What else a confirmed import that wrote rows must do, inside its transaction."""

    def process_result(self, result, request):
        if has_problems(result):
            messages.error(
                request,
                " ".join(
                    [
                        _(
                            "Nothing was imported: the file has errors now (the catalogue may "
                            "have changed since the preview, or an image could not be "
                            "downloaded). Upload it again to see them."
                        ),
                        *row_problems(result)[:MESSAGE_ROWS],
                    ]
                ),
            )
            return HttpResponseRedirect(self._url("import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        messages.success(
            request,
            _("Import done. New: %(new)s, changed: %(changed)s, unchanged: %(unchanged)s.")
            % {
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "changed": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def _url(self, name: str) -> str:
        return reverse("admin:{}_{}_{}".format(*self.get_model_info(), name))


class FileTooLarge(Exception):
    pass
