import io

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from essays.management.commands import import_redirects as import_redirects_command
from essays.models import Essay
from sergesite.redirects import add_old_address, normalise_path, old_addresses
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.django_db


def redirect_map():
    return dict(Redirect.objects.values_list("old_path", "new_path"))


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


# --- The API an importer calls ----------------------------------------------


def test_an_old_address_leads_permanently_to_its_essay(client, debug):
    essay = make_essay(slug="serge")
    add_old_address("/serge.html", essay)

    response = client.get("/serge.html")

    assert response.status_code == 301
    assert response["Location"] == "/essays/serge/"


def test_an_essay_can_have_several_old_addresses(client):
    essay = make_essay(slug="serge")
    add_old_address("/serge.html", essay)
    add_old_address("/old/victor-serge.htm", essay)

    assert old_addresses(essay) == ["/old/victor-serge.htm", "/serge.html"]
    assert client.get("/old/victor-serge.htm")["Location"] == "/essays/serge/"


def test_adding_the_same_old_address_twice_changes_nothing():
    essay = make_essay(slug="serge")
    add_old_address("/serge.html", essay)
    add_old_address("http://old.example.org/serge.html?x=1", essay)

    assert redirect_map() == {"/serge.html": "/essays/serge/"}


def test_an_old_address_already_leading_elsewhere_is_refused():
    add_old_address("/serge.html", make_essay(slug="serge"))

    with pytest.raises(ValidationError, match="already leads to /essays/serge/"):
        add_old_address("/serge.html", make_essay(slug="other"))
    assert redirect_map() == {"/serge.html": "/essays/serge/"}


def test_a_page_cannot_be_its_own_old_address():
    essay = make_essay(slug="serge")

    with pytest.raises(ValidationError, match="itself"):
        add_old_address("/essays/serge/", essay)
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("serge.html", "/serge.html"),
        ("  /serge.html  ", "/serge.html"),
        ("https://www.old.example.org/texts/serge.html", "/texts/serge.html"),
        ("//old.example.org/serge.html", "/serge.html"),
        ("/serge.php?id=3#notes", "/serge.php"),
        ("/caf%C3%A9.html", "/café.html"),
    ],
)
def test_old_addresses_are_stored_as_bare_paths(given, stored):
    assert normalise_path(given) == stored


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "mailto:someone@example.org",
        "javascript:alert(1)",
        "/a\x00b",
        "/a/../b",
        "/" + "x" * 200,
    ],
)
def test_junk_is_not_an_old_address(junk):
    with pytest.raises(ValidationError):
        add_old_address(junk, make_essay())
    assert not Redirect.objects.exists()


def test_an_old_address_with_non_ascii_letters_redirects(client):
    essay = make_essay(slug="троцкий")
    add_old_address("/статьи/троцкий.html", essay)

    response = client.get(
        "/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D0%B8/%D1%82%D1%80%D0%BE%D1%86%D0%BA%D0%B8%D0%B9.html"
    )

    assert response.status_code == 301
    assert client.get(response["Location"]).context["essay"] == essay


# --- Who may follow a redirect ------------------------------------------------


def test_an_old_address_of_a_draft_is_a_plain_not_found_for_readers(client, debug):
    draft = make_essay(slug="secret-draft", published=False)
    add_old_address("/secret.html", draft)

    response = client.get("/secret.html")

    assert response.status_code == 404
    assert "secret-draft" not in response.get("Location", "")
    assert b"secret-draft" not in response.content


def test_staff_follow_an_old_address_to_a_draft(admin_client):
    draft = make_essay(slug="secret-draft", published=False)
    add_old_address("/secret.html", draft)

    assert admin_client.get("/secret.html")["Location"] == "/essays/secret-draft/"


def test_an_unknown_address_is_still_not_found(client, debug):
    assert client.get("/no/such/page.html").status_code == 404


def test_a_form_sent_to_an_old_address_is_not_redirected(client):
    add_old_address("/serge.html", make_essay(slug="serge"))

    assert client.post("/serge.html").status_code == 404


def test_following_an_old_address_costs_few_queries(client, django_assert_max_num_queries):
    add_old_address("/serge.html", make_essay(slug="serge"))

    with django_assert_max_num_queries(12):
        response = client.get("/serge.html")
    assert response.status_code == 301


# --- Changing a slug ----------------------------------------------------------


