"""An editor never loses an edit: the leave prompt, the local draft, concurrent saves."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from essays.models import Essay
from tests.browser import tools
from tests.browser.test_editor_flows import PASSWORD, log_in
from tests.factories import make_essay, make_person

pytestmark = pytest.mark.browser

TYPED = "## Regained\n\nWritten before the tab closed."


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def essay():
    return make_essay(title="Memoirs", body="The text as saved.")


def change_url(essay):
    return reverse("admin:essays_essay_change", args=[essay.pk])


def draft_key(essay):
    return "sergesite:draft:" + change_url(essay)


def wait_for_draft(page, essay, text):
    page.wait_for_function(
        "([key, text]) => (localStorage.getItem(key) || '').includes(text)",
        arg=[draft_key(essay), text],
    )


def wait_for_no_draft(page, essay):
    # The page after a save removes the draft once it has loaded, which can
    # be a moment after its message is on screen.
    page.wait_for_function("(key) => localStorage.getItem(key) === null", arg=draft_key(essay))


def stored_draft(page, essay):
    return page.evaluate("(key) => localStorage.getItem(key)", draft_key(essay))


def type_body_and_close_the_tab(page, essay):
    page.goto(change_url(essay))
    page.get_by_role("textbox", name="Body").fill(TYPED)
    wait_for_draft(page, essay, "Written before the tab closed.")
    # Closed as a crash would: no chance to ask before leaving.
    page.close(run_before_unload=False)


def reopen(context, essay):
    page = context.new_page()
    log = tools.BrowserLog.attach(page)
    page.goto(change_url(essay))
    return page, log


def test_a_closed_tabs_work_is_offered_back_and_restored(page, browser_log, editor, essay):
    log_in(page, editor)
    type_body_and_close_the_tab(page, essay)

    again, log = reopen(page.context, essay)
    offer = again.get_by_role("status").filter(has_text="You have unsaved changes from")
    expect(offer).to_be_visible()
    body = again.get_by_role("textbox", name="Body")
    expect(body).to_have_value("The text as saved.")
    offer.get_by_role("button", name="Restore").click()

    expect(body).to_have_value(TYPED)
    preview = again.locator(".markdownx-preview")
    expect(preview.get_by_role("heading", name="Regained")).to_be_visible()
    expect(offer).to_be_hidden()
    again.get_by_role("button", name="Save and continue editing").click()

    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    essay.refresh_from_db()
    # Browsers send a textarea's line breaks as CRLF.
    assert essay.body.replace("\r\n", "\n") == TYPED
    wait_for_no_draft(again, essay)
    again.reload()
    expect(again.get_by_role("textbox", name="Body")).to_have_value(TYPED)
    expect(again.get_by_text("You have unsaved changes")).to_have_count(0)
    assert browser_log.problems == []
    assert log.problems == []


def test_a_discarded_draft_is_gone(page, browser_log, editor, essay):
    log_in(page, editor)
    type_body_and_close_the_tab(page, essay)

    again, log = reopen(page.context, essay)
    again.get_by_role("button", name="Discard").click()

    expect(again.get_by_text("You have unsaved changes")).to_have_count(0)
    expect(again.get_by_role("textbox", name="Body")).to_have_value("The text as saved.")
    assert stored_draft(again, essay) is None
    again.reload()
    expect(again.get_by_role("heading", name="Change essay")).to_be_visible()
    expect(again.get_by_text("You have unsaved changes")).to_have_count(0)
    assert browser_log.problems == []
    assert log.problems == []


def test_the_draft_survives_a_save_the_server_refuses(page, browser_log, editor, essay):
    log_in(page, editor)
    page.goto(change_url(essay))
    page.get_by_role("textbox", name="Title").fill("")
    page.get_by_role("textbox", name="Body").fill(TYPED)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errornote")).to_be_visible()
    # The refused page already shows the text: nothing is offered, the draft stays.
    expect(page.get_by_text("You have unsaved changes")).to_have_count(0)
    assert "Written before the tab closed." in stored_draft(page, essay)
    essay.refresh_from_db()
    assert essay.body == "The text as saved."
    assert browser_log.problems == []

    page.close(run_before_unload=False)
    again, log = reopen(page.context, essay)
    again.get_by_role("button", name="Restore").click()
    expect(again.get_by_role("textbox", name="Body")).to_have_value(TYPED)
    expect(again.get_by_role("textbox", name="Title")).to_have_value("")
    assert log.problems == []


def test_leaving_a_changed_form_asks_first_but_saving_it_does_not(page, browser_log, editor, essay):
    log_in(page, editor)
    page.goto(change_url(essay))
    page.get_by_role("textbox", name="Title").fill("Memoirs of a Revolutionary")

    with page.expect_event("dialog") as asked:
        page.locator(".breadcrumbs").get_by_role("link", name="Essays", exact=True).click()

    # The browser log's dialog handler answers "stay": the page and its text remain.
    assert asked.value.type == "beforeunload"
    assert [entry.split(":")[0] for entry in browser_log.dialogs] == ["beforeunload dialog"]
    expect(page).to_have_url(re.compile(re.escape(change_url(essay)) + "$"))
    expect(page.get_by_role("textbox", name="Title")).to_have_value("Memoirs of a Revolutionary")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert len(browser_log.dialogs) == 1
    assert Essay.objects.get(pk=essay.pk).title == "Memoirs of a Revolutionary"
    wait_for_no_draft(page, essay)


def test_leaving_an_unchanged_form_asks_nothing(page, browser_log, editor, essay):
    log_in(page, editor)
    page.goto(change_url(essay))
    page.get_by_role("textbox", name="Title").click()

    page.locator(".breadcrumbs").get_by_role("link", name="Essays", exact=True).click()

    expect(page.get_by_role("heading", name="Select essay to change")).to_be_visible()
    assert browser_log.problems == []


def test_a_save_over_someone_elses_newer_version_is_refused_in_the_browser(
    page, browser_log, browser, live_server, editor, essay
):
    rosmer = get_user_model().objects.create_superuser(
        "rosmer", "rosmer@example.org", PASSWORD, first_name="Alfred", last_name="Rosmer"
    )
    log_in(page, editor)
    page.goto(change_url(essay))
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        theirs = other.new_page()
        log_in(theirs, rosmer)
        theirs.goto(change_url(essay))
        theirs.get_by_role("textbox", name="Body").fill("Rosmer's correction.")
        theirs.get_by_role("button", name="Save", exact=True).click()
        expect(theirs.locator(".messagelist")).to_contain_text("was changed successfully")
    finally:
        other.close()

    page.get_by_role("textbox", name="Body").fill("My long afternoon of work.")
    page.get_by_role("button", name="Save", exact=True).click()

    refusal = page.locator(".errorlist.nonfield")
    expect(refusal).to_contain_text(
        "This essay changed after you opened it: Alfred Rosmer saved it"
    )
    history = refusal.get_by_role("link", name="Compare with the history (in a new tab)")
    expect(history).to_have_attribute(
        "href", reverse("admin:essays_essay_history", args=[essay.pk])
    )
    with page.context.expect_page() as opened:
        history.click()
    expect(opened.value.get_by_role("heading", name=re.compile("Change history"))).to_be_visible()
    opened.value.close()
    expect(page.get_by_role("textbox", name="Body")).to_have_value("My long afternoon of work.")
    essay.refresh_from_db()
    assert essay.body == "Rosmer's correction."

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    essay.refresh_from_db()
    assert essay.body == "My long afternoon of work."
    assert browser_log.problems == []


def test_a_draft_brings_back_autocomplete_choices_and_added_inline_rows(page, browser_log, editor):
    serge = make_person(name="Victor Serge")
    make_essay(title="Memoirs", people=[serge])
    trotsky = make_person(name="Leon Trotsky")
    url = reverse("admin:people_person_change", args=[trotsky.pk])
    log_in(page, editor)
    page.goto(url)
    page.get_by_role("button", name="Add another Other name").click()
    # A tabular inline labels its columns, not each row's inputs.
    page.locator("[name='other_names-0-name']").fill("Lev Bronstein")
    page.locator("[name='other_names-1-name']").fill("Trotskii")
    page.get_by_role("textbox", name="Description").fill("Revolutionary")
    page.wait_for_function(
        "(key) => (localStorage.getItem(key) || '').includes('Trotskii')",
        arg="sergesite:draft:" + url,
    )
    page.close(run_before_unload=False)

    again = page.context.new_page()
    log = tools.BrowserLog.attach(again)
    again.goto(url)
    again.get_by_role("button", name="Restore").click()
    rows = again.locator("#other_names-group tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(2)
    expect(again.locator("[name='other_names-1-name']")).to_have_value("Trotskii")
    again.get_by_role("button", name="Save", exact=True).click()

    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    trotsky.refresh_from_db()
    assert trotsky.description == "Revolutionary"
    names = sorted(trotsky.other_names.values_list("name", flat=True))
    assert names == ["Lev Bronstein", "Trotskii"]
    assert browser_log.problems == []
    assert log.problems == []


def test_a_draft_brings_back_the_people_chosen_in_an_autocomplete(page, browser_log, editor, essay):
    make_person(name="Victor Serge")
    log_in(page, editor)
    page.goto(change_url(essay))
    page.locator(".field-people .select2-selection").click()
    page.locator(".field-people .select2-search__field").fill("Serge")
    page.get_by_role("option", name="Victor Serge").click()
    wait_for_draft(page, essay, "Victor Serge")
    page.close(run_before_unload=False)

    again, log = reopen(page.context, essay)
    again.get_by_role("button", name="Restore").click()

    expect(again.locator(".field-people .select2-selection__choice")).to_contain_text(
        "Victor Serge"
    )
    again.get_by_role("button", name="Save", exact=True).click()
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [person.name for person in essay.people.all()] == ["Victor Serge"]
    assert browser_log.problems == []
    assert log.problems == []


def test_a_draft_restored_after_someone_else_saved_is_checked_before_saving(
    page, browser_log, editor, essay
):
    log_in(page, editor)
    type_body_and_close_the_tab(page, essay)
    essay.body = "Corrected by an import meanwhile."
    essay.save()

    again, log = reopen(page.context, essay)
    offer = again.get_by_role("status").filter(has_text="You have unsaved changes from")
    expect(offer).to_contain_text("The record has been saved since then.")
    offer.get_by_role("button", name="Restore").click()
    again.get_by_role("button", name="Save", exact=True).click()

    expect(again.locator(".errorlist.nonfield")).to_contain_text(
        "This essay changed after you opened it: It was saved again on"
    )
    expect(again.get_by_role("textbox", name="Body")).to_have_value(TYPED)
    essay.refresh_from_db()
    assert essay.body == "Corrected by an import meanwhile."
    assert browser_log.problems == []
    assert log.problems == []
