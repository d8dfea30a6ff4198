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


# The renderer is markdown-it-py set up to give the HTML Python-Markdown gave
# (bench/render_bench.py compares the two); these pin what pages, the search
# index, the mention linker and the importer rely on.


def test_smart_punctuation_follows_the_old_rules():
    html = render_markdown("\"Quoted\" and 'single' -- it's the '90s --- yes...")

    assert html == "<p>“Quoted” and ‘single’ – it’s the ’90s — yes…</p>"


def test_escaped_quotes_stay_straight():
    assert render_markdown('Not \\"smart\\" but "this"') == '<p>Not "smart" but “this”</p>'


def test_quotes_in_code_stay_straight():
    html = render_markdown("Run `say \"it's\"` -- and\n\n    print('x')")

    assert '<code>say "it\'s"</code> –' in html
    assert "print('x')" in html


def test_footnotes_are_numbered_in_the_order_they_are_defined():
    html = render_markdown(
        "A[^b] and C[^a] and A again[^b].\n\n[^a]: First defined.\n[^b]: Second.\n\n"
        "[^x]: Never referred to."
    )

    assert '<sup id="fnref:b"><a class="footnote-ref" href="#fn:b"' in html
    assert '<sup id="fnref2:b">' in html  # the second reference to the same note
    assert html.index('<li id="fn:a">') < html.index('<li id="fn:b">') < html.index('id="fn:x"')
    assert 'href="#fn:a" rel="noopener noreferrer">1</a>' in html
    assert 'href="#fn:b" rel="noopener noreferrer">2</a>' in html
    # One back-link per reference, after a non-breaking space.
    assert 'Second.&nbsp;<a class="footnote-backref" href="#fnref:b"' in html
    assert 'href="#fnref2:b" title="Jump back to footnote 2 in the text"' in html


def test_a_footnote_ending_in_a_list_gets_its_back_link_in_a_paragraph_of_its_own():
    html = render_markdown("A[^1]\n\n[^1]: Note:\n\n    - a\n    - b")

    assert '</ul>\n<p><a class="footnote-backref" href="#fnref:1"' in html


def test_a_reference_to_a_missing_footnote_stays_text():
    assert render_markdown("A claim.[^9]") == "<p>A claim.[^9]</p>"


def test_an_inline_tag_on_its_own_line_stays_inside_its_paragraph():
    assert render_markdown("<img src=x onerror=alert(1)>") == '<p><img src="x"></p>'


def test_a_link_to_a_forbidden_scheme_keeps_its_text_and_loses_its_address():
    assert render_markdown("[click](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer">click</a></p>'
    )


def test_abbreviations_are_marked_up():
    html = render_markdown("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language")

    assert html == '<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> spec.</p>'


def test_a_heading_keeps_the_id_its_attribute_list_gives_it():
    rendered = render("## Heading {#own-id}\n\n## Heading")

    assert '<h2 id="own-id">Heading</h2>' in rendered.html
    assert [item["id"] for item in rendered.toc] == ["own-id", "heading"]


def test_repeated_headings_get_numbered_ids():
    rendered = render("## Notes\n\n## Notes\n\n## Notes")

    assert [item["id"] for item in rendered.toc] == ["notes", "notes_1", "notes_2"]


def test_a_list_needs_a_blank_line_before_it():
    html = render_markdown("Text:\n- not\n- a list\n\n- a\n- b")

    assert html.startswith("<p>Text:\n- not\n- a list</p>\n<ul>")


def test_only_list_items_next_to_a_blank_line_get_paragraphs():
    html = render_markdown("- a\n- b\n\n- c")

    assert html == "<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>"


def test_markdown_inside_a_div_marked_for_it_is_rendered():
    assert render_markdown('<div markdown="1">\n*inside*\n</div>') == (
        "<div>\n<p><em>inside</em></p>\n</div>"
    )


def test_threads_rendering_at_once_get_the_same_html_as_one_at_a_time():
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f'## Part {n}\n\n"Quote {n}" -- it\'s[^{n}]\n\n- a\n- b\n\n[^{n}]: Note {n}.'
        for n in range(12)
    ]
    expected = [render(text, anchors=True) for text in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda text: render(text, anchors=True), texts * 20))

    assert results == expected * 20


def test_the_table_of_contents_nests_three_levels():
    rendered = render("## One\n\n### Two\n\n#### Three\n\n## Four")

    assert rendered.toc[0]["children"][0]["children"][0]["name"] == "Three"
    assert [item["name"] for item in rendered.toc] == ["One", "Four"]
    assert rendered.heading_count == 4