def test_changing_an_essays_slug_keeps_its_old_address(client, debug):
    essay = make_essay(slug="first")

    essay.slug = "second"
    essay.save()

    response = client.get("/essays/first/")
    assert response.status_code == 301
    assert response["Location"] == "/essays/second/"


@pytest.mark.parametrize(
    ("make", "prefix"),
    [(make_section, "/sections/"), (make_person, "/people/"), (make_work, "/works/")],
)
def test_changing_the_slug_of_a_section_person_or_work_keeps_its_old_address(client, make, prefix):
    record = make(slug="first")

    record.slug = "second"
    record.save()

    response = client.get(f"{prefix}first/")
    assert response.status_code == 301
    assert response["Location"] == f"{prefix}second/"


def test_saving_without_changing_the_slug_adds_no_redirect():
    essay = make_essay(slug="first")

    essay.title = "A new title"
    essay.save()

    assert not Redirect.objects.exists()


def test_chains_collapse_to_the_current_address():
    essay = make_essay(slug="a")
    add_old_address("/a.html", essay)

    for slug in ("b", "c"):
        essay.slug = slug
        essay.save()

    assert redirect_map() == {
        "/a.html": "/essays/c/",
        "/essays/a/": "/essays/c/",
        "/essays/b/": "/essays/c/",
    }


def test_moving_back_to_an_old_slug_deletes_the_redirect_instead_of_looping(client):
    essay = make_essay(slug="a")
    essay.slug = "b"
    essay.save()

    essay.slug = "a"
    essay.save()

    assert redirect_map() == {"/essays/b/": "/essays/a/"}
    assert client.get("/essays/a/").status_code == 200


def test_a_new_page_at_a_redirected_address_removes_the_redirect(client):
    essay = make_essay(slug="a")
    essay.slug = "b"
    essay.save()

    make_essay(title="A newcomer", slug="a")

    assert redirect_map() == {}
    assert client.get("/essays/a/").status_code == 200


def test_a_slug_change_that_fails_leaves_no_redirect():
    make_essay(slug="taken")
    essay = make_essay(slug="first")

    essay.slug = "taken"
    with pytest.raises(IntegrityError), transaction.atomic():
        essay.save()

    assert not Redirect.objects.exists()
    assert Essay.objects.get(pk=essay.pk).slug == "first"


# --- The sites framework's placeholder domain never shows -------------------


def test_the_sitemap_and_feeds_use_the_host_they_were_asked_on(client, settings):
    settings.ALLOWED_HOSTS = ["www.serge.test"]
    essay = make_essay(slug="serge")

    # The sitemap's index names its pages on this host; the essays' page, the essays.
    index = client.get(reverse("sitemap-xml"), HTTP_HOST="www.serge.test").content.decode()
    assert "http://www.serge.test/sitemap-essays.xml" in index
    assert "example.com" not in index
    urls = [reverse("sitemap-section", args=["essays"])]
    urls += [reverse("essays:feed"), reverse("essays:feed-atom")]
    for url in urls:
        text = client.get(url, HTTP_HOST="www.serge.test").content.decode()

        assert f"http://www.serge.test{essay.get_absolute_url()}" in text, url
        assert "example.com" not in text, url


def test_view_on_site_in_the_admin_stays_on_the_editors_host(admin_client):
    person = make_person(slug="victor-serge")
    content_type = ContentType.objects.get_for_model(person)

    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, person.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/people/victor-serge/"


def test_view_on_site_is_for_staff_only(client):
    person = make_person(slug="victor-serge")
    content_type = ContentType.objects.get_for_model(person)

    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, person.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_view_on_site_of_a_missing_record_is_not_found(admin_client):
    content_type = ContentType.objects.get_for_model(Essay)

    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, 999]))

    assert response.status_code == 404


# --- The essay admin's "Old addresses" field ----------------------------------


