"""The import form (file, format, the sync option) and the confirm form of the preview."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

SIGNING_SALT = "pricing.imports.upload"
EXPIRED = _("This preview has expired: upload the file again.")


class RuleImportForm(ImportForm):
    remove_missing = forms.BooleanField(
        label=_("Remove rules missing from the file"),
        required=False,
        help_text=_(
            "Off: rules the file does not list stay as they are. On: they are deleted (the "
            "preview lists them first)."
        ),
    )

    def __init__(self, formats, resources, *, can_remove: bool, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = _(
            "A CSV (UTF-8) or XLSX file with the columns of an export. Rows with an id update "
            "that rule; rows without one add a rule. Times are in the shop's time zone."
        )
        if not can_remove:
            del self.fields["remove_missing"]


class RuleConfirmForm(forms.Form):
    """What the preview showed, carried to the confirm: the stored upload (signed, so that
    nobody can point the import at another file), the options and the preview's
    fingerprint (the confirm refuses an import that would now do something else)."""

    upload = forms.CharField(widget=forms.HiddenInput)
    format = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    remove_missing = forms.BooleanField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    @staticmethod
    def sign(*, user, storage_name: str, file_name: str) -> str:
        return signing.dumps(
            {"user": user.pk, "name": storage_name, "file": file_name}, salt=SIGNING_SALT
        )

    def clean_upload(self) -> dict:
        try:
            upload = signing.loads(self.cleaned_data["upload"], salt=SIGNING_SALT, max_age=86400)
        except signing.BadSignature:
            raise forms.ValidationError(EXPIRED) from None
        if upload.get("user") != self.user.pk:
            raise forms.ValidationError(EXPIRED)
        return upload
