import pytest

from tests.factories import make_essay

pytestmark = pytest.mark.django_db


def test_suggestions_offer_people_and_works_as_small_json(client, works):
    response = client.get("/search/suggest/", {"q": "trots"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()[0] == {
        "label": "Leon Trotsky",
        "url": "/people/" + works["betrayed"].contributions.get().person.slug + "/",
        "kind": "person",
    }


def test_suggestions_match_other_names_and_ignore_accents(client, works):
    labels = [item["label"] for item in client.get("/search/suggest/", {"q": "kibal"}).json()]
    assert labels == ["Victor Serge"]
    labels = [item["label"] for item in client.get("/search/suggest/", {"q": "litter"}).json()]
    assert labels == ["Littérature et révolution"]


def test_suggestions_leave_out_essays(client, works):
    make_essay(title="Trotsky in exile")

    kinds = {item["kind"] for item in client.get("/search/suggest/", {"q": "trotsky"}).json()}

    assert kinds == {"person"}


def test_suggestions_are_capped(client):
    from tests.factories import make_person

    for number in range(20):
        make_person(name=f"Zetkin {number}")

    assert len(client.get("/search/suggest/", {"q": "zetkin"}).json()) == 8


def test_fewer_than_three_letters_suggest_nothing(client, works):
    assert client.get("/search/suggest/", {"q": "tr"}).json() == []


def test_suggestions_may_be_cached_briefly(client, works):
    response = client.get("/search/suggest/", {"q": "trots"})

    assert "max-age=300" in response["Cache-Control"]


def test_every_page_has_a_search_box_that_suggests_without_inline_script(client):
    response = client.get("/")

    assert b'data-suggest="/search/suggest/"' in response.content
    assert b"js/suggest.js" in response.content
    assert b"<script>" not in response.content
