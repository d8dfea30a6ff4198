"""What a reader does on the site, done in Chromium by clicking and typing."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.browser


@pytest.fixture
def feedback_without_delays(settings):
    # The anti-spam minimum fill time would make a test wait; a browser that
    # fills the form at once is not a spammer here.
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    settings.FEEDBACK_RATE_LIMIT = 1000


def main_menu(page):
    return page.get_by_role("navigation", name="Main")


def test_a_reader_goes_through_every_menu_entry(page, browser_log):
    make_section(title="Research", slug="research", menu_order=1)
    make_section(title="Journalism", slug="journalism", menu_order=2)
    make_section(title="Hidden", slug="hidden", show_in_menu=False)
    page.goto("/")
    names = main_menu(page).get_by_role("link").all_inner_texts()

    assert names[:2] == ["Research", "Journalism"]
    assert "Hidden" not in names
    for name in names:
        main_menu(page).get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_be_visible()
        expect(main_menu(page).get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
    assert browser_log.problems == []


def test_a_reader_opens_an_essay_from_the_home_page(page, browser_log):
    make_essay(
        title="The Dissident Marxism of Victor Serge",
        body="## Petrograd\n\nSerge arrived in 1919.[^1]\n\n[^1]: A source.",
    )
    page.goto("/")

    page.get_by_role("link", name="The Dissident Marxism of Victor Serge").click()

    expect(page.locator("h1")).to_have_text("The Dissident Marxism of Victor Serge")
    expect(page.get_by_role("heading", name="Petrograd")).to_be_visible()
    page.get_by_role("link", name="1", exact=True).click()  # the footnote reference
    expect(page).to_have_url(re.compile(r"#fn"))
    assert browser_log.problems == []


def test_a_reader_opens_a_person_from_the_index_and_follows_one_of_their_works(page, browser_log):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    make_person(name="Leon Trotsky", sort_name="Trotsky, Leon", slug="leon-trotsky")
    make_work(title="Midnight in the Century", slug="midnight-in-the-century", authors=[serge])
    page.goto("/people/")

    page.get_by_role("link", name="Serge, Victor").click()
    expect(page.locator("h1")).to_have_text("Victor Serge")
    page.get_by_role("main").get_by_role("link", name="Midnight in the Century").click()

    expect(page).to_have_url(re.compile(r"/works/midnight-in-the-century/$"))
    expect(page.locator("h1")).to_contain_text("Midnight in the Century")
    assert browser_log.problems == []


def test_a_reader_who_sends_feedback_without_a_message_is_told_and_can_correct_it(
    page, browser_log, feedback_without_delays
):
    page.goto("/feedback/")
    page.get_by_label("Your name").fill("Ada Reader")

    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/feedback/$"))
    expect(page.get_by_label("Your name")).to_have_value("Ada Reader")
    assert not Feedback.objects.exists()

    page.get_by_label("Message").fill("The date of Men in Prison should be 1930.")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/feedback/thanks/$"))
    message = Feedback.objects.get()
    assert (message.name, message.message) == (
        "Ada Reader",
        "The date of Men in Prison should be 1930.",
    )
    assert browser_log.problems == []


def search_from_the_header(page, text):
    box = page.get_by_label("Search the site")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))


def search_hits(page):
    return page.locator(".search-hits h3 a")


@pytest.mark.parametrize("typed", ["André Breton", "andre breton", "ANDRE BRETON"])
def test_a_reader_finds_an_accented_name_with_or_without_its_accents(page, browser_log, typed):
    make_person(name="André Breton", sort_name="Breton, André", slug="andre-breton")
    make_person(name="Leon Trotsky", sort_name="Trotsky, Leon", slug="leon-trotsky")
    page.goto("/")

    search_from_the_header(page, typed)

    expect(search_hits(page)).to_have_text(["André Breton"])
    search_hits(page).first.click()
    expect(page.locator("h1")).to_have_text("André Breton")
    assert browser_log.problems == []


def test_a_reader_who_misspells_a_name_still_finds_the_person(page, browser_log):
    make_person(
        name="Leon Trotsky",
        sort_name="Trotsky, Leon",
        slug="leon-trotsky",
        other_names=["Lev Davidovich Bronstein"],
    )
    make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    page.goto("/")

    search_from_the_header(page, "Trotksy")

    expect(search_hits(page).first).to_have_text("Leon Trotsky")
    expect(search_hits(page).filter(has_text="Victor Serge")).to_have_count(0)
    assert browser_log.problems == []


def test_a_reader_narrows_search_results_with_a_facet(page, browser_log):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    make_work(title="Memoirs of a Revolutionary", authors=[serge], year_published=1951)
    make_essay(title="Victor Serge in Mexico", people=[serge])
    page.goto("/search/?q=Serge")
    expect(search_hits(page)).to_have_count(3)
    facets = page.get_by_role("navigation", name="Narrow the results")

    facets.get_by_role("link", name="Person", exact=True).click()

    expect(page).to_have_url(re.compile(r"kind=person"))
    expect(search_hits(page)).to_have_text(["Victor Serge"])
    expect(facets.locator("[aria-current]")).to_have_text("Person")
    facets.get_by_role("link", name="Any kind").click()
    expect(search_hits(page)).to_have_count(3)
    assert browser_log.problems == []
