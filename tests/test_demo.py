import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from essays.models import Essay, Section
from people.models import OtherName, Person
from works.models import Work

pytestmark = pytest.mark.django_db

SERGE_ESSAY = "victor-serge-right-on-the-losing-side"

MENU = [
    "Welcome",
    "Anti Nazi League",
    "Research",
    "Hegemon press",
    "Books",
    "Socialist history",
    "Journalism",
    "Biography",
    "Migration",
    "Media",
    "Trade unionism",
    "Family History",
    "Links",
]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every table, as plain values."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
    }


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    # Loading takes seconds, so it happens once for this module, inside a
    # transaction rolled back at the end. Each test runs in a savepoint
    # within it (the db fixture), so what one test changes, the next never sees.
    with django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


def test_the_demo_loads_people_works_essays_and_every_menu_section(demo):
    assert Person.objects.count() >= 25
    assert Work.objects.count() >= 20
    assert Essay.objects.published().count() >= 3
    assert list(Section.objects.in_menu().values_list("title", flat=True)) == MENU


def test_loading_the_demo_says_what_it_loaded(demo):
    assert demo.startswith("Loaded 13 sections, ")


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert output.startswith("Nothing to change")


def test_loading_the_demo_again_keeps_what_an_editor_changed(demo):
    Person.objects.filter(slug="victor-serge").update(description="Edited")
    OtherName.objects.filter(name="Le Rétif").delete()

    output = load_demo()

    serge = Person.objects.get(slug="victor-serge")
    assert serge.description == "Edited"
    assert not serge.other_names.filter(name="Le Rétif").exists()
    assert output.startswith("Nothing to change")


def test_loading_the_demo_again_adds_a_demo_record_that_was_deleted(demo):
    Essay.objects.filter(slug=SERGE_ESSAY).delete()

    output = load_demo()

    serge_essay = Essay.objects.get(slug=SERGE_ESSAY)
    assert serge_essay.people.filter(slug="victor-serge").exists()
    assert output == "Loaded 1 essay.\n"


def test_reset_puts_back_an_edited_demo_record(demo):
    Person.objects.filter(slug="victor-serge").update(description="Edited")
    OtherName.objects.filter(name="Le Rétif").delete()

    output = load_demo("--reset")

    serge = Person.objects.get(slug="victor-serge")
    assert serge.description.startswith("Anarchist turned Bolshevik")
    assert serge.other_names.filter(name="Le Rétif", kind=OtherName.Kind.PEN).exists()
    assert output == "Updated 1 person.\n"


def test_kibalchich_is_the_birth_name_of_victor_serge(demo):
    serge = Person.objects.get(name="Victor Serge")

    assert serge.other_names.filter(name__contains="Kibalchich", kind=OtherName.Kind.BIRTH).exists()


def test_a_search_for_a_transliteration_finds_the_person(demo, client):
    response = client.get("/search/", {"q": "Trotzki"})

    assert response.status_code == 200
    assert Person.objects.get(slug="leon-trotsky").get_absolute_url() in response.content.decode()


