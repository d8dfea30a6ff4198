"""Help text in the admin reads as written: no part of it is taken for HTML."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "address"),
    [
        ("admin:essays_essay_add", "/essays/serges-novels/"),
        ("admin:essays_section_add", "/sections/books/"),
        ("admin:people_person_add", "/people/victor-serge/"),
        ("admin:works_work_add", "/works/conquered-city/"),
    ],
)
def test_the_slug_help_text_shows_a_whole_example_address(admin_client, page, address):
    response = admin_client.get(reverse(page))

    assert response.status_code == 200
    assert address in response.content.decode()
    assert "//." not in response.content.decode()
