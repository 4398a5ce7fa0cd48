"""Reads of the content pages. The footer of every storefront page lists the published ones, so
that list (and the current version of the terms of sale, which checkout needs) is cached until
`shop.pages.services` changes a page."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from .models import Page, PageKind, PageVersion

CACHE_KEY = "published-pages"


@dataclass(frozen=True)
class PageLink:
    slug: str
    title: str
    kind: str

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
    none until a page is saved or deleted)."""
    pages = cache.get(CACHE_KEY)
    if pages is None:
        links = tuple(
            PageLink(slug=slug, title=title, kind=kind)
            for slug, title, kind in Page.objects.filter(is_published=True).values_list(
                "slug", "title", "kind"
            )
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
