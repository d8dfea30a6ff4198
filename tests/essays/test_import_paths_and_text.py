"""
Importing the way editors hand files over: one file out of a mirrored site,
a zip made with "Compress", links to pages not imported yet, the odd files a
mirror holds, dates written by hand, and plain text saved from a browser.
"""

import datetime
import io
import zipfile

import pytest
from PIL import Image

from essays.models import Essay
from tests.essays.import_helpers import media_files, run_import
from tests.factories import make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    return {
        slug: make_section(title=slug.title(), slug=slug)
        for slug in ("history", "reviews", "notes")
    }


def write(folder, relpath, text):
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, "PNG")
    return buffer.getvalue()


def page(title, body, head=""):
    return (
        f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}</body></html>"
    )


LONG = (
    "The strike committee met every evening in the back room of the co-operative hall, "
    "and its minutes, kept in a school exercise book, survive in the county archive."
)


# 5. Dates written by hand


def test_a_british_numeric_date_in_a_meta_tag_is_day_first(sections, tmp_path):
    write(
        tmp_path,
        "history/strike.html",
        page("The dockers' strike", f"<p>{LONG}</p>", '<meta name="date" content="03/11/1998">'),
    )

    run_import(tmp_path, base_url="/")

    essay = Essay.objects.get()
    assert essay.published_at == datetime.datetime(1998, 11, 3, tzinfo=datetime.UTC)


def test_front_matter_dates_with_a_month_name_are_read(sections, tmp_path):
    write(tmp_path, "a.md", f"---\ntitle: One\nsection: notes\ndate: 7 June 2001\n---\n{LONG}\n")
    write(tmp_path, "b.md", f"---\ntitle: Two\nsection: notes\ndate: June 2001\n---\n{LONG}\n")

    output = run_import(tmp_path)

    assert Essay.objects.get(title="One").published_at == datetime.datetime(
        2001, 6, 7, tzinfo=datetime.UTC
    )
    assert Essay.objects.get(title="Two").published_at == datetime.datetime(
        2001, 6, 1, tzinfo=datetime.UTC
    )
    assert "warning" not in output


def test_a_date_line_under_a_plain_text_title_is_the_essays_date_not_a_heading(sections, tmp_path):
    write(tmp_path, "strike.txt", f"The dockers' strike\n\n7 June 2001\n\n{LONG}\n")

    run_import(tmp_path, section="history")

    essay = Essay.objects.get()
    assert essay.published_at == datetime.datetime(2001, 6, 7, tzinfo=datetime.UTC)
    assert "June" not in essay.body


def test_a_date_line_that_cannot_be_read_is_reported(sections, tmp_path):
    write(tmp_path, "strike.txt", f"The dockers' strike\n31/02/2001\n\n{LONG}\n")

    output = run_import(tmp_path, section="history")

    assert "the date line '31/02/2001' could not be read" in output
    assert "31/02/2001" not in Essay.objects.get().body


# 6. Plain text


def test_a_last_sentence_with_a_note_marker_is_not_a_heading(sections, tmp_path):
    write(
        tmp_path,
        "strike.txt",
        f"The dockers' strike\n\n{LONG}[1]\n\nThe strike ended in a week.[2]\n\n"
        "Notes\n\n[1] County archive, box 12.\n[2] Local paper, 9 June.\n",
    )

    run_import(tmp_path, section="history")

    body = Essay.objects.get().body
    assert "\n\nThe strike ended in a week.[^2]\n\n" in body
    assert "## " not in body


def test_a_heading_a_colon_and_notes_stand_alone_without_a_blank_line_after_them(
    sections, tmp_path
):
    write(
        tmp_path,
        "strike.txt",
        f"The dockers' strike\n\n{LONG}\n\n"
        "The committee\n"
        "Its members were elected at the gate each Monday, and anyone could stand.[1]\n\n"
        "The chairman put the mood of the meeting in one sentence:\n"
        "We will go back together or not at all, whatever the employers offer to the few.\n\n"
        "Notes\n"
        "[1] Minutes of the first meeting.\n",
    )

    run_import(tmp_path, section="history")

    body = Essay.objects.get().body
    assert "\n\n## The committee\n\nIts members were elected" in body
    assert "in one sentence:\n\n> We will go back together" in body
    assert "[^1]: Minutes of the first meeting." in body


