import pytest

from tests.factories import make_essay

pytestmark = pytest.mark.browser


def test_a_published_essay_opens_in_the_browser_without_errors(page, browser_log):
    essay = make_essay(title="The Dissident Marxism of Victor Serge", body="## One\n\nText.")

    page.goto(essay.get_absolute_url())

    assert page.locator("h1").inner_text() == essay.title
    assert browser_log.problems == []
