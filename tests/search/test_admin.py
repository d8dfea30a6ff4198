import pytest

from search.models import Document, UnansweredQuery
from tests.factories import make_essay, make_person, make_section

pytestmark = pytest.mark.django_db


def changelist_titles(response):
    return [str(obj) for obj in response.context["cl"].result_list]


def test_the_essay_admin_searches_with_stemming_and_finds_drafts(admin_client):
    make_essay(title="Draft on decay", body="The degeneration of the state.", published=False)
    make_essay(title="Unrelated", body="Gardening.")

    response = admin_client.get("/admin/essays/essay/", {"q": "degenerate"})

    assert changelist_titles(response) == ["Draft on decay"]


def test_the_people_admin_finds_a_person_by_a_misspelled_other_name(admin_client, people):
    response = admin_client.get("/admin/people/person/", {"q": "Trotzky"})

    assert changelist_titles(response) == ["Leon Trotsky"]


def test_the_works_admin_ignores_accents(admin_client, works):
    response = admin_client.get("/admin/works/work/", {"q": "litterature"})

    assert changelist_titles(response) == ["Littérature et révolution"]


def test_a_half_typed_name_in_the_admin_still_finds_the_person(admin_client, people):
    response = admin_client.get("/admin/people/person/", {"q": "Trots"})

    assert changelist_titles(response) == ["Leon Trotsky"]


def test_tags_saved_in_the_admin_are_searchable_at_once(admin_client, client):
    section = make_section()
    response = admin_client.post(
        "/admin/essays/essay/add/",
        {
            "title": "Kronstadt",
            "slug": "kronstadt",
            "section": section.pk,
            "body": "The sailors.",
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "10:00:00",
            "tags": "mutiny",
        },
    )
    assert response.status_code == 302

    results = client.get("/search/", {"q": "mutiny"}).context["results"]

    assert [hit.title for hit in results.page] == ["Kronstadt"]


def test_other_names_added_in_the_admin_inline_are_searchable_at_once(admin_client, client):
    person = make_person(name="Victor Serge", slug="victor-serge")
    response = admin_client.post(
        f"/admin/people/person/{person.pk}/change/",
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
    assert response.status_code == 302, response.context["errors"]

    results = client.get("/search/", {"q": "Kibalchich"}).context["results"]

    assert [hit.title for hit in results.page] == ["Victor Serge"]


def test_unpublishing_with_the_admin_action_hides_the_essay_from_search(admin_client, client):
    essay = make_essay(title="Kronstadt")

    admin_client.post(
        "/admin/essays/essay/", {"action": "unpublish", "_selected_action": [essay.pk]}
    )

    assert client.get("/search/", {"q": "kronstadt"}).context["results"].total == 0


def test_deleting_with_the_admin_action_removes_the_index_rows(admin_client):
    essay = make_essay(title="Kronstadt")

    admin_client.post(
        "/admin/essays/essay/",
        {"action": "delete_selected", "_selected_action": [essay.pk], "post": "yes"},
    )

    assert not Document.objects.exists()


def test_editors_see_searches_that_found_nothing_with_counts(admin_client, client):
    client.get("/search/", {"q": "Spiridonova"})
    client.get("/search/", {"q": "spiridonova"})

    response = admin_client.get("/admin/search/unansweredquery/")

    assert response.status_code == 200
    assert b"found nothing" in response.content
    assert list(response.context["cl"].result_list.values_list("text", "count")) == [
        ("spiridonova", 2)
    ]


def test_the_report_cannot_be_edited_or_added_to(admin_client):
    row = UnansweredQuery.objects.create(text="spiridonova")

    assert admin_client.get("/admin/search/unansweredquery/add/").status_code == 403
    response = admin_client.post(
        f"/admin/search/unansweredquery/{row.pk}/change/", {"text": "x", "count": 9}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.count == 1


def test_publishing_many_essays_with_the_admin_action_reindexes_them_in_bulk(
    admin_client, client, django_assert_max_num_queries
):
    drafts = [make_essay(title=f"Kronstadt {n}", published=False) for n in range(12)]
    assert client.get("/search/", {"q": "kronstadt"}).context["results"].total == 0

    with django_assert_max_num_queries(40):
        admin_client.post(
            "/admin/essays/essay/",
            {"action": "publish", "_selected_action": [essay.pk for essay in drafts]},
        )

    assert client.get("/search/", {"q": "kronstadt"}).context["results"].total == 12
