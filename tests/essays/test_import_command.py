import datetime
from pathlib import Path

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError
from PIL import Image

from essays.models import Essay
from sergesite.redirects import old_addresses
from tests.essays.import_helpers import FIXTURES, copy_fixture, media_files, run_import
from tests.factories import make_essay, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def research():
    return make_section(title="Research", slug="research")


def test_a_mirrored_site_becomes_draft_essays_keyed_by_their_old_addresses(research):
    output = run_import(FIXTURES / "mirror", section="research", base_url="/")

    league = Essay.objects.get(import_source="/anl/anl.html")
    chapter = Essay.objects.get(import_source="/books/dissident.html")
    assert league.title == "The Anti Nazi League"
    assert chapter.title == "Dissident Marxism"
    assert (league.slug, league.section, league.status) == (
        "the-anti-nazi-league",
        research,
        "draft",
    )
    assert old_addresses(league) == ["/anl/anl.html"]
    assert league.published_at == datetime.datetime(1999, 5, 2, tzinfo=datetime.UTC)
    assert league.summary == "How a campaign against the far right grew in the late seventies."
    assert "2 files: 2 created, 0 updated, 0 unchanged, 0 skipped, 0 failed." in output
    assert (
        '"The Anti Nazi League" /essays/the-anti-nazi-league/ '
        "(2 headings, 1 quotation, 2 footnotes, 1 image)" in output
    )


def test_links_between_the_imported_pages_point_at_their_new_addresses(research):
    run_import(FIXTURES / "mirror", section="research", base_url="/")

    league = Essay.objects.get(import_source="/anl/anl.html")
    chapter = Essay.objects.get(import_source="/books/dissident.html")
    assert "[the book chapter](/essays/dissident-marxism/#left)" in league.body
    assert "[the page on the league](/essays/the-anti-nazi-league/)" in chapter.body
    assert 'href="/essays/the-anti-nazi-league/"' in chapter.body_html


def test_a_local_image_is_re_encoded_into_media_and_the_body_points_at_it(research, settings):
    run_import(FIXTURES / "mirror", section="research", base_url="/")

    (stored,) = media_files(settings)
    league = Essay.objects.get(import_source="/anl/anl.html")
    assert stored.startswith("uploads/imported/") and stored.endswith(".png")
    assert f"![A crowd at the 1978 carnival](/media/{stored})" in league.body
    assert f'<img alt="A crowd at the 1978 carnival" src="/media/{stored}">' in league.body_html
    with Image.open(Path(settings.MEDIA_ROOT) / stored) as image:
        assert (image.format, image.size) == ("PNG", (40, 30))


def test_a_second_import_changes_nothing(research, settings):
    run_import(FIXTURES, section="research", base_url="/")
    before = list(Essay.objects.order_by("pk").values_list("pk", "slug", "body", "updated_at"))
    files_before = media_files(settings)
    redirects_before = list(Redirect.objects.values_list("old_path", "new_path"))

    output = run_import(FIXTURES, section="research", base_url="/")

    assert list(Essay.objects.order_by("pk").values_list("pk", "slug", "body", "updated_at")) == (
        before
    )
    assert media_files(settings) == files_before
    assert list(Redirect.objects.values_list("old_path", "new_path")) == redirects_before
    assert "6 files: 0 created, 0 updated, 5 unchanged, 0 skipped, 1 failed." in output


def test_a_changed_file_is_skipped_until_update_is_asked_for(research, tmp_path):
    page = copy_fixture("front-matter.md", tmp_path)
    run_import(page)
    essay = Essay.objects.get()
    page.write_text(page.read_text().replace("a school of self-government", "a rehearsal"))

    skipped = run_import(page)
    assert "skipped" in skipped and "already imported and its text differs" in skipped
    assert "use --update" in skipped
    assert "a school of self-government" in Essay.objects.get().body

    updated = run_import(page, update=True)
    assert "1 updated" in updated
    essay_after = Essay.objects.get()
    assert essay_after.pk == essay.pk and essay_after.slug == "council-communism"
    assert "a rehearsal" in essay_after.body and "a rehearsal" in essay_after.body_html