def test_a_paragraph_wrapped_by_hand_stays_one_paragraph(sections, tmp_path):
    write(
        tmp_path,
        "strike.txt",
        "The dockers' strike\n\n"
        "The strike committee met every evening in the\n"
        "back room of the co-operative hall, and its\n"
        "minutes survive in the county archive.\n",
    )

    run_import(tmp_path, section="history")

    body = Essay.objects.get().body
    assert body == (
        "The strike committee met every evening in the back room of the co-operative hall, "
        "and its minutes survive in the county archive.\n"
    )


# 1. One file of a mirror, imported on its own


@pytest.fixture
def mirror(tmp_path):
    """A mirrored site: a page, an image, and a draft that links to both with ../"""
    site = tmp_path / "site"
    write(site, "history/strike.html", page("The dockers' strike", f"<p>{LONG}</p>"))
    (site / "images").mkdir()
    (site / "images" / "gate.png").write_bytes(png("navy"))
    write(
        site,
        "notes/draft.md",
        "---\ntitle: Notes on the strike\nsection: notes\nlegacy_url: /notes/strike-notes.html\n"
        "---\n"
        f"This follows [the page on the strike](../history/strike.html).\n\n"
        f"![The gate in 1972](../images/gate.png)\n\n{LONG}\n",
    )
    return site


def test_updating_one_file_of_a_mirror_keeps_its_images_and_links(sections, mirror, settings):
    run_import(mirror, base_url="/")
    draft = Essay.objects.get(import_source="/notes/strike-notes.html")
    (image,) = media_files(settings)
    assert f"![The gate in 1972](/media/{image})" in draft.body
    path = mirror / "notes" / "draft.md"
    path.write_text(path.read_text().replace("every evening", "every night"))

    output = run_import(path, base_url="/", update=True)

    assert "1 updated" in output and "left out" not in output and "warning" not in output
    draft = Essay.objects.get(pk=draft.pk)
    assert "met every night" in draft.body
    assert "[the page on the strike](/essays/the-dockers-strike/)" in draft.body
    assert f"![The gate in 1972](/media/{image})" in draft.body
    assert media_files(settings) == [image]
    assert Essay.objects.count() == 2


def test_updating_one_unchanged_file_of_a_mirror_changes_nothing(sections, mirror):
    run_import(mirror, base_url="/")
    before = Essay.objects.get(import_source="/notes/strike-notes.html")

    output = run_import(mirror / "notes" / "draft.md", base_url="/", update=True)

    assert "1 unchanged" in output
    after = Essay.objects.get(pk=before.pk)
    assert (after.body, after.updated_at) == (before.body, before.updated_at)


def test_a_file_on_its_own_shows_an_image_from_a_folder_beside_its_own(
    sections, tmp_path, settings
):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "hall.png").write_bytes(png("olive"))
    draft = write(
        tmp_path,
        "drafts/hall.md",
        f"---\ntitle: The hall\nsection: notes\n---\n![The hall](../pictures/hall.png)\n\n{LONG}\n",
    )

    output = run_import(draft)

    (image,) = media_files(settings)
    assert f"![The hall](/media/{image})" in Essay.objects.get().body
    assert "left out" not in output


