"""Pages of real old sites: the markup hand-written sites of the 1990s and 2000s used."""

import pytest

from essays.models import Essay
from tests.essays.import_helpers import run_import
from tests.factories import make_section

pytestmark = pytest.mark.django_db

FILLER = (
    "The argument went on for years in small papers and smaller meetings, and it left "
    "a trail of pamphlets that nobody has yet put together in one place."
)


@pytest.fixture(autouse=True)
def research():
    return make_section(title="Research", slug="research")


def page(folder, name, body, *, title="An old page", head="", first_line=""):
    path = folder / name
    path.write_text(
        f"{first_line}<html><head><title>{title}</title>{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def imported(path):
    output = run_import(path, section="research")
    assert " 0 failed." in output, output
    return Essay.objects.get()


def test_an_xhtml_page_opening_with_an_xml_declaration_imports(tmp_path):
    path = page(
        tmp_path,
        "kollontai.html",
        f"<h1>Kollontai in Oslo</h1><p>She wrote from the embassy every week. {FILLER}</p>",
        first_line='<?xml version="1.0" encoding="UTF-8"?>\n',
    )

    essay = imported(path)

    assert essay.title == "Kollontai in Oslo"
    assert essay.body.startswith("She wrote from the embassy every week.")


MENU_CELL = (
    '<td width="150"><a href="/index.html">Welcome</a><br>\n<a href="/books.html">Books</a>'
    '<br>\n<a href="/research.html">Research</a><br>\n<a href="/links.html">Links</a></td>'
)


def paragraphs(essay):
    return [block.replace("\n", " ") for block in essay.body.split("\n\n")]


def test_a_layout_table_without_paragraphs_loses_its_menu_cell_and_keeps_its_text_as_paragraphs(
    tmp_path,
):
    path = page(
        tmp_path,
        "welcome.html",
        f"<table><tr>{MENU_CELL}<td>These pages gather talks given to students over twenty "
        "years, most of them on the socialist tradition outside the big parties.<br><br>\n"
        "The oldest piece was first read to a trades council in a room above a pub, and it "
        "shows.<br><br>\nA few pieces are drafts; they say so at the top.</td></tr></table>",
        title="Welcome",
    )

    essay = imported(path)

    assert paragraphs(essay) == [
        "These pages gather talks given to students over twenty years, most of them on the "
        "socialist tradition outside the big parties.",
        "The oldest piece was first read to a trades council in a room above a pub, and it shows.",
        "A few pieces are drafts; they say so at the top.",
    ]


def test_a_line_break_before_a_link_in_a_cell_mixing_paragraphs_and_loose_lines_splits_nothing(
    tmp_path,
):
    path = page(
        tmp_path,
        "about.html",
        f"<table><tr>{MENU_CELL}<td><p>{FILLER}</p>Letters about these pages go through "
        'the\n<a href="/contact.html">contact</a> page, and they are all read.<br><br>\n'
        "The second half of the\n<i>Notebooks</i> will follow next year.</td></tr></table>",
        title="About these pages",
    )

    essay = imported(path)

    assert paragraphs(essay) == [
        FILLER,
        "Letters about these pages go through the [contact](/contact.html) page, and they are "
        "all read.",
        "The second half of the *Notebooks* will follow next year.",
    ]


def site_of(folder, pages, *, banner="", title="{}"):
    for name, heading in pages.items():
        page(
            folder,
            f"{name}.html",
            f"{banner}<h2>{heading}</h2><p>{heading} is the subject of this page. {FILLER}</p>",
            title=title.format(heading),
        )
    output = run_import(folder, section="research")
    assert f" {len(pages)} created" in output, output
    return {essay.title: essay for essay in Essay.objects.all()}


PAGES = {"goldman": "Emma Goldman in Russia", "anl": "The Anti Nazi League", "serge": "Serge"}


def test_a_banner_heading_on_every_page_is_not_taken_for_their_titles(tmp_path):
    essays = site_of(tmp_path, PAGES, banner='<div id="top"><h1>Rebel Pages</h1></div>')

    assert set(essays) == set(PAGES.values())
    assert {essay.slug for essay in essays.values()} == {
        "emma-goldman-in-russia",
        "the-anti-nazi-league",
        "serge",
    }
    for essay in essays.values():
        assert "Rebel Pages" not in essay.body
        assert not essay.body.startswith("#")  # the page's own heading is its title


def test_a_site_name_before_the_titles_of_the_pages_is_dropped(tmp_path):
    essays = site_of(tmp_path, PAGES, title="Rebel Pages - {}")

    assert set(essays) == set(PAGES.values())


def test_a_site_name_after_the_titles_of_the_pages_is_dropped(tmp_path):
    essays = site_of(tmp_path, PAGES, title="{} :: Rebel Pages")

    assert set(essays) == set(PAGES.values())


@pytest.mark.parametrize(
    "title",
    [
        "Victor Serge - right on the losing side",
        "Orwell — a reassessment",
        "Memoirs of a Revolutionary: a review",
    ],
)
def test_a_subtitle_in_the_title_of_a_single_page_is_kept(tmp_path, title):
    path = page(tmp_path, "one.html", f"<p>{FILLER}</p>", title=title)

    assert imported(path).title == title


def test_a_single_page_loses_the_site_name_from_its_title(tmp_path, settings):
    settings.SITE_NAME = "Rebel Pages"
    path = page(tmp_path, "one.html", f"<p>{FILLER}</p>", title="Rebel Pages - Kronstadt")

    assert imported(path).title == "Kronstadt"


def test_a_page_titled_with_the_site_name_alone_takes_its_first_heading(tmp_path):
    essays = site_of(tmp_path, PAGES, title="Rebel Pages")

    assert set(essays) == set(PAGES.values())


NOTED_TEXT = (
    "<h1>Korsch in exile</h1><p>His short book of 1923 was condemned by the Comintern within "
    'a year.<a href="#n1">[1]</a> He left the German party three years later and never '
    'joined another.<a href="#n2">[2]</a></p>'
    f"<p>{FILLER}</p>"
)


def assert_two_footnotes(essay):
    assert "within a year.[^1]" in essay.body
    assert "never joined another.[^2]" in essay.body
    assert "[^1]: Its title in German was *Marxismus und Philosophie*." in essay.body
    assert "[^2]: He had sat in the Reichstag for the party." in essay.body
    assert "Notes" not in essay.body
    assert essay.body_html.count('class="footnote-ref"') == 2


def test_notes_written_as_lines_of_one_paragraph_become_separate_footnotes(tmp_path):
    path = page(
        tmp_path,
        "korsch.html",
        f"{NOTED_TEXT}<p><b>Notes</b><br>\n"
        '<a name="n1"></a>[1] Its title in German was <i>Marxismus und Philosophie</i>.<br>\n'
        '<a name="n2"></a>[2] He had sat in the Reichstag for the party.</p>',
    )

    assert_two_footnotes(imported(path))


@pytest.mark.parametrize("heading", ["<p><b>Notes</b></p>", "<h3>Notes</h3>"])
def test_notes_under_a_notes_heading_leave_no_heading_behind(tmp_path, heading):
    path = page(
        tmp_path,
        "korsch.html",
        f"{NOTED_TEXT}{heading}"
        '<p><a name="n1">[1]</a> Its title in German was <i>Marxismus und Philosophie</i>.</p>'
        '<p><a name="n2">[2]</a> He had sat in the Reichstag for the party.</p>'
        '<p><font size="1">Last changed in the spring.</font></p>',
    )

    assert_two_footnotes(imported(path))


PIPE_MENU = (
    '<p><a href="/index.html">Home</a> | <a href="/talks.html">Talks</a> | '
    '<a href="/books.html">Books</a> | <a href="/links.html">Links</a></p>'
)


def test_a_menu_of_links_parted_by_bars_at_the_top_and_bottom_of_a_page_is_dropped(tmp_path):
    path = page(
        tmp_path,
        "talks.html",
        f"{PIPE_MENU}<h2>Talks</h2><p>{FILLER}</p><p>{FILLER}</p><hr>{PIPE_MENU}",
        title="Talks",
    )

    essay = imported(path)

    assert "Home" not in essay.body and "Links" not in essay.body
    assert essay.body.endswith("in one place.")


def test_a_row_of_links_that_the_pages_of_a_batch_repeat_is_dropped_wherever_it_is(tmp_path):
    box = '<div><a href="/books.html">The books</a> · <a href="/talks.html">The talks</a></div>'
    for name in ("one", "two"):
        page(
            tmp_path,
            f"{name}.html",
            f"<h1>Page {name}</h1><p>{FILLER}</p>{box}<p>{FILLER} Page {name} ends.</p>",
        )

    run_import(tmp_path, section="research")

    assert Essay.objects.count() == 2
    for essay in Essay.objects.all():
        assert "The books" not in essay.body


def test_a_row_of_links_inside_the_text_of_a_single_page_is_kept(tmp_path):
    path = page(
        tmp_path,
        "kronstadt.html",
        f'<h1>Kronstadt</h1><p>{FILLER}</p><p><a href="/a.html">The sailors</a> | '
        f'<a href="/b.html">The demands</a></p><p>{FILLER}</p>',
    )

    assert "[The sailors](/a.html) | [The demands](/b.html)" in imported(path).body


def test_a_short_paragraph_all_in_bold_is_a_heading_below_the_title(tmp_path):
    path = page(
        tmp_path,
        "novels.htm",
        f"<h1>The novels</h1><p>{FILLER}</p><p><b>Men in Prison</b></p><p>{FILLER}</p>"
        f"<p><strong>Conquered City</strong></p><p>{FILLER}</p>"
        "<p><b>He wrote it in a single winter.</b></p>",
    )

    body = imported(path).body

    assert "\n## Men in Prison\n" in body and "\n## Conquered City\n" in body
    assert "\n**He wrote it in a single winter.**" in body  # a sentence, not a heading


def test_bold_paragraphs_under_the_pages_own_sections_are_one_level_below_them(tmp_path):
    path = page(
        tmp_path,
        "novels.htm",
        f"<h1>The novels</h1><h2>The early books</h2><p>{FILLER}</p>"
        f"<p><b>Men in Prison</b></p><p>{FILLER}</p>",
    )

    body = imported(path).body

    assert body.startswith("## The early books\n") and "\n### Men in Prison\n" in body


def test_a_centred_title_repeating_the_pages_title_is_not_shown_twice(tmp_path):
    path = page(
        tmp_path,
        "novels.htm",
        f'<center><font size="+2"><b>The novels of exile</b></font></center><p>{FILLER}</p>',
        title="The novels of exile",
    )

    essay = imported(path)

    assert essay.title == "The novels of exile"
    assert essay.body == FILLER


def test_a_quotation_set_in_a_table_with_an_empty_first_cell_is_a_blockquote(tmp_path):
    path = page(
        tmp_path,
        "korsch.html",
        f"<h1>Korsch</h1><p>{FILLER} He said as much in a lecture:</p>"
        '<table width="90%"><tr><td width="30">&nbsp;</td><td><i>A theory cut off from the '
        "movement that made it ends as a picture on an office wall.</i></td></tr></table>"
        f"<p>{FILLER}</p>",
    )

    essay = imported(path)

    assert (
        "\n> *A theory cut off from the movement that made it ends as a picture on an office "
        "wall.*\n" in essay.body
    )
    assert "|" not in essay.body
    assert "<blockquote>" in essay.body_html


def test_a_named_anchor_in_or_before_a_heading_still_takes_old_links_to_it(tmp_path):
    page(
        tmp_path,
        "trotsky.html",
        f'<h1>Trotsky</h1><p>{FILLER}</p><p><b><a name="opposition">The Opposition</a></b></p>'
        f'<p>{FILLER}</p><a name="exile"></a>\n<h2>In exile</h2><p>{FILLER}</p>',
    )
    page(
        tmp_path,
        "serge.html",
        f'<h1>Serge</h1><p>{FILLER} See <a href="trotsky.html#opposition">the Opposition</a>'
        ' and <a href="trotsky.html#exile">the exile</a>.</p>',
    )

    run_import(tmp_path, section="research")

    trotsky, serge = Essay.objects.get(title="Trotsky"), Essay.objects.get(title="Serge")
    assert 'id="opposition"' in trotsky.body_html and 'id="exile"' in trotsky.body_html
    assert f'href="{trotsky.get_absolute_url()}#opposition"' in serge.body_html
    assert "\n### The Opposition\n" in trotsky.body and "\n## In exile\n" in trotsky.body


def test_the_pages_title_named_in_bold_inside_a_sentence_stays_in_it(tmp_path):
    path = page(
        tmp_path,
        "serge.html",
        f"<p>A note on <b>Serge</b> and his friends. {FILLER}</p>",
        title="Serge",
    )

    assert imported(path).body.startswith("A note on **Serge** and his friends.")


def test_two_parts_of_a_series_keep_the_name_they_share(tmp_path):
    essays = site_of(
        tmp_path,
        {"one": "Kronstadt - the sailors", "two": "Kronstadt - the demands"},
        title="{}",
    )

    assert set(essays) == {"Kronstadt - the sailors", "Kronstadt - the demands"}


def test_a_date_in_a_meta_tag_that_cannot_be_read_is_reported(tmp_path):
    path = page(
        tmp_path,
        "kronstadt.html",
        f"<h1>Kronstadt</h1><p>{FILLER}</p>",
        title="Kronstadt",
        head='<meta name="date" content="31/02/2005">',
    )

    output = run_import(path, section="research")

    assert "the date '31/02/2005' could not be read" in output
    assert Essay.objects.get().title == "Kronstadt"


def test_line_breaks_an_old_page_made_with_br_stay_line_breaks(tmp_path):
    path = page(
        tmp_path,
        "anthem.html",
        f"<h1>An anthem</h1><p>{FILLER}</p><p>Arise, ye workers<br>from your slumber,<br></p>",
        title="An anthem",
    )

    essay = imported(path)

    assert "Arise, ye workers\\\nfrom your slumber," in essay.body
    assert "Arise, ye workers<br>" in essay.body_html
    assert "slumber,\\" not in essay.body and "slumber,<br>" not in essay.body_html
