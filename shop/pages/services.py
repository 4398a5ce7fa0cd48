"""Writes of the content pages. Every write drops the cached list the footer and checkout read."""

from django.core.cache import cache
from django.db import transaction

from core.locking import lock_row

from .models import Page, PageVersion
from .selectors import CACHE_KEY, TRANSLATED_COLUMNS


def pages_changed() -> None:
    """Forget the cached published pages, now and again once the transaction commits (a page
    read in between would otherwise be cached with the old text)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@transaction.atomic
def page_save(*, page: Page) -> Page:
    """Save `page`. A changed title or text, in any language, is a new version; each version
    saved while the page is published is kept as a `PageVersion` with every language's texts
    (what a buyer accepted stays readable in the language they read it)."""
    previous = lock_row(Page.objects.filter(pk=page.pk)) if page.pk else None
    if previous is None:
        page.version = 1
    elif _texts(previous) != _texts(page):
        page.version = previous.version + 1
    else:
        page.version = previous.version
    page.save()
    if (
        page.is_published
        and not PageVersion.objects.filter(page=page, number=page.version).exists()
    ):
        PageVersion.objects.create(page=page, number=page.version, **_texts(page))
    pages_changed()
    return page


def _texts(page: Page) -> dict[str, str | None]:
    """The page's title and text in every language, empty translations as missing ones."""
    return {column: getattr(page, column) or None for column in TRANSLATED_COLUMNS}


@transaction.atomic
def pages_delete(*, pages) -> None:
    """Delete pages (a queryset or a list). Kept versions an order points at protect them."""
    for page in list(pages):
        page.delete()
    pages_changed()