def test_a_slug_taken_by_another_essay_gets_a_new_slug_and_a_warning(research):
    other = make_essay(title="Someone else's essay", slug="the-anti-nazi-league", body="Mine.")

    output = run_import(FIXTURES / "mirror" / "anl" / "anl.html", section="research")

    imported = Essay.objects.exclude(pk=other.pk).get()
    assert imported.slug == "the-anti-nazi-league-2"
    assert Essay.objects.get(pk=other.pk).body == "Mine."
    assert "the slug 'the-anti-nazi-league' is taken by another essay" in output


def test_without_an_old_address_an_essay_is_keyed_by_its_file(research):
    path = FIXTURES / "saved-page.txt"

    run_import(path, section="research")
    run_import(path, section="research")

    assert Essay.objects.get().import_source == str(path)


def test_legacy_url_gives_one_file_its_old_address(research):
    run_import(FIXTURES / "saved-page.txt", section="research", legacy_url="/history/kron.html")

    essay = Essay.objects.get()
    assert essay.import_source == "/history/kron.html"
    assert old_addresses(essay) == ["/history/kron.html"]


def test_legacy_url_with_several_files_is_refused(research):
    with pytest.raises(CommandError, match="--legacy-url names the old address of one file"):
        run_import(FIXTURES / "mirror", section="research", legacy_url="/x.html")

    assert not Essay.objects.exists()


def test_status_and_date_options_apply_to_files_that_do_not_say(research):
    run_import(
        FIXTURES / "saved-page.txt", section="research", status="published", date="2005-02-01"
    )

    essay = Essay.objects.get()
    assert essay.status == "published"
    assert essay.published_at == datetime.datetime(2005, 2, 1, tzinfo=datetime.UTC)


def test_an_unknown_section_is_a_clear_error(research):
    with pytest.raises(CommandError, match="No section 'nowhere'. Sections: research."):
        run_import(FIXTURES / "saved-page.txt", section="nowhere")


def test_a_file_without_any_section_is_reported_and_not_imported():
    output = run_import(FIXTURES / "saved-page.txt")

    assert "failed" in output and "no section" in output
    assert not Essay.objects.exists()


def test_a_dry_run_reports_everything_and_writes_nothing(research, settings):
    output = run_import(FIXTURES, section="research", base_url="/", dry_run=True)

    assert not Essay.objects.exists() and not Redirect.objects.exists()
    assert media_files(settings) == []
    assert "Dry run, nothing written: 6 files: 5 created" in output
    assert "(2 headings, 1 quotation, 2 footnotes, 1 image)" in output


def test_quiet_mode_prints_only_failures_and_the_summary(research):
    output = run_import(FIXTURES, section="research", verbosity=0)

    lines = output.strip().splitlines()
    assert lines[0].startswith("failed") and "broken.html" in lines[0]
    assert lines[1].startswith("6 files: 5 created")
    assert len(lines) == 2


def test_a_published_essays_old_addresses_redirect_to_it(research, client):
    run_import(FIXTURES / "front-matter.md")

    essay = Essay.objects.get()
    for old in ["/research/councils.html", "/research/councils-old.html"]:
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == essay.get_absolute_url()


def test_an_old_address_that_already_leads_elsewhere_is_reported_not_taken(research):
    other = make_essay(title="Already there", slug="already-there")
    Redirect.objects.create(
        site_id=1, old_path="/research/councils.html", new_path=other.get_absolute_url()
    )

    output = run_import(FIXTURES / "front-matter.md")

    assert "old address /research/councils.html not redirected: " in output
    assert (
        Redirect.objects.get(old_path="/research/councils.html").new_path
        == "/essays/already-there/"
    )
    assert old_addresses(Essay.objects.get(slug="council-communism")) == [
        "/research/councils-old.html"
    ]


def test_a_page_labelled_latin_1_but_typed_in_windows_1252_keeps_its_quotes_and_dashes(
    research, tmp_path
):
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Serge in exile</title></head>'
        "<body><h1>Serge in exile</h1><p>He called it \x93the midnight of the century\x94 "
        "\x96 and meant it\x85 He wrote from the caf\xe9.</p></body></html>"
    )
    (tmp_path / "exile.html").write_bytes(page.encode("latin-1"))

    run_import(tmp_path / "exile.html", section="research")

    body = Essay.objects.get().body
    assert "He called it \u201cthe midnight of the century\u201d \u2013 and meant it\u2026" in body
    assert "caf\u00e9" in body
    assert not any("\x80" <= char <= "\x9f" for char in body)


