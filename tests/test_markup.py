import pytest

from sergesite.markup import render, render_markdown
from tests.xss_payloads import XSS_PAYLOADS, find_executable_markup


def test_the_payload_list_is_long_enough_to_mean_something():
    assert len(XSS_PAYLOADS) >= 30


def test_the_checker_finds_what_it_looks_for():
    # The checker must fail on raw payloads, or the tests below prove nothing.
    caught = [payload for payload in XSS_PAYLOADS if find_executable_markup(payload)]
    assert len(caught) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_never_renders_executable_markup(payload):
    assert find_executable_markup(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_inside_ordinary_text_is_still_defused(payload):
    html = render_markdown(f"Before.\n\n{payload}\n\nAfter.")

    assert find_executable_markup(html) == []
    assert "<p>Before.</p>" in html


def test_safe_links_survive_with_rel_noopener():
    html = render_markdown("[Serge](https://example.org/serge)")

    assert 'href="https://example.org/serge"' in html
    assert 'rel="noopener noreferrer"' in html


def test_a_top_level_heading_becomes_an_h2():
    assert render_markdown("# Title").startswith('<h2 id="title">Title</h2>')


def test_footnotes_are_rendered_with_links_both_ways():
    html = render_markdown("A claim.[^1]\n\n[^1]: The source.")

    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html
    assert 'href="#fnref:1"' in html


def test_headings_get_unicode_anchors_and_a_table_of_contents():
    rendered = render("## Троцкий\n\n### L'été 1936\n\n## Exile")

    assert '<h2 id="троцкий">Троцкий</h2>' in rendered.html
    assert [item["name"] for item in rendered.toc] == ["Троцкий", "Exile"]
    assert rendered.toc[0]["children"][0]["name"] == "L’été 1936"
    assert rendered.heading_count == 3


def test_markup_in_a_heading_is_plain_text_in_the_table_of_contents():
    rendered = render("## The <em>Tulayev</em> affair & after")

    assert rendered.toc[0]["name"] == "The Tulayev affair & after"


def test_tables_are_kept_inside_a_box_that_can_scroll():
    html = render_markdown("Intro.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.")

    assert '<div class="table-scroll" tabindex="0">\n<table>' in html
    assert "<td>1</td>" in html
    assert html.count("table-scroll") == 1
    assert html.endswith("</table>\n</div>\n<p>After.</p>")


def test_empty_text_renders_as_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
