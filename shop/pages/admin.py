"""The pages' admin: titles and texts edited in every language, one field under the other
(modeltranslation's TranslationAdmin; its tabbed variant loads jQuery UI from a CDN, which the
CSP forbids). Kept versions show every language they were published in."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import selectors, services
from .models import Page, PageVersion


def warn_when_no_terms(request) -> None:
    """Checkout takes orders without terms of sale to accept: tell the managers."""
    if selectors.published_pages().terms is None:
        messages.warning(
            request,
            gettext(
                "No terms of sale are published: buyers place orders without accepting "
                "any terms. Publish a page of the kind “Terms of sale”."
            ),
        )


def accepted_terms(order) -> str:
    """The order's accepted terms of sale, linked to the kept version (for the order admin):
    titled in the manager's language, with the language the buyer read them in (the version
    page shows every language)."""
    if order.terms_version_id is None:
        return "—"
    version = order.terms_version
    return format_html(
        '<a href="{}">{}</a>, {}, {}',
        reverse("admin:shop_pageversion_change", args=[version.pk]),
        version,
        gettext("read in %(language)s") % {"language": _language_name(order.language)},
        date_format(timezone.localtime(order.terms_accepted_at), "DATETIME_FORMAT"),
    )


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


class PageVersionInline(admin.TabularInline):
    model = PageVersion
    fields = ("version_link", "title", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("published versions (kept unchanged)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("version"))
    def version_link(self, version):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:shop_pageversion_change", args=[version.pk]),
            version.number,
        )


@admin.register(Page)
class PageAdmin(TranslationAdmin):
    list_display = ("title", "kind", "slug", "is_published", "version", "updated_at")
    list_filter = ("kind", "is_published")
    search_fields = (*selectors.TITLE_COLUMNS, "slug")
    search_help_text = _("Search by title (in any language) or address.")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "kind", "is_published", "position", "body", "version", "updated_at")
    readonly_fields = ("version", "updated_at")
    inlines = (PageVersionInline,)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Each language's field written in its language and direction (Arabic right to left)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # set on modeltranslation's columns
        if field is not None and language:
            direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
            field.widget.attrs.update(lang=language, dir=direction)
        return field

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_when_no_terms(request)
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None):
        # A page that was ever published is kept with its versions (what buyers read and
        # accepted): unpublish it instead. Drafts can go.
        if obj is not None and obj.versions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj)

    def delete_model(self, request, obj):
        services.pages_delete(pages=[obj])

    def delete_queryset(self, request, queryset):
        services.pages_delete(pages=queryset)


@admin.register(PageVersion)
class PageVersionAdmin(admin.ModelAdmin):
    """The kept versions: read only, never deleted (orders point at them), every language."""

    list_display = ("title", "number", "page", "published_at")
    list_filter = ("page",)
    list_select_related = ("page",)
    fields = ("page", "number", "published_at", *selectors.TRANSLATED_COLUMNS)
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