def essay_form(essay, **changes):
    data = {
        "title": essay.title,
        "slug": essay.slug,
        "section": essay.section_id,
        "author": "",
        "summary": "",
        "body": essay.body,
        "status": essay.status,
        "published_at_0": essay.published_at.strftime("%Y-%m-%d"),
        "published_at_1": essay.published_at.strftime("%H:%M:%S"),
        "tags": "",
        "old_addresses": "",
        # The mentions inline, left as it is.
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def change_essay(admin_client, essay, **changes):
    return admin_client.post(
        reverse("admin:essays_essay_change", args=[essay.pk]), essay_form(essay, **changes)
    )


def test_the_essay_admin_shows_the_old_addresses_of_an_essay(admin_client):
    essay = make_essay(slug="serge")
    add_old_address("/serge.html", essay)
    add_old_address("/texts/serge.htm", essay)

    response = admin_client.get(reverse("admin:essays_essay_change", args=[essay.pk]))

    assert response.context["adminform"].form["old_addresses"].value() == (
        "/serge.html\n/texts/serge.htm"
    )


def test_an_editor_adds_and_removes_old_addresses_in_the_essay_admin(admin_client):
    essay = make_essay(slug="serge")
    add_old_address("/serge.html", essay)

    response = change_essay(
        admin_client, essay, old_addresses="http://old.example.org/victor.html\n\n/texts/serge.htm"
    )

    assert response.status_code == 302
    assert redirect_map() == {
        "/texts/serge.htm": "/essays/serge/",
        "/victor.html": "/essays/serge/",
    }


def test_junk_in_the_old_addresses_field_is_reported_and_nothing_is_saved(admin_client):
    essay = make_essay(title="Before", slug="serge")

    response = change_essay(
        admin_client, essay, title="After", old_addresses="/fine.html\njavascript:alert(1)"
    )

    assert response.status_code == 200
    assert "is not a web address" in str(response.context["adminform"].form.errors)
    assert not Redirect.objects.exists()
    assert Essay.objects.get(pk=essay.pk).title == "Before"


def test_an_old_address_of_another_essay_is_refused_in_the_admin(admin_client):
    add_old_address("/serge.html", make_essay(slug="other"))
    essay = make_essay(slug="serge")

    response = change_essay(admin_client, essay, old_addresses="/serge.html")

    assert response.status_code == 200
    assert "/serge.html already leads to /essays/other/." in str(
        response.context["adminform"].form.errors
    )
    assert redirect_map() == {"/serge.html": "/essays/other/"}


def test_changing_the_slug_in_the_admin_keeps_every_old_address(admin_client, client):
    essay = make_essay(slug="first")
    add_old_address("/serge.html", essay)

    change_essay(admin_client, essay, slug="second", old_addresses="/serge.html")

    assert redirect_map() == {"/serge.html": "/essays/second/", "/essays/first/": "/essays/second/"}
    assert client.get("/serge.html")["Location"] == "/essays/second/"


# --- The migration from Essay.legacy_url ----------------------------------


def _apps_at(migration):
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("essays", migration)).apps


@pytest.mark.django_db(transaction=True)
def test_migrating_turns_legacy_urls_into_redirects_and_back():
    call_command("migrate", "essays", "0002", verbosity=0)
    old = _apps_at("0002_import_source_and_mentions")
    section = old.get_model("essays", "Section").objects.create(title="Books", slug="books")
    old.get_model("essays", "Essay").objects.create(
        title="Serge", slug="serge", section=section, body="Text.", legacy_url="serge.html"
    )
    # As on a site upgrading: the sites framework makes its row only after
    # every migration has run.
    Site.objects.all().delete()

    call_command("migrate", "essays", verbosity=0)

    assert redirect_map() == {"/serge.html": "/essays/serge/"}
    assert Site.objects.create(domain="second.example.org").pk != settings.SITE_ID
    assert "legacy_url" not in {field.name for field in Essay._meta.get_fields()}

    call_command("migrate", "essays", "0002", verbosity=0)
    old = _apps_at("0002_import_source_and_mentions")
    assert old.get_model("essays", "Essay").objects.get().legacy_url == "/serge.html"
    call_command("migrate", "essays", verbosity=0)
    assert redirect_map() == {"/serge.html": "/essays/serge/"}


# --- Importing a CSV file -----------------------------------------------------

CSV = (
    "old,new\n"
    "http://old.example.org/serge.html,/essays/serge/\n"
    "\n"
    "# a comment\n"
    "/korsch.html,/people/karl-korsch/\n"
    "/nowhere.html,/no/such/page/\n"
    "javascript:alert(1),/essays/serge/\n"
    "/three.html,/essays/serge/,extra\n"
)


