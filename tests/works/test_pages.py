import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_essay, make_mention, make_person, make_work
from works.models import Contribution, Work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def count_queries(client, url):
    client.get(url)  # the menu and the cache generation, read once per change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def json_ld(response):
    found = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S
    )
    assert found, "no JSON-LD block on the page"
    return json.loads(found.group(1))


def meta_tags(response):
    return [
        (name, html.unescape(content))
        for name, content in re.findall(
            r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', response.text
        )
    ]


def listed_titles(response):
    return [work.title for work in response.context["page"].object_list]


@pytest.fixture
def serge():
    return make_person(name="Victor Serge", sort_name="Serge, Victor", slug="victor-serge")


@pytest.fixture
def memoirs(serge):
    sedgwick = make_person(name="Peter Sedgwick", sort_name="Sedgwick, Peter")
    work = make_work(
        title="Memoirs of a Revolutionary",
        slug="memoirs-of-a-revolutionary",
        original_title="Mémoires d'un révolutionnaire",
        original_language="fr",
        kind=Work.Kind.MEMOIR,
        year_written=1942,
        year_written_end=1943,
        year_published=1951,
        year_published_english=1963,
        publisher="Oxford University Press",
        place="London",
        isbn="978-1-59017-451-9",
        notes="Written in Mexico, *in exile*.",
        online_url="https://example.org/memoirs",
        authors=[serge],
    )
    Contribution.objects.create(work=work, person=sedgwick, role="translator", order=1)
    return work


# --- The works list ------------------------------------------------------


def test_the_works_list_shows_works_by_year_with_their_authors(client, serge):
    make_work(title="Midnight in the Century", year_published=1939, authors=[serge])
    make_work(title="Men in Prison", year_published=1930, authors=[serge])
    make_work(title="Year Two of the Russian Revolution", year_written=1928)
    make_work(title="A work with no date")

    response = client.get(reverse("works:index"))

    assert response.status_code == 200
    assert listed_titles(response) == [
        "Year Two of the Russian Revolution",
        "Men in Prison",
        "Midnight in the Century",
        "A work with no date",
    ]
    assert '<a href="/people/victor-serge/">Victor Serge</a>' in response.text


def test_the_works_list_filters_by_author(client, serge):
    trotsky = make_person(name="Leon Trotsky", slug="leon-trotsky")
    make_work(title="Men in Prison", authors=[serge])
    make_work(title="The Revolution Betrayed", authors=[trotsky])

    response = client.get(reverse("works:index"), {"author": "leon-trotsky"})

    assert listed_titles(response) == ["The Revolution Betrayed"]


def test_the_author_filter_leaves_out_works_the_person_only_translated(client, serge):
    make_work(title="Men in Prison", authors=[serge])
    other = make_work(title="A translated book", authors=[make_person(name="Someone")])
    Contribution.objects.create(work=other, person=serge, role="translator")

    response = client.get(reverse("works:index"), {"author": "victor-serge"})

    assert listed_titles(response) == ["Men in Prison"]


def test_the_works_list_filters_by_kind(client, serge):
    make_work(title="Men in Prison", kind=Work.Kind.NOVEL, authors=[serge])
    make_work(title="Lenin 1917", kind=Work.Kind.BIOGRAPHY, authors=[serge])

    response = client.get(reverse("works:index"), {"kind": "novel"})

    assert listed_titles(response) == ["Men in Prison"]


def test_the_author_and_kind_filters_combine(client, serge):
    koestler = make_person(name="Arthur Koestler", slug="arthur-koestler")
    make_work(title="Men in Prison", kind=Work.Kind.NOVEL, authors=[serge])
    make_work(title="Lenin 1917", kind=Work.Kind.BIOGRAPHY, authors=[serge])
    make_work(title="Darkness at Noon", kind=Work.Kind.NOVEL, authors=[koestler])

    response = client.get(reverse("works:index"), {"author": "victor-serge", "kind": "novel"})

    assert listed_titles(response) == ["Men in Prison"]
    # The form shows the choices made, so the reader can change one of them.
    assert '<input type="hidden" name="author" value="victor-serge"' in response.text
    assert '<a href="?kind=novel">any author</a>' in response.text
    assert '<option value="novel" selected>Novel</option>' in response.text


