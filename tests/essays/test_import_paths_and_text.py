"""
Importing the way editors hand files over: one file out of a mirrored site,
a zip made with "Compress", links to pages not imported yet, the odd files a
mirror holds, dates written by hand, and plain text saved from a browser.
"""

import datetime
import io

import pytest
from PIL import Image

from essays.models import Essay
from tests.essays.import_helpers import run_import
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
