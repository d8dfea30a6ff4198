import datetime

import pytest
from django.utils import timezone

from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.django_db


def titles(response):
    return [hit.title for hit in response.context["results"].page]


def test_one_search_finds_essays_people_and_works_and_labels_each_kind(client, essay, works):
    response = client.get("/search/", {"q": "Serge"})

    assert response.status_code == 200
    kinds = {hit.kind for hit in response.context["results"].page}
    assert kinds == {"essay", "person", "work"}
    assert b'<p class="search-hit-kind">Person</p>' in response.content


def test_a_title_match_ranks_above_a_match_in_the_body(client, research):
    make_essay(title="Notes on exile", body="The word kronstadt appears only here.")
    make_essay(title="Kronstadt", body="Some text.", section=research)

    assert titles(client.get("/search/", {"q": "kronstadt"}))[0] == "Kronstadt"


def test_a_summary_match_ranks_above_a_body_match(client):
    make_essay(title="One", body="A long body that mentions barricades once.")
    make_essay(title="Two", summary="On barricades.", body="Nothing else.")

    assert titles(client.get("/search/", {"q": "barricades"})) == ["Two", "One"]


def test_a_body_match_ranks_above_a_tag_match(client):
    make_essay(title="Tagged", body="Unrelated.", tags=["syndicalism"])
    make_essay(title="Written", body="On syndicalism in France.")

    assert titles(client.get("/search/", {"q": "syndicalism"})) == ["Written", "Tagged"]


def test_a_full_name_beats_the_same_words_scattered(client, people):
    make_essay(
        title="Leon and his brother", summary="Trotsky appears later.", body="Leon. Trotsky."
    )

    assert titles(client.get("/search/", {"q": "Leon Trotsky"}))[0] == "Leon Trotsky"


def test_an_exact_phrase_beats_scattered_words(client):
    make_essay(title="A", summary="The workers council met. Later the opposition spoke.")
    make_essay(title="B", summary="Nothing about that. The workers opposition spoke first.")
    make_essay(title="C", summary="The workers council met. Later the opposition spoke.")

    assert titles(client.get("/search/", {"q": "workers opposition"}))[0] == "B"


def test_english_stemming_finds_other_forms_of_a_word(client, essay):
    assert "The Dissident Marxism of Victor Serge" in titles(
        client.get("/search/", {"q": "degenerate"})
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Guerin", "Daniel Guérin"),
        ("guérin", "Daniel Guérin"),
        ("Litterature", "Littérature et révolution"),
        ("Levi-Strauss", "Claude Lévi-Strauss"),
        ("LEVI STRAUSS", "Claude Lévi-Strauss"),
    ],
)
def test_accents_and_case_are_ignored(client, works, typed, expected):
    assert titles(client.get("/search/", {"q": typed}))[0] == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kibalchich", "Victor Serge"),
        ("Bronstein", "Leon Trotsky"),
        ("Eric Blair", "George Orwell"),
        ("Mao Tse-tung", "Mao Zedong"),
    ],
)
def test_a_person_is_found_by_their_other_names(client, people, typed, expected):
    assert titles(client.get("/search/", {"q": typed}))[0] == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Trotski", "Leon Trotsky"),
        ("Trotzky", "Leon Trotsky"),
        ("Zinovyev", "Grigory Zinoviev"),
        ("Tulaev", "The Case of Comrade Tulayev"),
        ("Orwel", "George Orwell"),
    ],
)
def test_misspelled_names_and_titles_are_found(client, works, typed, expected):
    assert titles(client.get("/search/", {"q": typed}))[0] == expected


def test_a_misspelled_name_is_found_even_when_essays_use_the_misspelling(client, people):
    make_essay(title="Spellings", body="Some older books write Trotzky.")

    assert titles(client.get("/search/", {"q": "Trotzky"}))[0] == "Leon Trotsky"


def test_words_that_are_not_names_are_not_matched_by_spelling(client, people):
    response = client.get("/search/", {"q": "qwxzv"})

    assert response.context["results"].total == 0


