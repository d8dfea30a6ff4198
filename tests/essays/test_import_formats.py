import datetime

import pytest

from essays.models import Essay
from sergesite.redirects import old_addresses
from tests.essays.import_helpers import FIXTURES, run_import
from tests.factories import make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def research():
    return make_section(title="Research", slug="research")


def test_an_old_page_keeps_its_text_and_loses_its_menu_header_and_footer():
    run_import(FIXTURES / "mirror" / "anl" / "anl.html", section="research")

    body = Essay.objects.get().body
    assert body.startswith("The league was launched in the autumn of 1977")
    for boilerplate in ["Hegemon press", "Sitemap", "Roger's site", "Top of page", "1999 ·"]:
        assert boilerplate not in body
    assert "# The Anti Nazi League" not in body  # the title is the page's own heading


def test_an_old_page_keeps_headings_emphasis_quotations_lists_and_tables():
    run_import(FIXTURES / "mirror" / "anl" / "anl.html", section="research")

    essay = Essay.objects.get()
    assert "\n## The carnivals\n" in essay.body
    assert "was *far larger* than" in essay.body
    assert "> We expected a few thousand." in essay.body
    assert "- Leaflets in several languages\n- School students' groups" in essay.body
    assert "| 1977 | 119,000 |" in essay.body
    assert "<table>" in essay.body_html and "<blockquote>" in essay.body_html


def test_an_old_pages_note_links_become_markdown_footnotes():
    run_import(FIXTURES / "mirror" / "anl" / "anl.html", section="research")

    essay = Essay.objects.get()
    assert "had never been to a political meeting.[^1]" in essay.body
    assert "[^1]: The founding statement was signed by MPs, writers and trade unionists." in (
        essay.body
    )
    assert "[^2]: The debate is summarised in *Socialist history*, issue 14." in essay.body
    assert "Notes" not in essay.body and "#ref1" not in essay.body
    assert essay.body_html.count('class="footnote-ref"') == 2


def test_a_heading_made_of_a_named_anchor_is_kept():
    run_import(FIXTURES / "mirror" / "books" / "dissident.html", section="research")

    assert "\n## The left outside the parties\n" in Essay.objects.get().body


def test_a_saved_text_page_loses_its_menu_and_keeps_title_headings_and_quotations():
    output = run_import(FIXTURES / "saved-page.txt", section="research")

    essay = Essay.objects.get()
    assert essay.title == "The Kronstadt Question"
    assert essay.author_names() == ["R. Example"]
    assert essay.body.startswith("For years the argument about Kronstadt")
    assert "Hegemon press" not in essay.body and "Top of page" not in essay.body
    assert "\n## The sailors' demands\n" in essay.body
    assert '> "Immediately to hold new elections' in essay.body  # introduced by a colon
    assert (
        "> It was a terrible choice, and we made it with a heavy heart. We thought the country"
        in essay.body
    )
    assert ">\n> Years later the same men" in essay.body  # one indented quotation
    assert "dropped a menu of 8 lines at the top" in output


def test_a_saved_text_pages_numbered_notes_become_footnotes():
    run_import(FIXTURES / "saved-page.txt", section="research")

    essay = Essay.objects.get()
    assert "across the ice.[^1]" in essay.body and "was severe.[^2]" in essay.body
    assert "[^2]: Estimates of the numbers shot vary widely between sources." in essay.body
    assert essay.body_html.count('class="footnote-ref"') == 2


def test_bracketed_numbers_without_a_notes_list_stay_as_they_are(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "On bracketed numbers\n\nThe figure of 1921 is given in the census[3] and "
        "nowhere else, which is why historians treat it with care.\n"
    )

    run_import(page, section="research")

    assert "census[3] and" in Essay.objects.get().body


def test_a_cp1252_text_file_keeps_its_curly_quotes_and_accents():
    run_import(FIXTURES / "le-retif-cp1252.txt", section="research")

    essay = Essay.objects.get()
    assert essay.title == "Le Rétif in Paris"
    assert "signed his articles “Le Rétif” lived" in essay.body
    assert "> “We believed that a man could free himself" in essay.body
    assert "naïveté" in essay.body and "cafés" in essay.body and "five years — a" in essay.body
    assert "\n## The trial\n" in essay.body


def test_a_cp1252_html_page_with_accented_letters_decodes_right(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(
        "<html><head><title>Très chère</title></head><body><h1>Très chère</h1>"
        "<p>Une lettre écrite à Noël, où l’on parle d’«&nbsp;économie&nbsp;» et de "
        "pénurie, pendant que la guerre continue et que les prix montent chaque semaine.</p>"
        "</body></html>".encode("cp1252")
    )

    run_import(page, section="research")

    essay = Essay.objects.get()
    assert essay.title == "Très chère"
    assert "écrite à Noël, où l’on parle d’«" in essay.body


def test_front_matter_gives_title_slug_date_section_tags_summary_author_and_status():
    biography = make_section(title="Biography", slug="biography")

    run_import(FIXTURES / "front-matter.md", section="biography")

    essay = Essay.objects.get()
    assert essay.section != biography  # the file's own section wins over --section
    assert (essay.title, essay.slug, essay.section.slug) == (
        "Council communism after the war",
        "council-communism",
        "research",
    )
    assert essay.published_at == datetime.datetime(2006, 11, 20, tzinfo=datetime.UTC)
    assert essay.status == "published"
    assert sorted(tag.name for tag in essay.tags.all()) == ["Council communism", "Karl Korsch"]
    assert essay.author_names() == ["R. Example"]
    assert essay.summary.startswith("What became of the councils")
    assert essay.import_source == "/research/councils.html"
    assert old_addresses(essay) == ["/research/councils-old.html", "/research/councils.html"]
    assert not essay.body.startswith("#")  # the repeated title heading is dropped
    assert "[^1]: His writings" in essay.body


def test_a_markdown_file_naming_a_missing_section_is_reported(tmp_path):
    page = tmp_path / "draft.md"
    page.write_text("---\ntitle: Elsewhere\nsection: nowhere\n---\nSome text.\n")

    output = run_import(page)

    assert "the file names section 'nowhere', which does not exist" in output
    assert not Essay.objects.exists()


def test_malformed_front_matter_is_reported(tmp_path):
    page = tmp_path / "draft.md"
    page.write_text("---\ntitle: [unclosed\n---\nSome text.\n")

    output = run_import(page, section="research")

    assert "failed" in output and "front matter is not valid YAML" in output
    assert not Essay.objects.exists()


def test_a_text_file_named_html_is_read_as_text_and_front_matter_by_its_content(tmp_path):
    (tmp_path / "notes.html").write_text(
        "A plain title\n\nA paragraph of plain words with no tags at all, written long enough.\n"
    )
    (tmp_path / "draft.txt").write_text("---\ntitle: From front matter\n---\nBody text here.\n")

    run_import(tmp_path, section="research")

    assert set(Essay.objects.values_list("title", flat=True)) == {
        "A plain title",
        "From front matter",
    }


def test_the_site_name_is_dropped_from_a_title_tag(tmp_path):
    page = tmp_path / "serge.html"
    page.write_text(
        "<html><head><title>Serge | Roger's site</title></head><body>"
        "<p>A page with no heading of its own, only a title in its head, and enough words "
        "in this paragraph for readability to take it as the main text of the page.</p>"
        "</body></html>"
    )

    run_import(page, section="research")

    assert Essay.objects.get().title == "Serge"
