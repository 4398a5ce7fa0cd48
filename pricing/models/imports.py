"""The record of each confirmed rule import, kept so the latest one can be undone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleImport(models.Model):
    """One confirmed import of rules from a file, with what it changed, so that the most recent
    import of each model can be undone: the rows as they were before (changed and removed),
    as the import left them (to tell whether anyone edited them since) and the ids it added.
    Rows are Django's serialized form (`pricing.imports.services`)."""

    model = models.CharField(_("rules"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    counts = models.JSONField(_("counts"), default=dict)
    created_ids = models.JSONField(default=list)
    rows_before = models.JSONField(default=list)
    rows_after = models.JSONField(default=list)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("rule import")
        verbose_name_plural = _("rule imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["model", "-created_at"])]

    def __str__(self):
        return f"{self.model} {self.created_at:%Y-%m-%d %H:%M}"
