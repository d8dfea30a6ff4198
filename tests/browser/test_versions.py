"""An editor changes an essay, compares two versions and restores the older one."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from playwright.sync_api import expect
from reversion.models import Version

from essays.models import Essay
from tests.factories import make_essay

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(page, user):
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_an_editor_compares_two_versions_of_an_essay_and_restores_the_older(
    page, browser_log, editor
):
    with transaction.atomic():  # as an import saves an essay: the first version
        essay = make_essay(
            title="Serge in Petrograd", body="Serge reached Petrograd in 1919.", tags=["Russia"]
        )
    log_in(page, editor)

    page.goto(f"/admin/essays/essay/{essay.pk}/change/")
    page.get_by_role("textbox", name="Body").fill(
        "Serge reached Petrograd in January 1919. <b>Hunger</b> everywhere."
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Compare selected versions").click()

    words = page.locator(".versions-words")
    expect(words.locator("ins")).to_have_text(["January ", "<b>Hunger</b> everywhere."])
    expect(words.locator("b")).to_have_count(0)  # the Markdown is shown as typed
    page.get_by_role("link", name="Restore the older version…").click()
    expect(page.get_by_role("textbox", name="Body")).to_have_value(
        "Serge reached Petrograd in 1919."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    essay = Essay.objects.get(pk=essay.pk)
    assert essay.body == "Serge reached Petrograd in 1919."
    assert list(essay.tags.names()) == ["Russia"]
    assert Version.objects.get_for_object(essay).count() == 3  # restoring added one
    assert browser_log.problems == []
