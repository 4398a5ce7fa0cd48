"""Content pages at /pages/<slug>/: the legal texts (terms of sale, withdrawal, privacy, legal
notice, accessibility) and any other page a manager writes.

A page's `version` counts the changes of its title and body (bumped by `page_save`, never by
`save()`); each version the shop published is kept as a `PageVersion`, so an order points at
exactly the terms of sale its buyer accepted."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageKind(models.TextChoices):
    TERMS = "terms", _("Terms of sale")
    WITHDRAWAL = "withdrawal", _("Withdrawal and returns")
    PRIVACY = "privacy", _("Privacy notice")
    LEGAL_NOTICE = "legal_notice", _("Legal notice")
    DELIVERY = "delivery", _("Delivery")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    OTHER = "other", _("Other")


# Kinds the shop has one published page of: checkout and the footer link to "the" page.
SINGLE_KINDS = [
    PageKind.TERMS,
    PageKind.WITHDRAWAL,
    PageKind.PRIVACY,
    PageKind.LEGAL_NOTICE,
    PageKind.DELIVERY,
    PageKind.ACCESSIBILITY,
]


class Page(models.Model):
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The page lives at /pages/<address>/. Keep it stable: links point to it."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PageKind.choices, default=PageKind.OTHER
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text: leave an empty line between paragraphs. HTML is shown as typed, "
            "not interpreted."
        ),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished pages are not found.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of the links in the footer.")
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_published=True, kind__in=SINGLE_KINDS),
                name="page_one_published_per_legal_kind",
                violation_error_message=_(
                    "Another published page already has this kind: unpublish it first."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:detail", args=[self.slug])


class PageVersion(models.Model):
    """A published version of a page, kept unchanged: what a buyer read and accepted."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="pageversion_unique_number"),
        ]

    def __str__(self):
        return _("%(title)s, version %(number)s") % {"title": self.title, "number": self.number}
