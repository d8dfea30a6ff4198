import pytest

from search.models import Document
from tests.factories import make_essay

pytestmark = pytest.mark.django_db


def test_footnote_markers_and_back_links_stay_out_of_the_indexed_text():
    essay = make_essay(
        title="Prison years",
        body="Serge served five years.[^1] He came out in 1917.\n\n[^1]: After the Bonnot trial.",
    )

    body = Document.objects.get(kind="essay", object_id=essay.pk).body

    assert "years. He came out" in body
    assert "After the Bonnot trial." in body
    assert "\u21a9" not in body
    assert "years.1" not in body


def test_a_snippet_from_a_footnoted_essay_shows_no_back_link_arrow(client):
    make_essay(title="Prison years", body="Kibalchich was tried.[^1]\n\n[^1]: In Paris, 1913.")

    response = client.get("/search/", {"q": "Paris"})

    assert "Paris" in response.content.decode()
    assert "\u21a9" not in response.content.decode()