def test_a_quoted_phrase_must_appear_in_that_order(client):
    make_essay(title="A", body="The left opposition met.")
    make_essay(title="B", body="The opposition on the left met.")

    assert titles(client.get("/search/", {"q": '"left opposition"'})) == ["A"]


def test_or_between_phrases_finds_either_phrase(client):
    make_essay(title="A", body="The left opposition met.")
    make_essay(title="B", body="A workers council formed.")
    make_essay(title="C", body="The council of workers and the opposition on the left.")

    found = titles(client.get("/search/", {"q": '"left opposition" OR "workers council"'}))

    assert sorted(found) == ["A", "B"]


def test_a_phrase_with_small_words_inside_is_found(client):
    make_essay(title="A", body="He wrote on the revolution of the workers in exile.")
    make_essay(title="B", body="The workers saw the revolution.")

    assert titles(client.get("/search/", {"q": '"revolution of the workers"'})) == ["A"]


def test_or_finds_either_word(client):
    make_essay(title="A", body="Anarchism.")
    make_essay(title="B", body="Syndicalism.")
    make_essay(title="C", body="Neither.")

    assert sorted(titles(client.get("/search/", {"q": "anarchism OR syndicalism"}))) == ["A", "B"]


def test_a_minus_excludes_a_word(client):
    make_essay(title="A", body="Kronstadt and the sailors.")
    make_essay(title="B", body="Kronstadt and Petrograd.")

    assert titles(client.get("/search/", {"q": "kronstadt -sailors"})) == ["B"]


def test_a_hyphen_inside_a_word_does_not_exclude(client, people):
    assert "Mao Zedong" in titles(client.get("/search/", {"q": "Tse-tung"}))


def test_each_hit_shows_the_matching_part_of_the_body_marked(client, essay):
    response = client.get("/search/", {"q": "Mexico"})

    assert response.status_code == 200
    assert b"<mark>Mexico</mark>" in response.content
    hit = response.context["results"].page[0]
    assert ("Mexico", True) in hit.snippet
    assert "degeneration" not in "".join(text for text, _ in hit.snippet)


def test_a_stemmed_match_is_marked_in_the_snippet(client, essay):
    response = client.get("/search/", {"q": "degenerate"})

    assert b"<mark>degeneration</mark>" in response.content


def test_text_in_a_snippet_is_escaped(client):
    make_essay(title="Markup", body="Watch for `<b>1 < 2 & 3</b>` near kronstadt.")

    response = client.get("/search/", {"q": "kronstadt"})

    assert b"<mark>kronstadt</mark>" in response.content
    assert b"<b>1" not in response.content
    assert b"1 &lt; 2 &amp; 3" in response.content


def test_drafts_never_appear_to_readers(client):
    make_essay(title="Secret kronstadt draft", published=False)

    assert client.get("/search/", {"q": "kronstadt"}).context["results"].total == 0


