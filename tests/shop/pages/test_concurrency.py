"""Two managers saving the same page at once (PostgreSQL only): each text gets its own version
number and is kept. The race is first shown with the row lock of `page_save` switched off."""

import threading
import time

import pytest
from django.db import connection

from shop.pages import services
from shop.pages.models import Page, PageVersion
from tests.factories import TermsPageFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 30


def in_parallel(count: int, work) -> tuple[list, list]:
    start = threading.Barrier(count, timeout=TIMEOUT)
    results, errors = [None] * count, []

    def run(index):
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append((index, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results, errors


def save_twice_at_once(monkeypatch, *, locked: bool):
    page = TermsPageFactory(body="First text.")
    real = services.lock_row

    def read_then_pause(queryset):
        row = real(queryset) if locked else queryset.first()
        time.sleep(0.3)  # the other save reads the page meanwhile
        return row

    monkeypatch.setattr(services, "lock_row", read_then_pause)

    def edit(index):
        mine = Page.objects.get(pk=page.pk)
        mine.body = f"Edit {index}."
        return services.page_save(page=mine).version

    return page, *in_parallel(2, edit)


def test_without_the_lock_two_saves_take_the_same_version_number(monkeypatch):
    page, results, errors = save_twice_at_once(monkeypatch, locked=False)
    # Both read version 1: both save as version 2, and one published text is not kept (or
    # its version row breaks the unique (page, number)).
    assert errors or sorted(results) == [2, 2]
    assert errors or PageVersion.objects.filter(page=page).count() == 2


def test_with_the_lock_each_save_is_its_own_kept_version(monkeypatch):
    page, results, errors = save_twice_at_once(monkeypatch, locked=True)
    assert errors == []
    assert sorted(results) == [2, 3]
    assert sorted(PageVersion.objects.filter(page=page).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
