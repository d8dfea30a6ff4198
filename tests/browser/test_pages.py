"""
Every public page type, as a browser gets it: valid HTML (Nu HTML Checker),
no serious accessibility violation (axe-core), no console error, and no
horizontal scrolling on a 375 px wide phone. Then every person, work, essay
and year page of the demo at 375 px and 1280 px, for a collapsed layout.

The pages are fetched once for the module, so the Nu checker's JVM starts
once and each test below only reads what was collected.
"""

import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.browser import tools
from tests.browser.conftest import ARTIFACTS, require
from tests.browser.site_content import build_site, every_page

# django_db also makes pytest-django create the test database when this module
# runs alone: the module fixture below writes to whatever database is set up.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Visit:
    path: str
    status: int = 0
    html: str = ""
    problems: list = field(default_factory=list)
    accessibility: list = field(default_factory=list)
    page_width: int = 0
    viewport_width: int = 0
    html_errors: list = field(default_factory=list)
    # Kept for the failure artifacts; the pages are gone by the time a test fails.
    screenshots: dict = field(default_factory=dict)


def _open(page, kind, path):
    """Go to the page type `kind` and return the main document's response."""
    if kind == "feedback-errors":
        page.goto(path)
        # An empty message is the mistake every reader can make.
        with page.expect_navigation() as navigation:
            page.locator("form.feedback-form button[type=submit]").click()
        return navigation.value
    return page.goto(path)


def _collect(browser, base_url, paths):
    visits = {kind: Visit(path) for kind, path in paths.items()}

    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    log = tools.BrowserLog.attach(page)
    for kind, visit in visits.items():
        before = len(log.problems)
        response = _open(page, kind, visit.path)
        visit.status, visit.html = response.status, response.text()
        visit.problems = [
            problem
            for problem in log.problems[before:]
            # The 404 page's own status is what it is for.
            if not (kind == "404" and "status of 404" in problem)
        ]
    context.close()

    # axe-core is injected as a script, which the site's CSP rightly forbids.
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    for kind, visit in visits.items():
        _open(page, kind, visit.path)
        visit.accessibility = tools.serious_accessibility_violations(page)
        visit.screenshots["desktop"] = page.screenshot(full_page=True)
    context.close()

    context = browser.new_context(
        base_url=base_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    for kind, visit in visits.items():
        _open(page, kind, visit.path)
        visit.page_width, visit.viewport_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        visit.screenshots["375px"] = page.screenshot(full_page=True)
    context.close()

    errors = tools.validate_html({kind: visit.html for kind, visit in visits.items()})
    for kind, visit in visits.items():
        visit.html_errors = errors[kind]
    return visits


def _collect_layouts(browser, base_url, paths):
    """{width name: {path: [problem, ...]}} for each page at each width: one page object each."""
    layouts = {}
    for name, viewport, phone in (("375px", PHONE, True), ("1280px", DESKTOP, False)):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB", is_mobile=phone, has_touch=phone
        )
        page = context.new_page()
        found = layouts[name] = {}
        for path in paths:
            page.goto(path)
            found[path] = tools.collapsed_layout(page)
            if found[path]:
                ARTIFACTS.mkdir(exist_ok=True)
                stem = path.strip("/").replace("/", "_")
                page.screenshot(path=ARTIFACTS / f"layout-{stem}-{name}.png", full_page=True)
        context.close()
    return layouts


