"""Writes of the content pages. Every write drops the cached list the footer and checkout read."""

from django.core.cache import cache
from django.db import transaction

from core.locking import lock_row

from .models import Page, PageVersion
from .selectors import CACHE_KEY


def pages_changed() -> None:
    """Forget the cached published pages, now and again once the transaction commits (a page
    read in between would otherwise be cached with the old text)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@transaction.atomic
def page_save(*, page: Page) -> Page:
    """Save `page`. A changed title or text is a new version; each version saved while the
    page is published is kept as a `PageVersion` (what a buyer accepted stays readable)."""
    previous = lock_row(Page.objects.filter(pk=page.pk)) if page.pk else None
    if previous is None:
        page.version = 1
    elif (previous.title, previous.body) != (page.title, page.body):
        page.version = previous.version + 1
    else:
        page.version = previous.version
    page.save()
    if (
        page.is_published
        and not PageVersion.objects.filter(page=page, number=page.version).exists()
    ):
        PageVersion.objects.create(page=page, number=page.version, title=page.title, body=page.body)
    pages_changed()
    return page


@transaction.atomic
def pages_delete(*, pages) -> None:
    """Delete pages (a queryset or a list). Kept versions an order points at protect them."""
    for page in list(pages):
        page.delete()
    pages_changed()