def test_tags_that_differ_from_the_sites_only_in_case_leave_a_second_run_unchanged(
    research, tmp_path
):
    make_essay(title="Older", slug="older", tags=["Council communism"])
    (tmp_path / "korsch.md").write_text(
        "---\ntitle: Korsch\ntags: [council communism, Russia]\n---\n\nKarl Korsch wrote.\n"
    )
    run_import(tmp_path, section="research")

    again = run_import(tmp_path, section="research")
    updated = run_import(tmp_path, section="research", update=True)

    assert "1 unchanged" in again and "1 unchanged" in updated
    assert sorted(t.name for t in Essay.objects.get(slug="korsch").tags.all()) == [
        "Council communism",
        "Russia",
    ]


def test_a_top_folder_named_like_a_section_wins_over_the_section_option(research, tmp_path):
    books = make_section(title="Books", slug="books")
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "novels.md").write_text("---\ntitle: Novels\n---\n\nSerge wrote.\n")
    (tmp_path / "loose.md").write_text("---\ntitle: Loose\n---\n\nA page of its own.\n")

    run_import(tmp_path, section="research", base_url="/")
    run_import(tmp_path, section="research", base_url="/", update=True)

    assert Essay.objects.get(title="Novels").section == books
    assert Essay.objects.get(title="Loose").section == research


def test_a_skipped_file_says_what_differs_from_the_stored_essay(research, tmp_path):
    page = copy_fixture("front-matter.md", tmp_path)
    run_import(page)
    page.write_text(
        page.read_text()
        .replace("summary: What became", "summary: Whatever became")
        .replace("tags: [Council communism, Karl Korsch]", "tags: [Council communism]")
    )

    skipped = run_import(page)

    assert "already imported and the file differs in summary, tags: use --update" in skipped


def test_an_essay_imported_before_keeps_its_section_when_its_file_names_none(research, tmp_path):
    books = make_section(title="Books", slug="books")
    page = tmp_path / "novels.md"
    page.write_text("---\ntitle: Novels\nlegacy_url: /books/novels.html\n---\n\nSerge wrote.\n")
    run_import(page, section="books")
    page.write_text(page.read_text().replace("Serge wrote.", "Serge wrote novels."))

    without = run_import(page, update=True)
    elsewhere = run_import(page, section="research", update=True)

    assert "1 updated" in without and "0 failed" in elsewhere
    essay = Essay.objects.get()
    assert essay.section == books and "novels" in essay.body


def test_a_new_file_with_no_section_is_refused_with_the_sections_to_choose_from(research, tmp_path):
    (tmp_path / "strays").mkdir()
    (tmp_path / "strays" / "page.md").write_text("---\ntitle: A stray\n---\n\nText.\n")

    output = run_import(tmp_path, base_url="/")

    assert "no section: give --section, a 'section:' in the front matter" in output
    assert "a top folder named like a section (not 'strays')" in output
    assert "Sections: research." in output
    assert not Essay.objects.exists()


def test_the_old_sites_name_given_is_taken_off_a_lone_pages_title(research, tmp_path):
    page = tmp_path / "anl.html"
    page.write_text(
        "<html><head><title>Writings on the Left - The Anti Nazi League</title></head><body>"
        "<h1>Writings on the Left</h1><p>The league was launched in 1977, and its carnivals "
        "drew tens of thousands who had never been to a political meeting.</p></body></html>"
    )

    run_import(page, section="research", site_name="Writings on the Left")

    assert Essay.objects.get().title == "The Anti Nazi League"


def test_a_page_imported_alone_after_its_folder_says_how_to_update_the_first_one(
    research, tmp_path
):
    run_import(FIXTURES / "mirror", section="research", base_url="/")

    output = run_import(FIXTURES / "mirror" / "anl" / "anl.html", section="research")

    assert "to update it, give --legacy-url /anl/anl.html" in output