@pytest.fixture(scope="module")
def collected(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    require("chromium", "vnu", "axe")
    # Module-scoped, so the function-scoped `settings` fixture and the
    # suite's autouse settings fixtures do not apply: set the same things here.
    with (
        override_settings(
            # Submitted at once and more than once: not spam here.
            FEEDBACK_MIN_FILL_SECONDS=0,
            FEEDBACK_RATE_LIMIT=1000,
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ),
        django_db_blocker.unblock(),
    ):
        name = str(connection.settings_dict["NAME"])
        # This fixture flushes the database it writes to: never a real one.
        assert "memory" in name or name.startswith("test_"), name
        # What the migrations put in (the Site row, the starter blocked
        # words...), which the flush below takes away: put back afterwards.
        seeded = connection.creation.serialize_db_to_string()
        try:
            site = build_site()
            paths = {
                "home": reverse("home"),
                "section": site.section.get_absolute_url(),
                "essay": site.essay.get_absolute_url(),
                "tag": reverse("essays:tag", kwargs={"slug": site.tag_slug}),
                "people": reverse("people:index"),
                "person": site.person.get_absolute_url(),
                "works": reverse("works:index"),
                "work": site.work.get_absolute_url(),
                "search": reverse("search") + "?q=Serge",
                "search-empty": reverse("search") + "?q=Qwxzyv",
                "feedback-errors": reverse("feedback:form"),
                "thanks": reverse("feedback:thanks"),
                "sitemap": reverse("sitemap"),
                "years": reverse("years:index"),
                "year": reverse("years:detail", kwargs={"year": site.busiest_year}),
                "404": "/no-such-page/",
            }
            everything = every_page()
            # A server of its own rather than the `live_server` fixture, which
            # would make every test below flush the database, a second each
            # on PostgreSQL.
            server = LiveServer("localhost")
            try:
                visits = _collect(browser, server.url, paths)
                started = time.monotonic()
                layouts = _collect_layouts(browser, server.url, everything)
                layout_seconds = time.monotonic() - started
            finally:
                server.stop()
        finally:
            # Nothing here ran in a transaction: leave the database as the
            # migrations made it, which every other test expects.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(seeded)
            # The rows came back with their ids; PostgreSQL's sequences must
            # move past them, or the next insert takes id 1 again.
            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    return SimpleNamespace(
        visits=visits, layouts=layouts, pages=everything, layout_seconds=layout_seconds
    )


@pytest.fixture(scope="module")
def visits(collected):
    return collected.visits


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request, visits):
    yield
    report = getattr(request.node, "report_call", None)
    kind = getattr(request.node, "callspec", None) and request.node.callspec.params.get("kind")
    if not kind or report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    visit = visits[kind]
    (ARTIFACTS / f"page-{kind}.html").write_text(visit.html, encoding="utf-8")
    for name, png in visit.screenshots.items():
        (ARTIFACTS / f"page-{kind}-{name}.png").write_bytes(png)


PAGE_KINDS = [
    "home",
    "section",
    "essay",
    "tag",
    "people",
    "person",
    "works",
    "work",
    "search",
    "search-empty",
    "feedback-errors",
    "thanks",
    "sitemap",
    "years",
    "year",
    "404",
]
EXPECTED_STATUS = {"feedback-errors": 200, "404": 404}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_page_answers_with_the_expected_status(visits, kind):
    assert visits[kind].status == EXPECTED_STATUS.get(kind, 200)


def test_the_feedback_page_shows_the_errors_it_is_checked_with(visits):
    assert 'role="alert"' in visits["feedback-errors"].html


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_page_is_valid_html(visits, kind):
    found = visits[kind].html_errors
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_page_has_no_serious_accessibility_violation(visits, kind):
    found = visits[kind].accessibility
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_page_loads_without_console_errors_or_csp_violations(visits, kind):
    found = visits[kind].problems
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_page_fits_a_375px_screen_without_horizontal_scrolling(visits, kind):
    visit = visits[kind]
    assert visit.viewport_width == PHONE["width"]
    assert visit.page_width <= visit.viewport_width


def test_the_layout_checks_visit_every_person_work_and_essay(collected):
    kinds = {path.split("/")[1] for path in collected.pages}
    assert {"people", "works", "essays", "years"} <= kinds
    assert len(collected.pages) == len(set(collected.pages))
    # One browser, one page object per width: the whole demo in well under a minute.
    assert collected.layout_seconds < 120


@pytest.mark.parametrize("width", ["375px", "1280px"])
def test_no_page_of_the_demo_has_a_collapsed_layout(collected, width):
    found = {path: problems for path, problems in collected.layouts[width].items() if problems}
    assert found == {}, "\n".join(
        f"{path}: {problem}" for path, problems in found.items() for problem in problems
    )
