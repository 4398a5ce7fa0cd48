"""Playwright driving the system Chromium against pytest-django's live server.

Without Chromium the browser tests skip with a reason; under CI=true they fail instead, so CI
can never pass with its browser tests silently skipped. Failing tests leave a screenshot in
test-artifacts/.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        reason = "Chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests cannot be skipped in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo_shop(transactional_db):
    """The seeded demo shop (seed_demo also recreates what migrations made and a flush removed)."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def place_order(page) -> None:
    """On the review step: accept the terms of sale when the buyer is asked to, then place."""
    import re

    terms = page.locator("input[name=accept_terms]")
    if terms.count():
        terms.check()
    page.get_by_role("button", name=re.compile(r"^Place order and pay €")).click()
