import pytest

from tests.factories import make_essay, make_person, make_section

pytestmark = pytest.mark.django_db


def active_filters(response):
    return [(f["heading"], f["label"], f["remove_url"]) for f in response.context["active_filters"]]


def test_each_filter_in_force_is_listed_with_a_link_that_drops_only_it(client):
    make_essay(
        title="Serge in exile", tags=["Левая оппозиция"], section=make_section(title="Books")
    )
    make_person(name="Victor Serge")

    response = client.get(
        "/search/", {"q": "Serge", "kind": "essay", "tag": "левая-оппозиция", "page": "1"}
    )

    assert active_filters(response) == [
        (
            "Kind",
            "Essay",
            "?q=Serge&tag=%D0%BB%D0%B5%D0%B2%D0%B0%D1%8F-%D0%BE%D0%BF%D0%BF%D0%BE%D0%B7%D0%B8%D1%86%D0%B8%D1%8F",
        ),
        ("Tag", "Левая оппозиция", "?q=Serge&kind=essay"),
    ]
    assert "Tag: Левая оппозиция" in response.text
    assert 'href="?q=Serge">Clear all</a>' in response.text


def test_no_filter_list_is_shown_when_nothing_is_filtered(client):
    make_person(name="Victor Serge")

    response = client.get("/search/", {"q": "Serge"})

    assert response.context["active_filters"] == []
    assert "Filtered by" not in response.text
    assert "Clear all" not in response.text


def test_a_filter_that_matched_nothing_is_still_named_and_can_be_dropped(client):
    make_essay(
        title="Serge in exile",
        section=make_section(title="Socialist history", slug="socialist-history"),
    )

    response = client.get(
        "/search/", {"q": "Serge", "kind": "person", "section": "socialist-history"}
    )

    assert response.context["results"].total == 0
    assert active_filters(response) == [
        ("Kind", "Person", "?q=Serge&section=socialist-history"),
        ("Section", "Socialist history", "?q=Serge&kind=person"),
    ]
    assert "Nothing matched “Serge” with these filters" in response.text
    assert '<a href="?q=Serge">Search everything</a>' in response.text


def test_a_search_that_finds_nothing_says_so_and_offers_other_ways_in(client):
    response = client.get("/search/", {"q": "Qwxzyv"})

    assert "Nothing matched “Qwxzyv”" in response.text
    assert "Check the spelling" in response.text
    assert 'href="/people/"' in response.text
    assert "Search everything" not in response.text


def test_the_count_of_results_names_the_search(client):
    make_person(name="Victor Serge")
    make_essay(title="Serge in exile")

    response = client.get("/search/", {"q": "Serge"})

    assert "2 results for “Serge”" in response.text


def test_the_facets_fold_into_a_refine_block_and_the_page_loads_its_script(client):
    make_person(name="Victor Serge")

    response = client.get("/search/", {"q": "Serge"})

    assert '<details class="search-refine" data-open-wide>' in response.text
    assert "js/search.js" in response.text