def test_every_demo_page_answers_and_shows_demo_content(demo, client):
    serge = Person.objects.get(slug="victor-serge")
    memoirs = Work.objects.get(slug="memoirs-of-a-revolutionary")
    pages = {
        "/": "library of essays",
        Section.objects.get(title="Socialist history").get_absolute_url(): "Trotsky and the Left",
        "/people/?letter=S": "Anarchist turned Bolshevik",
        serge.get_absolute_url(): "Le Rétif",
        "/works/": "Darkness at Noon",
        memoirs.get_absolute_url(): "Peter Sedgwick",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_every_published_demo_essay_is_shown_to_readers(demo, client):
    essays = Essay.objects.published()

    for essay in essays:
        response = client.get(essay.get_absolute_url())
        assert response.status_code == 200, essay.slug
        assert essay.title in response.content.decode(), essay.slug


def test_the_serge_essay_has_a_table_of_contents_and_is_the_site_authors_own(demo, client):
    essay = Essay.objects.get(slug=SERGE_ESSAY)

    response = client.get(essay.get_absolute_url())

    html = response.content.decode()
    assert len(essay.toc) >= 3
    assert 'class="toc"' in html
    assert "<table>" in html
    assert 'class="footnote' in html
    # Invented prose is never passed off as the real book's chapter.
    assert essay.part_of is None
    assert not essay.essay_authors.exists()
    assert essay.people.filter(slug="victor-serge").exists()


def test_the_old_address_of_the_serge_essay_leads_to_it(demo, client):
    response = client.get("/serge.html")

    assert response.status_code == 301
    assert response["Location"] == Essay.objects.get(slug=SERGE_ESSAY).get_absolute_url()


def test_a_unicode_tag_lists_its_essays(demo, client):
    response = client.get("/tags/троцкий/")

    assert response.status_code == 200
    assert "Trotsky and the Left Opposition" in response.content.decode()


def test_the_draft_and_the_scheduled_demo_essays_are_not_found_by_readers(demo, client):
    hidden = Essay.objects.exclude(pk__in=Essay.objects.published())

    assert hidden.filter(status=Essay.Status.DRAFT).exists()
    assert hidden.filter(status=Essay.Status.PUBLISHED).exists()  # scheduled, not yet due
    for essay in hidden:
        assert client.get(essay.get_absolute_url()).status_code == 404, essay.slug


def test_staff_can_preview_the_scheduled_demo_essay(demo, admin_client):
    essay = Essay.objects.get(slug="gorky-brecht-and-the-mother")

    response = admin_client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert "Preview" in response.content.decode()


def test_dates_keep_the_precision_the_facts_give(demo):
    serge = Person.objects.get(slug="victor-serge")
    korsch = Person.objects.get(slug="karl-korsch")

    assert serge.born == "30 December 1890"
    assert serge.death_place == "Mexico City"
    assert korsch.born == "1886"
    assert korsch.lifespan == "1886–1961"


def test_the_demo_records_where_sources_disagree_on_a_date(demo):
    tulayev = Work.objects.get(slug="the-case-of-comrade-tulayev")

    assert (tulayev.year_published, tulayev.year_published_english) == (1948, 1950)
    assert "1950" in tulayev.date_note


# --- demo_admin -------------------------------------------------------------


@pytest.fixture
def password_file(tmp_path, settings):
    settings.DEBUG = True
    # The real hasher is slow by design; these tests check the flow, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "var" / "demo-admin.txt"


def demo_admin(password_file):
    out = io.StringIO()
    call_command("demo_admin", password_file=password_file, stdout=out)
    return out.getvalue()


def test_demo_admin_creates_one_superuser_who_can_sign_in(password_file, client):
    output = demo_admin(password_file)

    password = password_file.read_text().strip()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert f"as admin with password {password}" in output
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": password, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_running_demo_admin_again_prints_no_password_and_adds_no_user(password_file):
    demo_admin(password_file)
    password = password_file.read_text().strip()

    second = demo_admin(password_file)

    assert get_user_model().objects.count() == 1
    assert password not in second
    assert str(password_file) in second


def test_demo_admin_says_how_to_reset_a_password_it_no_longer_has(password_file):
    demo_admin(password_file)
    password_file.unlink()

    output = demo_admin(password_file)

    assert "manage.py changepassword admin" in output
    assert "with password" not in output
    assert get_user_model().objects.count() == 1


def test_demo_admin_refuses_to_run_with_debug_off(password_file, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        demo_admin(password_file)

    assert not get_user_model().objects.exists()
    assert not password_file.exists()


def test_the_demo_essay_leaves_the_real_chapters_title_and_address_free(demo, client):
    # The real chapter is imported under them on the real site.
    assert not Essay.objects.filter(title="The Dissident Marxism of Victor Serge").exists()
    assert client.get("/essays/the-dissident-marxism-of-victor-serge/").status_code == 404


def test_loading_the_demo_again_keeps_an_old_address_an_editor_pointed_elsewhere(demo):
    other = Essay.objects.exclude(slug=SERGE_ESSAY).first()
    Redirect.objects.filter(old_path="/serge.html").update(new_path=other.get_absolute_url())
    Essay.objects.filter(slug=SERGE_ESSAY).delete()

    output = load_demo()

    assert Redirect.objects.get(old_path="/serge.html").new_path == other.get_absolute_url()
    assert "Left alone: /serge.html already leads to" in output


def test_reset_points_the_old_address_back_at_the_demo_essay(demo):
    other = Essay.objects.exclude(slug=SERGE_ESSAY).first()
    Redirect.objects.filter(old_path="/serge.html").update(new_path=other.get_absolute_url())

    load_demo("--reset")

    assert Redirect.objects.get(old_path="/serge.html").new_path == f"/essays/{SERGE_ESSAY}/"


def test_the_demo_admin_password_is_random_and_passes_the_password_rules(password_file, tmp_path):
    demo_admin(password_file)
    first = password_file.read_text().strip()
    get_user_model().objects.all().delete()
    other_file = tmp_path / "other" / "demo-admin.txt"
    demo_admin(other_file)

    validate_password(first, get_user_model()(username="admin"))
    assert first != other_file.read_text().strip()
