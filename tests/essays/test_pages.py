import pytest

from tests.factories import make_essay

pytestmark = pytest.mark.django_db


def test_a_published_essay_is_shown_to_readers(client):
    essay = make_essay(title="The Dissident Marxism of Victor Serge", body="## One\n\nText.")

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert b'<h2 id="one">One</h2>' in response.content


def test_a_draft_is_not_found_by_readers(client):
    essay = make_essay(published=False)

    assert client.get(essay.get_absolute_url()).status_code == 404
