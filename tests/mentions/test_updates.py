"""Keeping mentions up to date when names change, and the essay page that shows them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays import mentions
from essays.models import Mention
from people.models import OtherName, Person
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(monkeypatch):
    """The ids of the essays scanned from now on."""
    seen = []
    real_scan = mentions.scan

    def recording_scan(essay, **options):
        seen.append(essay.pk)
        return real_scan(essay, **options)

    monkeypatch.setattr(mentions, "scan", recording_scan)
    return seen


def test_adding_a_person_in_the_admin_rescans_only_the_essays_that_name_them(admin_client, scanned):
    naming = make_essay(title="Ciliga", body="Ante Ciliga wrote from prison.")
    other = make_essay(title="Else", body="Nothing about him here.")
    scanned.clear()

    response = admin_client.post(
        reverse("admin:people_person_add"),
        {
            "name": "Ante Ciliga",
            "sort_name": "Ciliga, Ante",
            "slug": "ante-ciliga",
            "birth_precision": "year",
            "death_precision": "year",
            "other_names-TOTAL_FORMS": "0",
            "other_names-INITIAL_FORMS": "0",
            "other_names-MIN_NUM_FORMS": "0",
            "other_names-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    assert naming.pk in scanned and other.pk not in scanned
    naming.refresh_from_db()
    assert "/people/ante-ciliga/" in naming.body_html
    assert Mention.objects.filter(essay=naming, person__slug="ante-ciliga").count() == 1


def test_adding_another_name_links_it_in_essays_already_written(people):
    essay = make_essay(body="Trockij wrote.")
    assert essay.mentions.count() == 0

    OtherName.objects.create(person=people["trotsky"], name="Trockij")

    essay.refresh_from_db()
    assert essay.mentions.get().person == people["trotsky"]
    assert people["trotsky"].get_absolute_url() in essay.body_html


def test_renaming_a_work_rescans_the_essays_with_its_old_and_new_title(works):
    essay = make_essay(body="Read The Revolution Betrayed today.")
    assert essay.mentions.get().work == works["betrayed"]

    works["betrayed"].title = "The Revolution Abandoned"
    works["betrayed"].save()

    essay.refresh_from_db()
    assert essay.mentions.count() == 0
    assert 'class="mention"' not in essay.body_html


def test_changing_a_persons_address_updates_the_links(people):
    essay = make_essay(body="Goldman wrote.")
    goldman = people["goldman"]

    goldman.slug = "emma-goldman-1869"
    goldman.save()

    essay.refresh_from_db()
    assert "/people/emma-goldman-1869/" in essay.body_html


def test_deleting_a_person_removes_their_links(people):
    essay = make_essay(body="Goldman wrote.")

    Person.objects.get(pk=people["goldman"].pk).delete()

    essay.refresh_from_db()
    assert 'class="mention"' not in essay.body_html


def test_saving_a_person_without_changing_names_rescans_nothing(people, scanned):
    make_essay(body="Goldman wrote.")
    scanned.clear()

    people["goldman"].description = "anarchist writer"
    people["goldman"].save()

    assert scanned == []


def test_the_matcher_is_rebuilt_only_when_names_change(people):
    first = mentions.matcher()
    assert mentions.matcher() is first

    make_person(name="Ante Ciliga", sort_name="Ciliga, Ante")

    assert mentions.matcher() is not first


def test_rescan_mentions_rescans_every_essay_with_a_progress_bar(people, capsys):
    essays = [make_essay(body=f"Essay {n} on Trotsky.") for n in range(3)]
    Mention.objects.all().delete()

    call_command("rescan_mentions")

    output = capsys.readouterr()
    assert "3/3" in output.err
    assert "Rescanned 3 essays" in output.out
    assert Mention.objects.filter(essay__in=essays).count() == 3


def _essay_page_queries(client, essay):
    client.get(essay.get_absolute_url())  # the menu and the cache generation
    with CaptureQueriesContext(connection) as context:
        response = client.get(essay.get_absolute_url())
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def test_the_essay_page_makes_the_same_number_of_queries_for_2_or_20_mentions(
    client, uncached_pages
):
    section = make_section()
    names = [f"Invented{chr(65 + n)} Person{chr(65 + n)}" for n in range(20)]
    for name in names:
        make_person(name=name, sort_name=", ".join(reversed(name.split())))
    few = make_essay(section=section, body=" ".join(f"{name}." for name in names[:2]))
    many = make_essay(section=section, body=" ".join(f"{name}." for name in names))
    make_essay(section=section, body="Later.")

    # A first request reads the site settings into the cache, which this
    # folder's fixture empties: count from the second.
    client.get(few.get_absolute_url())
    few_queries, _ = _essay_page_queries(client, few)
    many_queries, page = _essay_page_queries(client, many)

    assert Mention.objects.filter(essay=many).accepted().count() == 20
    assert many_queries == few_queries
    assert all(name in page for name in names)


def test_people_and_works_in_this_essay_are_the_ticked_and_the_accepted(client, people, works):
    ticked = make_person(name="Richard Greeman", sort_name="Greeman, Richard")
    essay = make_essay(
        body="Trotsky wrote *The Revolution Betrayed*. Vogel spoke.",
        people=[ticked],
        works=[make_work(title="Unforgiving Years")],
    )

    page = client.get(essay.get_absolute_url()).content.decode()
    footer = page.split("People and works in this essay")[1].split("</section>")[0]

    assert "Richard Greeman" in footer and "Leon Trotsky" in footer
    assert "The Revolution Betrayed" in footer and "Unforgiving Years" in footer
    # Ambiguous and so only proposed: not listed until an editor decides.
    assert "Vogel" not in footer


def test_people_deleted_in_bulk_are_never_stored_as_mentioned(admin_client, people):
    make_essay(body="Goldman wrote.")
    goldman = people["goldman"]
    # The admin's bulk delete skips each person's delete().
    admin_client.post(
        reverse("admin:people_person_changelist"),
        {"action": "delete_selected", "_selected_action": [goldman.pk], "post": "yes"},
    )
    assert not Person.objects.filter(pk=goldman.pk).exists()

    later = make_essay(body="Goldman again.")

    assert later.mentions.count() == 0
    assert 'class="mention"' not in later.body_html