def test_a_future_dated_essay_appears_only_when_its_date_comes(client):
    essay = make_essay(
        title="Scheduled kronstadt", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    assert client.get("/search/", {"q": "kronstadt"}).context["results"].total == 0

    type(essay).objects.filter(pk=essay.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    essay.refresh_from_db()
    essay.save()

    assert titles(client.get("/search/", {"q": "kronstadt"})) == ["Scheduled kronstadt"]


def test_a_scheduled_essay_needs_no_reindex_to_appear(client, monkeypatch):
    make_essay(
        title="Scheduled kronstadt", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    assert titles(client.get("/search/", {"q": "kronstadt"})) == ["Scheduled kronstadt"]


def test_facets_count_hits_by_kind_section_tag_and_decade(client, essay, works):
    facets = client.get("/search/", {"q": "Serge"}).context["results"].facets

    assert {(f.value, f.count) for f in facets["kind"]} == {
        ("essay", 1),
        ("person", 1),
        ("work", 2),
    }
    assert [(f.value, f.count) for f in facets["section"]] == [("research", 1)]
    assert {(f.label, f.count) for f in facets["tag"]} == {("Stalinism", 1), ("Literature", 1)}
    assert ("1930s", 1) in {(f.label, f.count) for f in facets["decade"]}
    assert ("1940s", 1) in {(f.label, f.count) for f in facets["decade"]}


def test_a_facet_narrows_the_results_and_combines_with_the_query(client, essay, works):
    response = client.get("/search/", {"q": "Serge", "kind": "work", "decade": "1940"})

    assert titles(response) == ["The Case of Comrade Tulayev"]


def test_a_tag_facet_keeps_only_essays_with_that_tag(client, essay):
    make_essay(title="Other Serge essay", body="Victor Serge again.", tags=["Exile"])

    response = client.get("/search/", {"q": "Serge", "tag": "stalinism"})

    assert titles(response) == ["The Dissident Marxism of Victor Serge"]


def test_facet_links_keep_the_query_and_the_other_facets(client, essay, works):
    response = client.get("/search/", {"q": "Serge", "kind": "work"})

    decade_links = [f.url for f in response.context["results"].facets["decade"]]
    assert "?q=Serge&kind=work&decade=1940" in decade_links


def test_facets_survive_pagination(client, research):
    other = make_section(title="Other", slug="other")
    for number in range(25):
        make_essay(title=f"Kronstadt {number}", section=research)
    make_essay(title="Kronstadt elsewhere", section=other)

    first = client.get("/search/", {"q": "kronstadt", "section": "research"})
    assert first.context["results"].total == 25
    assert b'href="?q=kronstadt&amp;section=research&amp;page=2"' in first.content

    second = client.get("/search/", {"q": "kronstadt", "section": "research", "page": "2"})
    assert len(second.context["results"].page) == 5
    assert "Kronstadt elsewhere" not in titles(second)


def test_pages_do_not_repeat_or_skip_hits(client):
    for number in range(45):
        make_essay(title=f"Kronstadt {number}")

    seen = []
    for page in ("1", "2", "3"):
        seen += titles(client.get("/search/", {"q": "kronstadt", "page": page}))

    assert sorted(seen) == sorted(f"Kronstadt {n}" for n in range(45))


def test_a_page_number_past_the_end_shows_the_last_page(client):
    for number in range(55):
        make_essay(title=f"Kronstadt {number}")

    last = client.get("/search/", {"q": "kronstadt", "page": "99999999"})
    earlier = titles(client.get("/search/", {"q": "kronstadt", "page": "1"}))
    earlier += titles(client.get("/search/", {"q": "kronstadt", "page": "2"}))

    assert last.context["results"].page.number == 3
    assert len(titles(last)) == 15
    assert sorted(earlier + titles(last)) == sorted(f"Kronstadt {n}" for n in range(55))


def test_misspelled_name_hits_come_first_and_pages_stay_whole(client, people):
    for number in range(25):
        make_essay(title=f"Spellings {number}", body="Older books write Trotzky.")

    first = client.get("/search/", {"q": "Trotzky"})
    second = client.get("/search/", {"q": "Trotzky", "page": "2"})

    assert titles(first)[0] == "Leon Trotsky"
    assert first.context["results"].total == 26
    assert len(titles(first)) + len(titles(second)) == 26
    assert set(titles(first)).isdisjoint(titles(second))


def test_a_person_searched_for_shows_their_lifespan_and_description(client):
    make_person(name="Emma Goldman", description="anarchist writer")

    response = client.get("/search/", {"q": "Goldman"})

    assert "anarchist writer" in response.context["results"].page[0].meta


def test_the_search_page_runs_a_bounded_number_of_queries(
    client, essay, works, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get("/search/", {"q": "Trotzky"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/search/", {"q": "Serge", "tag": "stalinism"}).status_code == 200


def test_a_work_is_found_by_its_original_title_and_its_author(client, works):
    assert (
        titles(client.get("/search/", {"q": "Affaire Toulaév"}))[0] == "The Case of Comrade Tulayev"
    )
    assert "The Revolution Betrayed" in titles(client.get("/search/", {"q": "Trotsky betrayed"}))


def test_a_work_saved_with_its_author_later_is_found_by_the_author(client):
    person = make_person(name="Emma Goldman")
    make_work(title="My Disillusionment in Russia", authors=[person])

    assert "My Disillusionment in Russia" in titles(client.get("/search/", {"q": "Goldman"}))
