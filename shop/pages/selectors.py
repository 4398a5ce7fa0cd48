"""Reads of the content pages. The footer of every storefront page lists the published ones, so
that list (and the current version of the terms of sale, which checkout needs) is cached until
`shop.pages.services` changes a page. The cached links hold the titles of every language; each
reader sees theirs, else the English one."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from .models import Page, PageKind, PageVersion

# Named anew when the cached shape changes: a running shop's old entry is never read back.
CACHE_KEY = "published-pages-in-every-language"
TITLE_COLUMNS = tuple(build_localized_fieldname("title", code) for code in AVAILABLE_LANGUAGES)
TRANSLATED_COLUMNS = TITLE_COLUMNS + tuple(
    build_localized_fieldname("body", code) for code in AVAILABLE_LANGUAGES
)


@dataclass(frozen=True)
class PageLink:
    slug: str
    kind: str
    titles: tuple[tuple[str, str | None], ...]  # (language, title) for every language

    @property
    def title_language(self) -> str:
        """The language of the title shown: the active one, else its fallback (English)."""
        titles = dict(self.titles)
        return next(
            (code for code in resolution_order(get_language()) if titles.get(code)),
            DEFAULT_LANGUAGE,
        )

    @property
    def title(self) -> str:
        return dict(self.titles).get(self.title_language) or ""

    @property
    def url(self) -> str:
        return reverse("pages:detail", args=[self.slug])


@dataclass(frozen=True)
class PublishedPages:
    links: tuple[PageLink, ...]
    # The published terms of sale as a buyer accepts them: the kept version's id and number.
    terms_version_id: int | None = None
    terms_version_number: int | None = None

    def of_kind(self, kind: str) -> PageLink | None:
        return next((link for link in self.links if link.kind == kind), None)

    @property
    def terms(self) -> PageLink | None:
        return self.of_kind(PageKind.TERMS) if self.terms_version_id else None

    @property
    def withdrawal(self) -> PageLink | None:
        return self.of_kind(PageKind.WITHDRAWAL)


def published_pages() -> PublishedPages:
    """The published pages in footer order and the terms' current version (two queries, then
    none until a page is saved or deleted). Ordered by position, then English title."""
    pages = cache.get(CACHE_KEY)
    if pages is None:
        rows = (
            Page.objects.filter(is_published=True)
            .order_by("position", build_localized_fieldname("title", DEFAULT_LANGUAGE), "id")
            .values_list("slug", "kind", *TITLE_COLUMNS)
        )
        links = tuple(
            PageLink(
                slug=slug,
                kind=kind,
                titles=tuple(zip(AVAILABLE_LANGUAGES, titles, strict=True)),
            )
            for slug, kind, *titles in rows
        )
        terms = (
            PageVersion.objects.filter(
                page__is_published=True, page__kind=PageKind.TERMS, number=F("page__version")
            )
            .values_list("pk", "number")
            .first()
        )
        pages = PublishedPages(
            links=links,
            terms_version_id=terms[0] if terms else None,
            terms_version_number=terms[1] if terms else None,
        )
        cache.set(CACHE_KEY, pages, timeout=None)
    return pages


def shown_language(obj: Page | PageVersion, field: str) -> str:
    """The language `obj.<field>` is shown in: the active one, else its fallback (English).
    Pages mark a fallback text with its language (read aloud, and laid out, as English)."""
    return next(
        (
            code
            for code in resolution_order(get_language())
            if getattr(obj, build_localized_fieldname(field, code))
        ),
        DEFAULT_LANGUAGE,
    )


def page_for(*, slug: str) -> Page | None:
    """The published page at `slug` (one query); None for unknown and unpublished ones."""
    return Page.objects.filter(slug=slug, is_published=True).first()


def page_version_for(*, pk: int | None) -> PageVersion | None:
    if pk is None:
        return None
    return PageVersion.objects.filter(pk=pk).first()


def terms_to_accept(*, is_consumer: bool) -> PublishedPages | None:
    """The published pages when this buyer must accept the terms of sale at checkout: consumers
    do (guests and groups shown prices with tax); trade buyers accepted the trade terms with
    their account. None as well when the shop has published no terms of sale."""
    pages = published_pages()
    if not is_consumer or pages.terms is None:
        return None
    return pages