def test_the_works_list_filters_by_the_start_of_an_authors_surname(client, serge):
    trotsky = make_person(name="Leon Trotsky", sort_name="Trotsky, Leon")
    levi = make_person(name="Primo Lévi", sort_name="Lévi, Primo", slug="primo-levi")
    make_work(title="Men in Prison", authors=[serge])
    make_work(title="The Revolution Betrayed", authors=[trotsky])
    make_work(title="If This Is a Man", authors=[levi])
    translated = make_work(title="Translated by Trotsky", authors=[serge])
    Contribution.objects.create(work=translated, person=trotsky, role="translator")

    def titles(name):
        return listed_titles(client.get(reverse("works:index"), {"name": name}))

    assert titles("trot") == ["The Revolution Betrayed"]
    assert titles("  TROTSKY, L ") == ["The Revolution Betrayed"]
    # Accents do not matter, either way round.
    assert titles("levi") == ["If This Is a Man"]
    assert titles("Lévi") == ["If This Is a Man"]
    # The start of the surname, not any part of a name.
    assert titles("otsky") == []
    assert titles("Leon") == []


def test_the_surname_filter_keeps_the_page_bounded_with_many_authors(
    client, serge, django_assert_max_num_queries
):
    for n in range(60):
        make_work(title=f"Book {n:02}", authors=[make_person(name=f"Author {n}")])
    client.get(reverse("works:index"))  # the menu and the cache generation

    with django_assert_max_num_queries(4):
        response = client.get(reverse("works:index"), {"name": "auth"})

    assert len(listed_titles(response)) == 50
    # No menu of authors: the page does not list people it does not show works by.
    assert "<option" not in response.text.split('name="kind"')[0]
    assert 'href="?name=auth&amp;page=2"' in response.text


def test_a_person_page_links_to_their_works_in_the_works_list(client, serge):
    make_work(title="Men in Prison", authors=[serge])

    response = client.get(serge.get_absolute_url())

    assert '<a href="/works/?author=victor-serge">' in response.text


def test_the_filter_form_has_labels_and_works_without_javascript(client, serge):
    make_work(title="Men in Prison", authors=[serge])

    text = client.get(reverse("works:index")).text

    assert '<form class="filters" method="get" action="/works/">' in text
    assert '<label for="id_name">Author</label>' in text
    assert '<label for="id_kind">Kind</label>' in text
    assert '<button type="submit">' in text


@pytest.mark.parametrize(
    "query",
    [
        {"author": "nobody-at-all"},
        {"author": "<script>"},
        {"author": "a\x00b"},
        {"author": "x" * 5000},
        {"kind": "sonnet"},
        {"kind": ""},
        {"author": "", "kind": "novel\x00"},
        {"name": "a\x00b"},
        {"name": "x" * 5000},
        {"author": "victor-serge", "name": "\x00"},
    ],
)
def test_bad_filter_values_give_a_clean_page_listing_all_works(client, serge, query):
    make_work(title="Men in Prison", authors=[serge])

    response = client.get(reverse("works:index"), query)

    assert response.status_code == 200
    assert listed_titles(response) == ["Men in Prison"]
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_a_bad_filter_is_reported_and_a_good_one_still_applies(client, serge):
    make_work(title="Men in Prison", kind=Work.Kind.NOVEL, authors=[serge])
    make_work(title="Lenin 1917", kind=Work.Kind.BIOGRAPHY, authors=[serge])

    response = client.get(reverse("works:index"), {"author": "nobody", "kind": "novel"})

    assert listed_titles(response) == ["Men in Prison"]
    assert "There is no author by that name" in response.text


def test_the_works_list_is_paginated_and_pages_keep_the_filters(client, serge):
    for n in range(55):
        make_work(title=f"Novel {n:02}", kind=Work.Kind.NOVEL, year_published=1900 + n)
    make_work(title="Not a novel", kind=Work.Kind.PLAY)

    first = client.get(reverse("works:index"), {"kind": "novel"})
    second = client.get(reverse("works:index"), {"kind": "novel", "page": "2"})

    assert len(listed_titles(first)) == 50
    assert 'href="?kind=novel&amp;page=2"' in first.text
    assert listed_titles(second) == [f"Novel {n}" for n in range(50, 55)]


