"""Export, import (preview, then confirm) and "Undo last import" on the changelists of price
rules, quantity rules and cart discounts, built on django-import-export's admin mixin.

Pages: <changelist>/export/ (view permission), <changelist>/import/ (add and change; the
sync option also needs delete), <changelist>/process_import/ (the confirm, POST only) and
<changelist>/import/undo/ (add, change and delete)."""

import os

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from .. import health
from .forms import RuleConfirmForm, RuleImportForm
from .preview import (
    CHANGED,
    COUNT_LABELS,
    ERROR,
    FORMATS,
    NEW,
    REMOVED,
    STATUS_LABELS,
    UNCHANGED,
    FileProblem,
    build_preview,
    check_columns,
    proposed_price_rules,
    read_dataset,
)
from .resources import RESOURCES
from .services import UndoRefused, rules_import, rules_import_undo, undo_problems, undo_summary
from .services import undoable_import as find_undoable_import

LISTED_STATUSES = (ERROR, NEW, CHANGED, REMOVED, UNCHANGED)


class RuleImportExportMixin(ImportExportMixin):
    """Put it first in the admin's bases: `class PriceRuleAdmin(RuleImportExportMixin, ...)`.
    The changelist buttons come from templates/admin/pricing/change_list.html."""

    formats = FORMATS
    import_export_change_list_template = None  # Django's own lookup: admin/pricing/...
    import_template_name = "admin/pricing/imports/import.html"
    export_template_name = "admin/pricing/imports/export.html"
    undo_template_name = "admin/pricing/imports/undo.html"
    export_form_class = ExportForm  # every column: an export is always re-importable
    to_encoding = "utf-8-sig"  # spreadsheets open a CSV with this mark as UTF-8

    def init_change_list_template(self):
        """Leave `change_list_template` to Django's per-model lookup (the library would pin
        admin/change_list.html and lose the price rules' own template)."""
        self.ie_base_change_list_template = "admin/change_list.html"

    # --- permissions ------------------------------------------------------------------------

    def _has(self, request, *actions) -> bool:
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in actions
        )

    def has_import_permission(self, request):
        return self._has(request, "add", "change")

    def has_sync_permission(self, request):
        return self._has(request, "add", "change", "delete")

    def has_export_permission(self, request):
        return self._has(request, "view")

    def has_undo_permission(self, request):
        return self._has(request, "add", "change", "delete")

    # --- plumbing ---------------------------------------------------------------------------

    def get_resource_classes(self, request):
        return [RESOURCES[self.model]]

    def get_urls(self):
        info = self.get_model_info()
        undo = path(
            "import/undo/",
            self.admin_site.admin_view(self.undo_import_view),
            name="{}_{}_import_undo".format(*info),
        )
        return [undo, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_undo_permission(request):
            extra_context["undoable_import"] = find_undoable_import(self.model)
        return super().changelist_view(request, extra_context)

    def get_rule_warnings(self, request, preview) -> list:
        """What the new and changed price rules of the preview would do to buyers, checked by
        the pricing health checker on the rules as they would be after the import (a new
        rule's id is minus its row number)."""
        touched = {row.rule_id for row in preview.rows if row.status == CHANGED}
        touched |= {-row.number for row in preview.rows if row.status == NEW}
        if not touched:
            return []
        return health.rule_set_warnings(proposed_price_rules(preview), only_rule_ids=touched)

    def _url(self, name: str) -> str:
        return reverse("admin:{}_{}_{}".format(*self.get_model_info(), name))

    def _context(self, request, **values) -> dict:
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "opts": self.opts, **values}

    def _storage(self, name=None):
        return self.get_tmp_storage_class()(name=name, read_mode="rb", encoding=None)

    def _preview(self, data: bytes, file_format, *, remove_missing: bool, confirm=None):
        """Read and dry-run a file: (resource, preview), or FileProblem."""
        dataset = read_dataset(data, file_format)
        resource = self.get_resource_classes(None)[0]()
        check_columns(dataset, resource)
        if confirm is not None:
            return resource, dataset
        result = resource.import_data(dataset, dry_run=True)
        return resource, build_preview(resource, result, remove_missing=remove_missing)

    def _preview_context(self, request, preview, **values) -> dict:
        sections = [
            (status, STATUS_LABELS[status], preview.listed(status))
            for status in LISTED_STATUSES
            if preview.count(status)
        ]
        return {
            "preview": preview,
            "sections": sections,
            "counts": [(COUNT_LABELS[s], preview.count(s)) for s in LISTED_STATUSES],
            "rule_warnings": self.get_rule_warnings(request, preview),
            **values,
        }

    # --- import: upload and preview ---------------------------------------------------------

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        formats = self.get_import_formats()
        form = RuleImportForm(
            formats,
            self.get_import_resource_classes(request),
            data=request.POST or None,
            files=request.FILES or None,
            can_remove=self.has_sync_permission(request),
        )
        context = self._context(request, title=_("Import %(rules)s") % self._names(), form=form)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            remove_missing = form.cleaned_data.get("remove_missing", False)
            file_format = formats[int(form.cleaned_data["format"])]()
            data = upload.read()
            try:
                _resource, preview = self._preview(data, file_format, remove_missing=remove_missing)
            except FileProblem as problem:
                form.add_error("import_file", str(problem))
            else:
                confirm_form = None
                if not preview.has_errors and preview.has_writes:
                    storage = self._storage()
                    storage.save(data)
                    confirm_form = RuleConfirmForm(
                        user=request.user,
                        initial={
                            "upload": RuleConfirmForm.sign(
                                user=request.user,
                                storage_name=os.path.basename(storage.name),
                                file_name=upload.name,
                            ),
                            "format": form.cleaned_data["format"],
                            "remove_missing": remove_missing,
                            "fingerprint": preview.fingerprint,
                        },
                    )
                context.update(
                    self._preview_context(
                        request, preview, confirm_form=confirm_form, file_name=upload.name
                    )
                )
        context["media"] = self.media + form.media
        return TemplateResponse(request, [self.import_template_name], context)

    def _names(self) -> dict:
        return {"rules": self.opts.verbose_name_plural}

    # --- import: confirm --------------------------------------------------------------------

    @staticmethod
    def _stale_redirect(request, url, message):
        messages.error(request, message)
        return HttpResponseRedirect(url)

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self._url("import"))
        expired = _("This preview has expired: upload the file again.")
        confirm = RuleConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            return self._stale_redirect(request, self._url("import"), expired)
        remove_missing = confirm.cleaned_data["remove_missing"]
        if remove_missing and not self.has_sync_permission(request):
            raise PermissionDenied
        upload = confirm.cleaned_data["upload"]
        storage = self._storage(os.path.basename(upload["name"]))
        formats = self.get_import_formats()
        try:
            data = storage.read()
            file_format = formats[confirm.cleaned_data["format"]]()
            resource, dataset = self._preview(
                data or b"", file_format, remove_missing=remove_missing, confirm=True
            )
        except (OSError, IndexError, FileProblem):
            return self._stale_redirect(request, self._url("import"), expired)
        try:
            outcome = rules_import(
                resource=resource,
                dataset=dataset,
                remove_missing=remove_missing,
                user=request.user,
                file_name=upload["file"],
                fingerprint=confirm.cleaned_data["fingerprint"],
            )
        except FileProblem as problem:
            message = _("Nothing was imported. %(problem)s") % {"problem": problem}
            return self._stale_redirect(request, self._url("import"), message)
        if outcome.rule_import is None:
            return self._after_refused_import(request, outcome, confirm)
        storage.remove()
        counts = outcome.preview.counts
        messages.success(
            request,
            _(
                "Import done. New: %(new)s, changed: %(changed)s, removed: %(removed)s, "
                "unchanged: %(unchanged)s. “Undo last import” puts the rules back as they were."
            )
            % counts,
        )
        return HttpResponseRedirect(self._url("changelist"))

    def _after_refused_import(self, request, outcome, confirm):
        """Nothing was written: show the preview as it is now, to be confirmed again."""
        preview = outcome.preview
        confirm_form = None
        if not preview.has_errors and preview.has_writes:
            confirm_form = RuleConfirmForm(
                user=request.user,
                initial={**confirm.data.dict(), "fingerprint": preview.fingerprint},
            )
        if outcome.stale:
            messages.warning(
                request,
                _("The rules changed since the preview. Nothing was imported: check it again."),
            )
        else:
            messages.error(request, _("Nothing was imported: the file has errors."))
        context = self._context(
            request,
            title=_("Import %(rules)s") % self._names(),
            **self._preview_context(
                request,
                preview,
                confirm_form=confirm_form,
                file_name=confirm.cleaned_data["upload"]["file"],
            ),
        )
        return TemplateResponse(request, [self.import_template_name], context)

    # --- undo -------------------------------------------------------------------------------

    def undo_import_view(self, request):
        if not self.has_undo_permission(request):
            raise PermissionDenied
        rule_import = find_undoable_import(self.model)
        changelist = self._url("changelist")
        if rule_import is None:
            messages.info(request, _("There is no import to undo."))
            return HttpResponseRedirect(changelist)
        if request.method == "POST":
            try:
                done = rules_import_undo(
                    rule_import=rule_import, model=self.model, user=request.user
                )
            except UndoRefused as refusal:
                messages.error(request, _("The import was not undone. %(why)s") % {"why": refusal})
            else:
                messages.success(
                    request,
                    _(
                        "Import undone. Rules restored: %(revert)s, put back: %(recreate)s, "
                        "added by the import and deleted: %(delete)s."
                    )
                    % done,
                )
                return HttpResponseRedirect(changelist)
        context = self._context(
            request,
            title=_("Undo the last import of %(rules)s") % self._names(),
            rule_import=rule_import,
            summary=undo_summary(rule_import),
            problems=undo_problems(rule_import, self.model),
        )
        return TemplateResponse(request, [self.undo_template_name], context)
