import json

import pytest
from django.urls import reverse

from sergesite.citations.names import csl_name
from tests.factories import make_essay, make_person, make_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sort_name", "parts"),
    [
        ("Serge, Victor", {"family": "Serge", "given": "Victor"}),
        ("King, Martin Luther, Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("Beauvoir, Simone de",
         {"family": "Beauvoir", "given": "Simone", "dropping-particle": "de"}),
        ("van Gogh, Vincent",
         {"non-dropping-particle": "van", "family": "Gogh", "given": "Vincent"}),
        ("Mao Zedong", {"literal": "Mao Zedong"}),
    ],
)  # fmt: skip
def test_name_parts_come_from_the_sort_name(sort_name, parts):
    assert csl_name(name="shown name", sort_name=sort_name) == (
        {"literal": "shown name"} if "literal" in parts else parts
    )


def test_an_organisation_is_cited_by_its_name_as_written():
    assert csl_name(name="The editors", sort_name="editors, The", organisation=True) == {
        "literal": "The editors"
    }


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ],
)
def test_each_download_has_its_content_type_and_a_file_name(client, fmt, content_type):
    essay = make_essay(title="Exile", slug="exile")
    response = client.get(reverse(f"essays:cite-{fmt}", args=["exile"]))

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="exile.{fmt}"'
    assert essay.title in response.content.decode()


def test_a_drafts_citation_is_hidden_from_readers(client, admin_client):
    draft = make_essay(title="Unfinished", published=False)
    url = reverse("essays:cite-ris", args=[draft.slug])

    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_a_persons_works_download_as_one_file(client):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    make_work(title="Conquered City", year_published=1932, authors=[serge])
    make_work(title="Midnight in the Century", year_published=1939, authors=[serge])
    make_work(title="Not his", year_published=1939)

    items = json.loads(client.get(reverse("people:works-json", args=["victor-serge"])).content)

    assert [item["title"] for item in items] == ["Conquered City", "Midnight in the Century"]
    assert "people:works" not in client.get(serge.get_absolute_url()).content.decode()
    assert (
        reverse("people:works-bib", args=["victor-serge"])
        in client.get(serge.get_absolute_url()).content.decode()
    )


def test_the_works_an_essay_discusses_download_as_one_file(client):
    work = make_work(title="Conquered City", year_published=1932)
    essay = make_essay(works=[work])

    text = client.get(reverse("essays:works-ris", args=[essay.slug])).content.decode()

    assert text.count("TY  - ") == 1
    assert "TI  - Conquered City" in text


def test_the_works_index_downloads_what_its_filters_show(client):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")
    make_work(title="Conquered City", kind="novel", authors=[serge])
    make_work(title="A pamphlet", kind="pamphlet", authors=[serge])

    url = reverse("works:index-cite-json") + "?kind=novel"
    items = json.loads(client.get(url).content)

    assert [item["title"] for item in items] == ["Conquered City"]


def test_editor_text_in_the_cite_box_is_escaped(client):
    essay = make_essay(title="<script>alert(1)</script> & more")

    text = client.get(essay.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


def test_the_work_page_needs_few_queries_with_its_citation(client, django_assert_max_num_queries):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor")
    work = make_work(title="Conquered City", year_published=1932, authors=[serge])

    with django_assert_max_num_queries(12):
        assert client.get(work.get_absolute_url()).status_code == 200