def import_redirects(tmp_path, text, *args):
    csv_file = tmp_path / "redirects.csv"
    csv_file.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_redirects", str(csv_file), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_import_command_stores_good_lines_and_reports_bad_ones(tmp_path, client):
    make_essay(slug="serge")
    make_person(name="Karl Korsch", slug="karl-korsch")

    out, _ = import_redirects(tmp_path, CSV)

    assert redirect_map() == {
        "/serge.html": "/essays/serge/",
        "/korsch.html": "/people/karl-korsch/",
    }
    assert "line 2: /serge.html -> /essays/serge/ created" in out
    assert "line 6: '/no/such/page/' is not an address on this site." in out
    assert "line 7: 'javascript:alert(1)' is not a web address." in out
    assert "line 8: expected 2 columns (old,new), found 3." in out
    assert out.splitlines()[-1] == "2 created, 3 bad lines."
    assert client.get("/korsch.html")["Location"] == "/people/karl-korsch/"


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    make_essay(slug="serge")
    import_redirects(tmp_path, "/serge.html,/essays/serge/\n")

    out, _ = import_redirects(tmp_path, "/serge.html,/essays/serge/\n")

    assert out == "1 unchanged.\n"
    assert redirect_map() == {"/serge.html": "/essays/serge/"}


def test_an_imported_line_repoints_an_old_address(tmp_path):
    add_old_address("/serge.html", make_essay(slug="first"))
    make_essay(slug="second")

    out, _ = import_redirects(tmp_path, "/serge.html,/essays/second/\n")

    assert "line 1: /serge.html -> /essays/second/ changed" in out
    assert redirect_map() == {"/serge.html": "/essays/second/"}


def test_a_long_import_shows_its_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(import_redirects_command, "PROGRESS_EVERY", 5)
    make_essay(slug="serge")
    rows = "".join(f"/old/{number}.html,/essays/serge/\n" for number in range(12))

    out, err = import_redirects(tmp_path, rows)

    assert err.splitlines() == ["5 of 12 lines read", "10 of 12 lines read"]
    assert out.splitlines()[-1] == "12 created."
    assert Redirect.objects.count() == 12


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    csv_file = tmp_path / "latin1.csv"
    csv_file.write_bytes("/caf\xe9.html,/\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_redirects", str(csv_file))
    assert not Redirect.objects.exists()


# --- The Redirect admin ---------------------------------------------------------


def test_an_editor_uploads_a_csv_file_in_the_redirect_admin(admin_client):
    make_essay(slug="serge")
    make_person(name="Karl Korsch", slug="karl-korsch")
    upload = SimpleUploadedFile("redirects.csv", CSV.encode(), content_type="text/csv")

    response = admin_client.post(reverse("admin:redirects_redirect_import"), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 created, 3 bad lines." in page
    assert "line 7: &#x27;javascript:alert(1)&#x27; is not a web address." in page
    assert len(redirect_map()) == 2


def test_the_redirect_list_links_to_the_upload_page(admin_client):
    response = admin_client.get(reverse("admin:redirects_redirect_changelist"))

    assert reverse("admin:redirects_redirect_import") in response.content.decode()


def test_the_upload_page_is_for_staff_only(client):
    response = client.get(reverse("admin:redirects_redirect_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_redirect_added_in_the_admin_is_normalised_and_works(admin_client, client):
    make_essay(slug="serge")

    response = admin_client.post(
        reverse("admin:redirects_redirect_add"),
        {"old_path": "https://old.example.org/serge.html?id=1", "new_path": "/essays/serge/"},
    )

    assert response.status_code == 302
    assert redirect_map() == {"/serge.html": "/essays/serge/"}
    assert client.get("/serge.html")["Location"] == "/essays/serge/"


def test_the_redirect_admin_refuses_a_duplicate_a_loop_and_a_foreign_target(admin_client):
    add_old_address("/serge.html", make_essay(slug="serge"))
    add = reverse("admin:redirects_redirect_add")

    for old, new, problem in [
        ("/serge.html", "/", "already has a redirect"),
        ("/essays/serge/", "/essays/serge/", "cannot lead to itself"),
        ("/x.html", "https://elsewhere.example.org/", "not an address on this site"),
    ]:
        response = admin_client.post(add, {"old_path": old, "new_path": new})
        assert response.status_code == 200
        assert problem in str(response.context["adminform"].form.errors)
    assert redirect_map() == {"/serge.html": "/essays/serge/"}