@pytest.mark.parametrize(("page", "first_title"), [
    ("abc", "Work 00"), ("-1", "Work 50"), ("0", "Work 50"), ("999999999999", "Work 50"),
    ("1.5", "Work 00"), ("", "Work 00"), ("9" * 400, "Work 50"),
])  # fmt: skip
def test_malformed_page_numbers_give_a_real_page(client, page, first_title):
    for n in range(55):
        make_work(title=f"Work {n:02}", year_published=1900 + n)

    response = client.get(reverse("works:index"), {"page": page})

    assert response.status_code == 200
    assert listed_titles(response)[0] == first_title


def test_the_works_list_says_so_when_nothing_matches(client):
    response = client.get(reverse("works:index"), {"kind": "play"})

    assert response.status_code == 200
    assert "No works match these filters." in response.text


def test_the_works_list_costs_the_same_queries_for_2_or_20_works(client):
    def fill(start, stop):
        for n in range(start, stop):
            authors = [make_person(name=f"Author {n}"), make_person(name=f"Coauthor {n}")]
            work = make_work(title=f"Work {n}", year_published=1900 + n, authors=authors)
            Contribution.objects.create(
                work=work, person=make_person(name=f"Translator {n}"), role="translator"
            )

    fill(0, 2)
    small = count_queries(client, reverse("works:index"))
    small_filtered = count_queries(client, reverse("works:index") + "?kind=book&author=x")
    fill(2, 20)
    large = count_queries(client, reverse("works:index"))
    large_filtered = count_queries(client, reverse("works:index") + "?kind=book&author=x")

    assert small == large
    assert small_filtered == large_filtered


def test_a_work_added_after_the_list_was_seen_is_counted_at_once(client, serge):
    make_work(title="Conquered City", kind=Work.Kind.NOVEL, authors=[serge])
    assert client.get(reverse("works:index")).context["page"].paginator.count == 1

    make_work(title="Memoirs of a Revolutionary", kind=Work.Kind.MEMOIR, authors=[serge])

    response = client.get(reverse("works:index"))
    assert response.context["page"].paginator.count == 2
    assert "2 works" in response.text


def test_each_filter_has_its_own_count(client, serge):
    trotsky = make_person(name="Leon Trotsky", sort_name="Trotsky, Leon", slug="leon-trotsky")
    make_work(title="Conquered City", kind=Work.Kind.NOVEL, authors=[serge])
    make_work(title="Midnight in the Century", kind=Work.Kind.NOVEL, authors=[serge])
    make_work(title="The Revolution Betrayed", kind=Work.Kind.POLITICS, authors=[trotsky])

    def count(**query):
        return client.get(reverse("works:index"), query).context["page"].paginator.count

    assert count() == 3
    assert count(kind="novel") == 2
    assert count(kind="novel", name="trot") == 0
    assert count(author="leon-trotsky") == 1
    assert count(kind="novel", author="nobody") == 2  # the bad filter is left out


# --- A work's page -------------------------------------------------------


