import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError
from django.urls import reverse

from essays.exchange import export_site
from essays.models import Essay, Section
from feedback.models import BlockedWord, Feedback
from tests.factories import make_essay, make_feedback, make_person, make_section

from .conftest import run, wipe_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    section = make_section(title="History", slug="history")
    make_essay(title="Kept", slug="kept", section=section, tags=["Anarchism"])
    make_person(name="Victor Serge", slug="victor-serge")


def test_importing_into_a_site_with_content_is_refused_and_changes_nothing(site, archive_path):
    run("export_site", str(archive_path))
    make_essay(title="Written since", slug="written-since")

    with pytest.raises(CommandError) as error:
        run("import_site", str(archive_path))

    assert "The database is not empty (2 sections, 1 tags, 1 people, 2 essays)" in str(error.value)
    assert "--replace" in str(error.value)
    assert set(Essay.objects.values_list("slug", flat=True)) == {"kept", "written-since"}


def test_replace_puts_the_site_back_as_the_archive_has_it(site, archive_path, client):
    run("export_site", str(archive_path))
    make_essay(title="Written since", slug="written-since")
    Essay.objects.filter(slug="kept").update(title="Renamed")

    output, _ = run("import_site", str(archive_path), "--replace")

    assert list(Essay.objects.values_list("slug", "title")) == [("kept", "Kept")]
    assert Section.objects.get().slug == "history"
    assert "Imported" in output and "      1  essays" in output
    assert client.get(reverse("essays:detail", args=["written-since"])).status_code == 404


def test_both_commands_show_progress_on_stderr_and_counts_on_stdout(site, archive_path):
    output, progress = run("export_site", str(archive_path))
    assert "      1  essays" in output and "      1  people" in output
    assert "essays: 100%" in progress

    wipe_content()
    output, progress = run("import_site", str(archive_path))
    assert "      1  essays" in output
    assert "essays: 100%" in progress and "search index" in progress


def test_verbosity_zero_is_silent(site, archive_path):
    assert run("export_site", str(archive_path), "-v0") == ("", "")
    wipe_content()
    assert run("import_site", str(archive_path), "-v0") == ("", "")
    assert Essay.objects.get().slug == "kept"


def test_an_export_into_a_folder_that_does_not_exist_is_reported(tmp_path):
    with pytest.raises(CommandError, match="no folder"):
        run("export_site", str(tmp_path / "missing" / "site.zip"))


def test_feedback_stays_out_of_an_export_unless_asked_for(site, archive_path):
    make_feedback(message="Thanks for the Serge essay.")

    run("export_site", str(archive_path))

    with zipfile.ZipFile(archive_path) as zipped:
        assert "feedback.json" not in zipped.namelist()


def test_feedback_and_blocked_words_travel_with_with_feedback(site, archive_path):
    make_feedback(message="Thanks for the Serge essay.", email="reader@example.org")
    BlockedWord.objects.create(word="roulette")
    words = sorted(BlockedWord.objects.values_list("word", flat=True))
    received = Feedback.objects.get().received_at

    run("export_site", str(archive_path), "--with-feedback")
    wipe_content()
    Feedback.objects.all().delete()
    BlockedWord.objects.all().delete()
    run("import_site", str(archive_path))

    assert list(Feedback.objects.values_list("message", "email", "received_at")) == [
        ("Thanks for the Serge essay.", "reader@example.org", received)
    ]
    assert sorted(BlockedWord.objects.values_list("word", flat=True)) == words


def test_an_archive_with_feedback_is_refused_where_feedback_exists(site, archive_path):
    make_feedback(message="Old message.")
    run("export_site", str(archive_path), "--with-feedback")
    wipe_content()

    with pytest.raises(CommandError, match="1 feedback"):
        run("import_site", str(archive_path))


def test_the_export_reads_each_kind_in_a_few_queries_whatever_its_size(
    site, tmp_path, django_assert_max_num_queries
):
    for number in range(30):
        make_essay(title=f"Essay {number}", tags=["Anarchism", f"Tag {number}"])

    # Each kind is a few queries: 39 with site settings and essay authors.
    with django_assert_max_num_queries(39):
        export_site(tmp_path / "site.zip", with_feedback=True)


@pytest.mark.skipif(
    not apps.is_installed("django.contrib.redirects"), reason="the redirects app is not installed"
)
def test_redirects_travel_with_the_site(site, archive_path):
    from django.contrib.redirects.models import Redirect
    from django.contrib.sites.models import Site

    Redirect.objects.create(site=Site.objects.get_current(), old_path="/serge.html", new_path="/")
    run("export_site", str(archive_path))
    wipe_content()
    Redirect.objects.all().delete()

    run("import_site", str(archive_path))

    assert list(Redirect.objects.values_list("site", "old_path", "new_path")) == [
        (Site.objects.get_current().pk, "/serge.html", "/")
    ]
