import io

import pytest
from django.core.management import call_command

from essays.models import Mention
from search import index as search_index
from search.models import Document
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.django_db

# Says "Serge" only: the birth name and other spellings are not in the text.
ABOUT_SERGE = "In 1936 Serge was allowed to leave the Soviet Union for Brussels."


def titles(client, query):
    return [hit.title for hit in client.get("/search/", {"q": query}).context["results"].page]


def mention(essay, person, status=Mention.Status.ACCEPTED):
    # The row the test is about replaces whatever the detector found on save.
    essay.mentions.filter(person=person).delete()
    return Mention.objects.create(
        essay=essay, person=person, phrase="Serge", position=8, status=status
    )


def test_an_essay_that_mentions_serge_is_found_by_his_birth_name(client, people):
    essay = make_essay(title="Leaving Russia", body=ABOUT_SERGE)
    mention(essay, people["serge"])
    # What the mention detector does once it has written its rows.
    search_index.update_for(essay)

    assert set(titles(client, "Kibalchich")) == {"Victor Serge", "Leaving Russia"}
    assert "Leaving Russia" in titles(client, "Kibaltchiche")


def test_proposed_and_rejected_mentions_do_not_count(client, people):
    proposed = make_essay(title="Proposed", body=ABOUT_SERGE)
    rejected = make_essay(title="Rejected", body=ABOUT_SERGE)
    mention(proposed, people["serge"], Mention.Status.PROPOSED)
    mention(rejected, people["serge"], Mention.Status.REJECTED)
    search_index.update_for(proposed)
    search_index.update_for(rejected)

    assert titles(client, "Kibalchich") == ["Victor Serge"]


def test_a_mention_of_a_work_adds_no_person_names(client, people, works):
    essay = make_essay(title="A novel", body="Tulayev is shot.")
    Mention.objects.create(
        essay=essay,
        work=works["tulayev"],
        phrase="Tulayev",
        position=0,
        status=Mention.Status.ACCEPTED,
    )
    search_index.update_for(essay)

    assert titles(client, "Kibalchich") == ["Victor Serge"]


def test_people_ticked_in_the_essay_admin_are_searchable_at_once(admin_client, client, people):
    section = make_section()
    response = admin_client.post(
        "/admin/essays/essay/add/",
        {
            "title": "Leaving Russia",
            "slug": "leaving-russia",
            "section": section.pk,
            "body": ABOUT_SERGE,
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "10:00:00",
            "tags": "exile",
            "people": [people["serge"].pk, people["trotsky"].pk],
        },
    )
    assert response.status_code == 302

    assert "Leaving Russia" in titles(client, "Kibalchich")
    assert "Leaving Russia" in titles(client, "Bronstein")
    assert titles(client, "exile") == ["Leaving Russia"]


def test_the_rebuild_command_carries_the_mentioned_names(client, people):
    essay = make_essay(title="Leaving Russia", body=ABOUT_SERGE)
    mention(essay, people["serge"])

    call_command("rebuild_search_index", stdout=io.StringIO())

    assert "Leaving Russia" in titles(client, "Kibalchich")


def test_mentioned_names_rank_below_the_title_and_above_the_body(client, people):
    make_essay(title="Kibalchich in Paris", body="The Bonnot trial.")
    in_body = make_essay(title="From the body", body="Young Kibalchich wrote for l'anarchie.")
    mentioning = make_essay(title="Leaving Russia", body=ABOUT_SERGE)
    mention(mentioning, people["serge"])
    search_index.update_for(mentioning)

    found = titles(client, "Kibalchich")

    assert found.index("Kibalchich in Paris") < found.index("Leaving Russia")
    assert found.index("Leaving Russia") < found.index(in_body.title)


def test_a_name_a_person_gains_later_finds_the_essays_that_mention_them(admin_client, client):
    serge = make_person(name="Victor Serge", slug="victor-serge")
    essay = make_essay(title="Leaving Russia", body=ABOUT_SERGE)
    mention(essay, serge)
    search_index.update_for(essay)
    assert titles(client, "Kibalchich") == []

    response = admin_client.post(
        f"/admin/people/person/{serge.pk}/change/",
        {
            "name": "Victor Serge",
            "sort_name": "Serge, Victor",
            "slug": "victor-serge",
            "birth_precision": "year",
            "death_precision": "year",
            "other_names-TOTAL_FORMS": "1",
            "other_names-INITIAL_FORMS": "0",
            "other_names-0-name": "Kibalchich",
            "other_names-0-kind": "birth",
        },
    )
    assert response.status_code == 302

    assert set(titles(client, "Kibalchich")) == {"Victor Serge", "Leaving Russia"}


def test_a_renamed_author_is_renamed_in_the_documents_of_their_works(client):
    author = make_person(name="Victor Kibalchich")
    work = make_work(title="Men in Prison", authors=[author])

    author.name = "Victor Serge"
    author.save()

    document = Document.objects.get(kind="work", object_id=work.pk)
    assert document.meta.startswith("Victor Serge")
    assert "Men in Prison" in titles(client, "Serge")


def test_an_edit_that_keeps_the_names_rewrites_no_other_document(
    people, django_assert_max_num_queries
):
    essay = make_essay(title="Leaving Russia", body=ABOUT_SERGE)
    mention(essay, people["serge"])
    search_index.update_for(essay)
    serge = people["serge"]
    serge.description = "novelist and revolutionary"

    with django_assert_max_num_queries(8):
        serge.save()

    assert Document.objects.get(kind="person", object_id=serge.pk).summary == serge.description


def test_indexing_an_essay_costs_the_same_for_many_people(people, django_assert_max_num_queries):
    essay = make_essay(title="Everyone", body=ABOUT_SERGE, people=list(people.values()))
    for person in people.values():
        mention(essay, person)

    # The essay, its section, tags, people with their other names, accepted
    # mentions with theirs, then the document's row: read and written.
    with django_assert_max_num_queries(11):
        search_index.update_for(essay)

    other_names = Document.objects.get(kind="essay", object_id=essay.pk).other_names
    assert "Bronstein" in other_names and "Tse-tung" in other_names


def test_a_rebuild_reads_people_and_mentions_in_bulk(people, django_assert_max_num_queries):
    for number in range(12):
        essay = make_essay(title=f"Essay {number}", people=[people["orwell"]])
        mention(essay, people["serge"])
    make_work(title="Homage to Catalonia", authors=[people["orwell"]])

    with django_assert_max_num_queries(30):
        search_index.rebuild()

    assert Document.objects.filter(kind="essay", other_names__contains="Kibalchich").count() == 12
    assert Document.objects.filter(kind="essay", other_names__contains="Blair").count() == 12
