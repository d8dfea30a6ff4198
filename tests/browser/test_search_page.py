"""The search page and the suggestions, used with the keyboard and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_essay, make_person, make_work

pytestmark = pytest.mark.browser


@pytest.fixture
def serge():
    person = make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    make_work(title="Memoirs of a Revolutionary", authors=[person], year_published=1951)
    make_essay(title="Victor Serge in Mexico", people=[person], tags=["Exile"])
    return person


def search_box(page):
    return page.get_by_role("combobox", name="Search essays, people and works")


def test_a_reader_picks_a_suggestion_with_the_arrow_keys_and_enter(page, browser_log, serge):
    make_person(name="Leon Trotsky", sort_name="Trotsky, Leon", slug="leon-trotsky")
    page.goto("/search/")
    box = search_box(page)

    box.press_sequentially("Trots")
    expect(page.get_by_role("option")).to_have_text(["Leon Trotsky, Person"])
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-q-suggestions-0")
    expect(page.get_by_role("option", selected=True)).to_have_count(1)
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/people/leon-trotsky/$"))
    assert browser_log.problems == []


def test_escape_closes_the_suggestions_and_keeps_what_was_typed(page, browser_log, serge):
    page.goto("/search/")
    box = search_box(page)

    box.press_sequentially("Serge")
    expect(page.get_by_role("listbox")).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")

    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("Serge")
    assert browser_log.problems == []


def test_a_reader_removes_one_active_filter_and_keeps_the_other(page, browser_log, serge):
    page.goto("/search/?q=Serge&kind=essay&tag=exile")
    expect(page.locator(".search-hits h3 a")).to_have_text(["Victor Serge in Mexico"])

    page.get_by_role("link", name="Kind: Essay").click()

    expect(page).to_have_url(re.compile(r"\?q=Serge&tag=exile$"))
    expect(page.get_by_role("link", name="Tag: Exile")).to_be_visible()
    expect(page.get_by_role("link", name="Kind: Essay")).to_have_count(0)
    assert browser_log.problems == []


def test_on_a_phone_the_results_come_first_and_the_facets_fold_away(page, browser_log, serge):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/search/?q=Serge")
    facets = page.get_by_role("navigation", name="Narrow the results")
    expect(page.locator(".search-hits h3 a").first).to_be_in_viewport()
    expect(facets).to_be_hidden()

    page.locator("summary", has_text="Refine").click()
    facets.get_by_role("link", name="Person", exact=True).click()

    expect(page).to_have_url(re.compile(r"kind=person"))
    expect(page.locator(".search-hits h3 a")).to_have_text(["Victor Serge"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser_log.problems == []