def test_a_work_page_shows_the_full_bibliographic_record(client, memoirs):
    response = client.get(memoirs.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "<h1><cite>Memoirs of a Revolutionary</cite></h1>" in text
    assert '<cite lang="fr">Mémoires d&#x27;un révolutionnaire</cite>' in text
    assert "<dt>Original language</dt><dd>French</dd>" in text
    assert "<dt>Kind</dt><dd>Memoir</dd>" in text
    assert (
        '<dt>Written</dt><dd><a href="/years/1942/">1942</a>–<a href="/years/1943/">1943</a></dd>'
    ) in text
    assert '<dt>First published</dt><dd><a href="/years/1951/">1951</a></dd>' in text
    assert '<dt>First in English</dt><dd><a href="/years/1963/">1963</a></dd>' in text
    assert "<dt>Publisher</dt><dd>Oxford University Press, London</dd>" in text
    assert "<dt>ISBN</dt><dd>978-1-59017-451-9</dd>" in text
    assert '<a href="https://example.org/memoirs">Read it online</a>' in text
    assert "Written in Mexico, <em>in exile</em>." in text


def test_contributors_are_listed_with_their_roles_and_linked(client, memoirs):
    text = client.get(memoirs.get_absolute_url()).text

    assert '<dt>Author</dt>\n        <dd><a href="/people/victor-serge/">Victor Serge</a></dd>' in (
        text
    )
    assert "<dt>Translator</dt>" in text
    assert ">Peter Sedgwick</a></dd>" in text


def test_the_date_note_is_shown_where_sources_disagree(client, serge):
    tulayev = make_work(
        title="The Case of Comrade Tulayev",
        year_published=1948,
        year_published_english=1950,
        date_note="Some sources give 1949 for the first French edition.",
        authors=[serge],
    )

    text = client.get(tulayev.get_absolute_url()).text

    assert "<dt>Note on the dates</dt><dd>Some sources give 1949" in text


def test_chapters_and_the_book_they_belong_to_link_to_each_other(client):
    book = make_work(title="Dissident Marxism", subtitle="Past Voices for Present Times")
    chapter = make_work(title="Victor Serge", kind=Work.Kind.CHAPTER, part_of=book)

    book_page = client.get(book.get_absolute_url()).text
    chapter_page = client.get(chapter.get_absolute_url()).text

    assert f'<a href="{chapter.get_absolute_url()}"><cite>Victor Serge</cite></a>' in book_page
    assert "<dt>Part of</dt>" in chapter_page
    assert "<cite>Dissident Marxism: Past Voices for Present Times</cite>" in chapter_page


def test_translations_and_the_original_link_to_each_other(client):
    original = make_work(title="Ville conquise", original_language="fr")
    translation = make_work(title="Conquered City", translation_of=original, year_published=1975)

    original_page = client.get(original.get_absolute_url()).text
    translation_page = client.get(translation.get_absolute_url()).text

    assert '<h2 id="work-translations">Translations</h2>' in original_page
    assert '<cite>Conquered City</cite></a> (<a href="/years/1975/">1975</a>)' in original_page
    assert "<dt>Translation of</dt>" in translation_page
    assert "<cite>Ville conquise</cite>" in translation_page


def test_only_published_essays_that_discuss_the_work_are_listed(client, memoirs):
    make_essay(title="Reading the Memoirs", works=[memoirs])
    make_essay(title="A draft on the Memoirs", works=[memoirs], published=False)

    text = client.get(memoirs.get_absolute_url()).text

    assert "Reading the Memoirs" in text
    assert "A draft on the Memoirs" not in text


def test_a_book_lists_its_chapters_published_as_essays(client):
    book = make_work(title="Dissident Marxism")
    make_essay(title="The Dissident Marxism of Victor Serge", part_of=book)
    make_essay(title="An unpublished chapter", part_of=book, published=False)

    text = client.get(book.get_absolute_url()).text

    assert "Chapters published on this site" in text
    assert "The Dissident Marxism of Victor Serge" in text
    assert "An unpublished chapter" not in text


def test_the_work_page_links_feedback_about_the_work(client, memoirs):
    text = client.get(memoirs.get_absolute_url()).text

    assert "?about=Memoirs%20of%20a%20Revolutionary" in text


def test_an_unknown_work_is_not_found(client):
    assert client.get(reverse("works:detail", args=["no-such-book"])).status_code == 404


def test_the_work_page_has_a_plain_citation_to_copy(client, memoirs):
    text = client.get(memoirs.get_absolute_url()).text

    assert '<h2 id="work-cite">Cite this work</h2>' in text
    # A translated work is cited in its English edition, with the original's date.
    # Chicago, from the CSL style: the English edition of 1963, the original's 1951 first.
    assert (
        "Serge, Victor. <i>Memoirs of a Revolutionary</i>. Translated by Peter Sedgwick. "
        "Oxford University Press, 1963. Originally published as" in text
    )
    assert "(1951)" in text


def test_the_work_page_carries_highwire_citation_meta_tags(client, memoirs):
    response = client.get(memoirs.get_absolute_url())

    tags = meta_tags(response)
    assert ("citation_title", "Memoirs of a Revolutionary") in tags
    assert ("citation_author", "Serge, Victor") in tags
    # The record describes the English edition (a translator, 1963).
    assert ("citation_publication_date", "1963") in tags
    assert ("citation_language", "en") in tags
    assert ("citation_publisher", "Oxford University Press") in tags
    assert ("citation_isbn", "978-1-59017-451-9") in tags
    # The translator is not an author.
    assert ("citation_author", "Sedgwick, Peter") not in tags


def test_the_work_page_carries_a_coins_span_for_reference_managers(client, memoirs):
    text = client.get(memoirs.get_absolute_url()).text

    found = re.search(r'<span class="Z3988" title="([^"]*)"></span>', text)
    assert found
    coins = html.unescape(found.group(1))
    assert "rft.btitle=Memoirs+of+a+Revolutionary" in coins
    assert "rft.au=Serge%2C+Victor" in coins
    assert "rft.date=1963" in coins


def test_the_work_page_carries_schema_org_book_data(client, memoirs):
    data = json_ld(client.get(memoirs.get_absolute_url()))

    assert data["@type"] == "Book"
    assert data["name"] == "Memoirs of a Revolutionary"
    assert data["alternateName"] == "Mémoires d'un révolutionnaire"
    assert data["inLanguage"] == "en"
    assert data["translationOfWork"]["inLanguage"] == "fr"
    assert data["translationOfWork"]["datePublished"] == "1951"
    assert data["author"] == [
        {"@type": "Person", "name": "Victor Serge", "url": "http://testserver/people/victor-serge/"}
    ]
    assert data["translator"][0]["name"] == "Peter Sedgwick"
    assert data["datePublished"] == "1963"
    assert data["dateCreated"] == "1942"
    assert data["isbn"] == "978-1-59017-451-9"
    assert data["publisher"] == {"@type": "Organization", "name": "Oxford University Press"}


def test_a_chapter_is_described_as_part_of_its_book(client):
    book = make_work(title="Dissident Marxism", slug="dissident-marxism")
    chapter = make_work(title="Victor Serge", kind=Work.Kind.CHAPTER, part_of=book)

    response = client.get(chapter.get_absolute_url())

    data = json_ld(response)
    assert data["@type"] == "Chapter"
    assert data["isPartOf"] == {
        "@type": "Book",
        "name": "Dissident Marxism",
        "url": "http://testserver/works/dissident-marxism/",
    }
    assert ("citation_inbook_title", "Dissident Marxism") in meta_tags(response)


def test_a_title_with_markup_is_escaped_everywhere_on_the_work_page(client):
    work = make_work(title='"><script>alert(1)</script>', slug="nasty")

    response = client.get(work.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert json_ld(response)["name"] == '"><script>alert(1)</script>'


def test_the_work_page_costs_the_same_queries_for_2_or_20_contributors(client, serge):
    book = make_work(title="A big anthology", authors=[serge])

    def fill(start, stop):
        for n in range(start, stop):
            Contribution.objects.create(
                work=book, person=make_person(name=f"Editor {n}"), role="editor", order=n
            )
            make_work(title=f"Chapter {n}", kind=Work.Kind.CHAPTER, part_of=book)
            make_work(title=f"Translation {n}", translation_of=book)
            make_mention(essay=make_essay(title=f"Essay {n}", works=[book]), work=book)
            make_essay(title=f"Chapter essay {n}", part_of=book)

    fill(0, 2)
    small = count_queries(client, book.get_absolute_url())
    fill(2, 20)
    large = count_queries(client, book.get_absolute_url())

    assert small == large
    # The work with its parts and translations, its contributors, its
    # essays, the mentions; the fifth is the navigation menu's.
    assert large <= 5
    text = client.get(book.get_absolute_url()).text
    for shown in ("Editor 19", "Chapter 19", "Translation 19", "Essay 19", "Chapter essay 19"):
        assert shown in text


def test_the_work_page_tells_chapters_from_essays_that_discuss_the_work(client, serge):
    book = make_work(title="Collected writings", authors=[serge])
    make_essay(title="A chapter of it", part_of=book)
    make_essay(title="An essay about it", works=[book])
    make_essay(title="Both at once", part_of=book, works=[book])
    make_essay(title="A draft chapter", part_of=book, published=False)
    make_essay(title="Unrelated")

    response = client.get(book.get_absolute_url())

    chapters = [essay.title for essay in response.context["chapters_here"]]
    discussing = [group.essay.title for group in response.context["mentioned_in"]]
    assert sorted(chapters) == ["A chapter of it", "Both at once"]
    assert sorted(discussing) == ["An essay about it", "Both at once"]


def test_the_works_pages_refuse_to_be_posted_to(client, memoirs):
    assert client.post(reverse("works:index"), {"kind": "novel"}).status_code == 405
    assert client.post(memoirs.get_absolute_url()).status_code == 405
