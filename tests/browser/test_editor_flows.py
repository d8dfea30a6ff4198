"""What the editor does in the admin, done in Chromium by clicking and typing."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from essays.models import Essay
from feedback.models import Feedback
from tests.factories import make_section

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"

BODY = """\
## The Left Opposition

Serge joined it in *1923*.

<script>alert("preview")</script><svg onload="alert('preview')"></svg>
"""


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(page, user):
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_an_editor_logs_into_the_admin(page, browser_log, editor):
    log_in(page, editor)

    expect(page.get_by_role("link", name="Essays", exact=True)).to_be_visible()
    assert browser_log.problems == []


def test_the_live_preview_shows_the_markdown_rendered_and_sanitized(page, browser_log, editor):
    make_section(title="Research", slug="research")
    log_in(page, editor)
    page.goto("/admin/essays/essay/add/")

    page.get_by_role("textbox", name="Body").fill(BODY)

    preview = page.locator(".markdownx-preview")
    expect(preview.get_by_role("heading", name="The Left Opposition", exact=True)).to_be_visible()
    expect(preview.locator("em")).to_have_text("1923")
    markup = preview.inner_html()
    assert "<script" not in markup
    assert "onload" not in markup
    assert browser_log.problems == []


def test_an_editor_publishes_an_essay_that_readers_then_find_on_the_site_and_in_search(
    page, browser_log, editor
):
    make_section(title="Research", slug="research")
    log_in(page, editor)
    page.get_by_role("link", name="Essays", exact=True).click()
    page.get_by_role("link", name="Add essay").click()

    # Typed key by key: the admin fills in the slug as the title is typed.
    page.get_by_role("textbox", name="Title").press_sequentially("Serge and the Left Opposition")
    expect(page.get_by_role("textbox", name="Slug")).to_have_value("serge-and-the-left-opposition")
    page.get_by_label("Section").select_option(label="Research")
    page.get_by_label("Summary").fill("How Serge came to the Opposition.")
    page.get_by_role("textbox", name="Body").fill(BODY)
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name=re.compile(r"^Today")).click()
    page.get_by_role("button", name="Now", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    essay = Essay.objects.get(slug="serge-and-the-left-opposition")
    assert essay.is_public

    page.goto("/")
    page.get_by_role("link", name="Serge and the Left Opposition").click()
    expect(page.locator("h1")).to_have_text("Serge and the Left Opposition")
    expect(page.get_by_role("heading", name="The Left Opposition", exact=True)).to_be_visible()

    page.get_by_label("Search the site").fill("Left Opposition")
    page.get_by_label("Search the site").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Left"))
    page.get_by_role("main").get_by_role("link", name="Serge and the Left Opposition").click()
    expect(page).to_have_url(re.compile(r"/essays/serge-and-the-left-opposition/$"))
    assert browser_log.problems == []


def test_an_editor_marks_a_feedback_message_as_read(page, browser_log, editor):
    message = Feedback.objects.create(name="Ada Reader", message="A correction about 1930.")
    log_in(page, editor)
    page.get_by_role("link", name="Feedback messages").click()

    page.get_by_role("row", name=re.compile("Ada Reader")).get_by_role("checkbox").check()
    actions = page.get_by_role("combobox", name="Action")
    actions.select_option(label="Mark selected messages as read")
    page.get_by_role("button", name="Run").click()

    expect(page.locator(".messagelist")).to_contain_text("1 message(s) marked as read")
    message.refresh_from_db()
    assert message.status == Feedback.Status.READ
    assert browser_log.problems == []
