import io

import pytest
from django.core.management import call_command

from people.models import OtherName
from search.models import Document
from tests.factories import make_essay, make_person, make_work

pytestmark = pytest.mark.django_db


def titles(client, query):
    return [hit.title for hit in client.get("/search/", {"q": query}).context["results"].page]


def test_an_edited_essay_is_found_by_its_new_words(client):
    essay = make_essay(title="Kronstadt")
    essay.title = "Petrograd"
    essay.save()

    assert titles(client, "petrograd") == ["Petrograd"]
    assert titles(client, "kronstadt") == []


def test_a_deleted_essay_leaves_the_index(client):
    essay = make_essay(title="Kronstadt")
    essay.delete()

    assert titles(client, "kronstadt") == []
    assert not Document.objects.exists()


def test_a_deleted_person_and_work_leave_the_index(client):
    person = make_person(name="Emma Goldman")
    work = make_work(title="Living My Life")
    work.delete()
    person.delete()

    assert not Document.objects.exists()


def test_an_essay_unpublished_again_disappears(client):
    essay = make_essay(title="Kronstadt")
    essay.status = essay.Status.DRAFT
    essay.save()

    assert titles(client, "kronstadt") == []


def test_an_other_name_added_later_finds_the_person(client):
    person = make_person(name="Victor Serge")
    OtherName.objects.create(person=person, name="Kibalchich")

    assert titles(client, "kibalchich") == ["Victor Serge"]


def test_a_removed_other_name_no_longer_finds_the_person(client):
    person = make_person(name="Victor Serge", other_names=["Kibalchich"])
    person.other_names.get().delete()

    assert titles(client, "kibalchich") == []


def test_the_rebuild_command_restores_a_lost_index_and_reports_progress(client, essay, works):
    Document.objects.all().delete()
    out = io.StringIO()

    call_command("rebuild_search_index", stdout=out)

    assert "essays: 1/1" in out.getvalue()
    assert "people: 7/7" in out.getvalue()
    assert "works: 3/3" in out.getvalue()
    assert Document.objects.count() == 11
    assert "The Dissident Marxism of Victor Serge" in titles(client, "stalinism")
    assert titles(client, "Bronstein") == ["Leon Trotsky"]


def test_the_rebuild_command_can_run_twice(client, works):
    call_command("rebuild_search_index", stdout=io.StringIO())
    call_command("rebuild_search_index", stdout=io.StringIO())

    assert titles(client, "Tulayev") == ["The Case of Comrade Tulayev"]
