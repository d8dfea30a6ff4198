"""
A real browser for the test suite: Debian's Chromium driven by Playwright,
against pytest-django's live server.

One Chromium is shared by the whole session; each test gets a fresh context
(cookies, storage) and page. Outside CI a missing browser, Java or npm tool
skips these tests with the reason; in CI (CI=true) it fails them, so a broken
install step cannot hide behind a green run.
"""

import os
import re

import pytest

from tests.browser import tools

# Playwright's sync API runs an event loop in the test's thread, which Django's
# async-safety check mistakes for async code calling the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = tools.ROOT / "test-artifacts"


def require(*needs):
    missing = tools.missing(*needs)
    if not missing:
        return
    reason = "Browser tests need " + "; ".join(missing) + ". Run `make test` to install them."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    require("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=tools.chromium(), args=tools.CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test so fixtures can see, at teardown,
    # whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _save_artifacts(request, page):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a crashed page must not hide the real failure
        (ARTIFACTS / f"{stem}.txt").write_text(f"No screenshot: {exc}\n", encoding="utf-8")


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    request.node.stash[tools.LOG_KEY] = tools.BrowserLog.attach(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        _save_artifacts(request, page)
    context.close()


@pytest.fixture
def browser_log(page, request):
    """Dialogs, console errors, uncaught exceptions and CSP violations seen by `page`."""
    return request.node.stash[tools.LOG_KEY]