def test_an_uploaded_file_never_reads_an_image_beside_the_upload_folder(
    admin_client, sections, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from essays.admin_import import batch_root

    batch_root().mkdir(parents=True, exist_ok=True)
    (batch_root() / "private.png").write_bytes(png("red"))
    draft = f"---\ntitle: Prying\nsection: notes\n---\n![x](../private.png)\n\n{LONG}\n"

    response = admin_client.post(
        reverse("admin:essays_essay_import"),
        {"files": [SimpleUploadedFile("prying.md", draft.encode())]},
    )

    assert "image ../private.png left out: not found in the batch" in response.content.decode()
    assert media_files(settings) == []


# 2. A zip made by "Compress": one folder holding the whole site


def test_the_one_top_folder_of_a_zip_is_not_part_of_the_old_addresses(sections, tmp_path, settings):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("oldsite/", "")
        zipped.writestr(
            "oldsite/history/strike.html",
            page("The dockers' strike", f'<p>{LONG}</p><p><img src="../images/gate.png"></p>'),
        )
        zipped.writestr("oldsite/images/gate.png", png("navy"))
        zipped.writestr("__MACOSX/oldsite/history/._strike.html", b"\x00\x05\x16\x07")

    output = run_import(archive, base_url="/")

    essay = Essay.objects.get()
    assert essay.import_source == "/history/strike.html"
    assert essay.section.slug == "history"
    assert len(media_files(settings)) == 1
    assert "site.zip:history/strike.html" in output and "1 file:" in output


# 3. Links to pages not imported (yet)


def test_links_to_pages_not_imported_point_at_their_old_addresses(sections, tmp_path):
    write(tmp_path, "history/index.html", page("History", f"<p>{LONG}</p>"))
    write(
        tmp_path,
        "history/strike.html",
        page(
            "The dockers' strike",
            f"<p>{LONG} See <a href='../reviews/pickets.html#top'>the review</a>, "
            "<a href='aftermath.html'>the aftermath</a>, <a href='./'>the history pages</a>, "
            "<a href='/reviews/'>all reviews</a> and <a href='../'>the home page</a>.</p>",
        ),
    )

    output = run_import(tmp_path, base_url="/")

    body = Essay.objects.get(title="The dockers' strike").body
    assert "[the review](/reviews/pickets.html#top)" in body
    assert "[the aftermath](/history/aftermath.html)" in body
    assert "[the history pages](/essays/history/)" in body
    assert "[all reviews](/reviews/)" in body
    assert "[the home page](/)" in body
    assert "4 link(s) to old pages that are not imported, pointed at their old addresses" in output


def test_without_an_old_address_links_to_pages_not_imported_are_left_as_they_were(
    sections, tmp_path
):
    write(
        tmp_path,
        "strike.html",
        page("The dockers' strike", f"<p>{LONG} See <a href='pickets.html'>the review</a>.</p>"),
    )

    output = run_import(tmp_path, section="history")

    assert "[the review](pickets.html)" in Essay.objects.get().body
    assert "1 link(s) to old pages that are not imported, left as they were" in output


def test_a_file_whose_old_address_is_given_points_its_links_from_there(sections, tmp_path):
    (tmp_path / "strike.md").write_text(
        "---\ntitle: The dockers' strike\nlegacy_url: /history/strike.html\n---\n\n"
        "See [the review](../reviews/pickets.html) and [the aftermath](aftermath.html).\n"
    )

    run_import(tmp_path, section="history")

    body = Essay.objects.get().body
    assert "[the review](/reviews/pickets.html)" in body
    assert "[the aftermath](/history/aftermath.html)" in body


# 4. What a mirror holds beside its pages


def test_robots_txt_and_other_files_for_machines_are_not_imported(sections, tmp_path):
    write(tmp_path, "history/strike.html", page("The dockers' strike", f"<p>{LONG}</p>"))
    write(tmp_path, "robots.txt", "User-agent: *\nDisallow: /cgi-bin/\n")
    write(tmp_path, "sitemap.xml", '<?xml version="1.0"?><urlset></urlset>\n')
    write(tmp_path, "history/feed.rss", "<rss><channel><title>News</title></channel></rss>\n")
    (tmp_path / "history" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" * 64)

    output = run_import(tmp_path, base_url="/")

    assert list(Essay.objects.values_list("title", flat=True)) == ["The dockers' strike"]
    assert "1 file: 1 created" in output
    assert "robots.txt" not in output and "Thumbs.db" not in output
