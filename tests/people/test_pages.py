import datetime
import json
import re

import pytest
from django.urls import reverse

from people.models import DatePrecision, OtherName, Person, filing_initial, filing_key
from people.views import PEOPLE_PER_PAGE
from tests.factories import make_essay, make_mention, make_person, make_work
from works.models import Contribution

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def json_ld(response):
    found = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S
    )
    assert found, "no JSON-LD block on the page"
    return json.loads(found.group(1))


def make_serge():
    return make_person(
        name="Victor Serge",
        sort_name="Serge, Victor",
        description="anarchist turned Bolshevik, Left Oppositionist, novelist",
        birth_date=datetime.date(1890, 12, 30),
        birth_precision=DatePrecision.DAY,
        birth_place="Brussels",
        death_date=datetime.date(1947, 11, 17),
        death_precision=DatePrecision.DAY,
        death_place="Mexico City",
        wikidata="Q310151",
        viaf="49226386",
        biography="Born in Brussels to *Russian* exiles.",
        other_names=[
            ("Viktor Lvovich Kibalchich", OtherName.Kind.BIRTH),
            ("Kibaltchiche", OtherName.Kind.TRANSLITERATION),
            ("Le Rétif", OtherName.Kind.PEN),
            ("Valentin", OtherName.Kind.PEN),
            ("Victor Sergé", OtherName.Kind.MISSPELLING),
        ],
    )


# --- The A–Z index -------------------------------------------------------


def names_under(client, letter, page=None):
    query = {"letter": letter} if page is None else {"letter": letter, "page": page}
    response = client.get(reverse("people:index"), query)
    assert response.status_code == 200
    return [person.name for person in response.context["page"].object_list]


def test_the_index_lists_the_people_under_one_letter_by_sort_name(client):
    make_person(name="Victor Serge", sort_name="Serge, Victor", description="novelist")
    make_person(name="Boris Souvarine", sort_name="Souvarine, Boris")
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    response = client.get(reverse("people:index"), {"letter": "S"})

    assert response.status_code == 200
    assert [p.name for p in response.context["page"].object_list] == [
        "Victor Serge",
        "Boris Souvarine",
    ]
    assert "Serge, Victor" in response.text
    assert "novelist" in response.text
    assert "Korsch" not in response.text


def test_the_plain_index_shows_the_first_letter_that_has_people(client):
    make_person(name="Victor Serge", sort_name="Serge, Victor")
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    response = client.get(reverse("people:index"))

    assert response.context["letter"] == "K"
    assert "Korsch, Karl" in response.text
    assert "Serge, Victor" not in response.text
    assert "2 people, from A to Z" in response.text


def test_a_lower_case_letter_finds_the_same_people(client):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    assert names_under(client, "k") == ["Karl Korsch"]


def test_names_with_accents_are_filed_and_sorted_under_the_plain_letter(client):
    make_person(
        name="Claude Lévi-Strauss", sort_name="Lévi-Strauss, Claude", slug="claude-levi-strauss"
    )
    make_person(name="Wyndham Lewis", sort_name="Lewis, Wyndham")
    make_person(name="Vladimir Lenin", sort_name="Lenin, Vladimir")
    make_person(name="Émile Pouget", sort_name="Émile Pouget", slug="emile-pouget")

    # Folded, "levi" comes before "lewis"; by code point "é" would come after "w".
    assert names_under(client, "L") == ["Vladimir Lenin", "Claude Lévi-Strauss", "Wyndham Lewis"]
    assert names_under(client, "E") == ["Émile Pouget"]
    # An accented letter asked for is its plain letter.
    assert names_under(client, "É") == ["Émile Pouget"]


def test_names_in_other_scripts_get_their_own_letters_after_z(client):
    make_person(name="Лев Троцкий", sort_name="Троцкий, Лев", slug="trotsky-cyrillic")
    make_person(name="Øystein Sørensen", sort_name="Sørensen, Øystein", slug="sorensen")
    make_person(name="Ørnulf Bull", sort_name="Ørnulf Bull", slug="ornulf-bull")
    make_person(name="Grigory Zinoviev", sort_name="Zinoviev, Grigory")

    response = client.get(reverse("people:index"))
    letters = [letter for letter, _ in response.context["letters"]]

    assert letters[:26] == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert letters[26:] == ["Ø", "Т"]
    assert '<a href="?letter=%D0%A2"' in response.text
    assert names_under(client, "Т") == ["Лев Троцкий"]
    assert names_under(client, "ø") == ["Ørnulf Bull"]
    assert names_under(client, "S") == ["Øystein Sørensen"]


def test_the_letter_bar_links_the_letters_that_have_people(client):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")
    make_person(name="Boris Souvarine", sort_name="Souvarine, Boris")

    response = client.get(reverse("people:index"), {"letter": "S"})

    assert '<a href="?letter=K" title="1 person">K</a>' in response.text
    assert 'aria-current="page" title="1 person"><strong>S</strong></a>' in response.text
    # A letter with nobody under it is shown but not linked.
    assert '<a href="?letter=Q"' not in response.text
    assert '<span class="az-empty">Q</span>' in response.text


def test_a_name_that_does_not_start_with_a_letter_is_filed_last(client):
    make_person(name="Ante Ciliga", sort_name="Ciliga, Ante")
    make_person(name="1917 Collective", sort_name="1917 Collective")

    response = client.get(reverse("people:index"))

    assert [letter for letter, _ in response.context["letters"]][-1] == "#"
    assert '<a href="?letter=%23"' in response.text
    assert names_under(client, "#") == ["1917 Collective"]


def test_renaming_a_person_files_them_under_the_new_letter(client):
    person = make_person(name="Victor Serge", sort_name="Serge, Victor")
    person.sort_name = "Kibalchich, Victor"
    person.save()

    assert names_under(client, "K") == ["Victor Serge"]
    assert client.get(reverse("people:index"), {"letter": "S"}).status_code == 404


def test_a_long_letter_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr("people.views.PEOPLE_PER_PAGE", 2)
    for name in ("Kautsky", "Kollontai", "Korsch", "Kropotkin", "Kun"):
        make_person(name=name, sort_name=f"{name}, X")
    make_person(name="Lenin", sort_name="Lenin, V")

    assert names_under(client, "K") == ["Kautsky", "Kollontai"]
    assert names_under(client, "K", page="2") == ["Korsch", "Kropotkin"]
    assert names_under(client, "K", page="3") == ["Kun"]
    response = client.get(reverse("people:index"), {"letter": "K", "page": "2"})
    assert '<a rel="next" href="?letter=K&amp;page=3">' in response.text
    assert '<a rel="prev" href="?letter=K&amp;page=1">' in response.text
    assert "5 people, page 2 of 3." in response.text


def test_each_letter_and_page_is_its_own_canonical_address(client, monkeypatch):
    monkeypatch.setattr("people.views.PEOPLE_PER_PAGE", 1)
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")
    make_person(name="Karl Kautsky", sort_name="Kautsky, Karl")
    make_person(name="Victor Serge", sort_name="Serge, Victor")

    def canonical(query):
        text = client.get(reverse("people:index"), query).text
        return re.search(r'<link rel="canonical" href="([^"]*)">', text).group(1)

    assert canonical({}) == "http://testserver/people/"
    assert canonical({"letter": "K"}) == "http://testserver/people/"
    assert (
        canonical({"letter": "K", "page": "2"}) == "http://testserver/people/?letter=K&amp;page=2"
    )
    assert canonical({"letter": "s"}) == "http://testserver/people/?letter=S"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "٢", "2.5", "9" * 40, ""])
def test_a_bad_page_number_shows_a_page_of_the_letter(client, page):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    assert names_under(client, "K", page=page) == ["Karl Korsch"]


@pytest.mark.parametrize("letter", ["Q", "", "KK", "\x00", "%", "<script>"])
def test_a_letter_with_nobody_or_no_letter_at_all_is_not_found(client, letter):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    assert client.get(reverse("people:index"), {"letter": letter}).status_code == 404


def test_the_index_shows_lifespans_at_their_precision(client):
    make_person(
        name="Karl Korsch",
        birth_date=datetime.date(1886, 1, 1),
        death_date=datetime.date(1961, 1, 1),
    )
    make_person(
        name="Albert Libertad",
        birth_date=datetime.date(1875, 1, 1),
        birth_precision=DatePrecision.CIRCA,
    )

    assert "(1886–1961)" in client.get(reverse("people:index"), {"letter": "K"}).text
    assert "(c. 1875–)" in client.get(reverse("people:index"), {"letter": "A"}).text


def test_the_index_says_so_when_there_is_nobody(client):
    response = client.get(reverse("people:index"))

    assert response.status_code == 200
    assert "No people have been added yet." in response.text


def test_the_index_costs_one_query_however_many_people_there_are(
    client, uncached_pages, django_assert_num_queries
):
    # 300 people, 150 of them under K: two pages of K, and no query grows with them.
    # Inserted in one go (save() would render and index each): filed as save() files them.
    sort_names = [f"{'K' if n % 2 else 'B'}{n:03d}" for n in range(300)]
    Person.objects.bulk_create(
        Person(name=name, sort_name=name, slug=name.lower(), sort_key=filing_key(name),
               sort_initial=filing_initial(name))
        for name in sort_names
    )  # fmt: skip

    # The menu, the cache generation and the letter bar's counts, all kept
    # until the next change: then each page is one query.
    client.get(reverse("people:index"))
    with django_assert_num_queries(1):
        response = client.get(reverse("people:index"), {"letter": "K", "page": "2"})
    assert len(response.context["page"].object_list) == 150 - PEOPLE_PER_PAGE
    with django_assert_num_queries(1):
        response = client.get(reverse("people:index"))
    assert len(response.context["page"].object_list) == PEOPLE_PER_PAGE


def test_a_person_added_after_the_index_was_seen_is_counted_at_once(client):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")
    assert client.get(reverse("people:index")).context["count"] == 1

    make_person(name="Béla Kun", sort_name="Kun, Béla", slug="bela-kun")
    make_person(name="Georg Lukács", sort_name="Lukács, Georg", slug="georg-lukacs")

    response = client.get(reverse("people:index"))
    assert response.context["count"] == 3
    assert dict(response.context["letters"])["L"] == 1
    assert names_under(client, "K") == ["Karl Korsch", "Béla Kun"]


# --- A person's page -----------------------------------------------------


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the menu and the cache generation, read once per change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_person_page_shows_names_dates_places_and_biography(client):
    serge = make_serge()

    response = client.get(serge.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "<h1>Victor Serge</h1>" in text
    assert "anarchist turned Bolshevik" in text
    assert (
        '<a href="/years/1890/"><time datetime="1890-12-30">30 December 1890</time></a>, Brussels'
    ) in text
    assert (
        '<a href="/years/1947/"><time datetime="1947-11-17">17 November 1947</time></a>, '
        "Mexico City"
    ) in text
    assert "Born in Brussels to <em>Russian</em> exiles." in text
    assert '<a href="https://www.wikidata.org/wiki/Q310151">' in text
    assert '<a href="https://viaf.org/viaf/49226386/">' in text


def test_other_names_are_grouped_by_kind(client):
    response = client.get(make_serge().get_absolute_url())

    text = response.text
    assert "<dt>Birth name</dt>\n        <dd>Viktor Lvovich Kibalchich</dd>" in text
    assert "<dt>Pen names</dt>\n        <dd>Le Rétif</dd><dd>Valentin</dd>" in text
    assert "<dt>Other spellings</dt>\n        <dd>Kibaltchiche</dd>" in text


def test_a_misspelling_is_not_shown_on_the_person_page(client):
    brecht = make_person(
        name="Bertolt Brecht",
        other_names=[("Bertholt Brecht", OtherName.Kind.MISSPELLING)],
    )

    response = client.get(brecht.get_absolute_url())

    assert "Bertholt" not in response.text
    assert "Misspelling" not in response.text
    # Kept for search all the same.
    assert brecht.other_names.filter(name="Bertholt Brecht").exists()


@pytest.mark.parametrize(
    ("precision", "shown", "iso"),
    [
        (DatePrecision.DAY, "30 December 1890", "1890-12-30"),
        (DatePrecision.MONTH, "December 1890", "1890-12"),
        (DatePrecision.YEAR, "1890", "1890"),
        (DatePrecision.CIRCA, "c. 1890", "1890"),
    ],
)
def test_a_birth_date_is_shown_at_its_precision(client, precision, shown, iso):
    person = make_person(birth_date=datetime.date(1890, 12, 30), birth_precision=precision)

    response = client.get(person.get_absolute_url())

    assert f'<time datetime="{iso}">{shown}</time>' in response.text


def test_a_place_of_death_without_a_date_is_still_shown(client):
    person = make_person(name="Nestor Makhno", death_place="Paris")

    response = client.get(person.get_absolute_url())

    assert "<dt>Died</dt>\n        <dd>Paris</dd>" in response.text


def test_works_are_grouped_by_the_persons_role(client):
    greeman = make_person(name="Richard Greeman", sort_name="Greeman, Richard")
    own = make_work(title="Beware of Pity", year_published=1990, authors=[greeman])
    translated = make_work(title="Men in Prison", year_published=1930)
    Contribution.objects.create(work=translated, person=greeman, role=Contribution.Role.TRANSLATOR)

    response = client.get(greeman.get_absolute_url())

    text = response.text
    assert "<h3>As author</h3>" in text
    assert "<h3>As translator</h3>" in text
    assert text.index("As author") < text.index("Beware of Pity") < text.index("As translator")
    assert text.index("As translator") < text.index("Men in Prison")
    assert (
        f'<a href="{own.get_absolute_url()}"><cite>Beware of Pity</cite></a> '
        '(<a href="/years/1990/">1990</a>)'
    ) in text


def test_a_persons_works_are_listed_by_year(client):
    serge = make_person()
    make_work(title="Midnight in the Century", year_published=1939, authors=[serge])
    make_work(title="Men in Prison", year_published=1930, authors=[serge])
    make_work(title="Year Two of the Russian Revolution", authors=[serge])

    text = client.get(serge.get_absolute_url()).text

    assert text.index("Men in Prison") < text.index("Midnight in the Century")
    # Works with no year at all go last.
    assert text.index("Midnight in the Century") < text.index("Year Two")


def test_only_published_essays_about_a_person_are_listed(client):
    serge = make_person()
    make_essay(title="The Dissident Marxism of Victor Serge", people=[serge])
    make_essay(title="A draft about Serge", people=[serge], published=False)

    text = client.get(serge.get_absolute_url()).text

    assert "The Dissident Marxism of Victor Serge" in text
    assert "A draft about Serge" not in text


def test_the_person_page_links_feedback_about_the_person(client):
    person = make_person(name="Lev Kamenev")

    response = client.get(person.get_absolute_url())

    assert "?about=Lev%20Kamenev" in response.text


def test_an_unknown_person_is_not_found(client):
    assert client.get(reverse("people:detail", args=["nobody-here"])).status_code == 404


def test_the_person_page_carries_schema_org_person_data(client):
    serge = make_serge()

    data = json_ld(client.get(serge.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Person"
    assert data["name"] == "Victor Serge"
    assert data["url"] == "http://testserver" + serge.get_absolute_url()
    assert data["birthDate"] == "1890-12-30"
    assert data["deathDate"] == "1947-11-17"
    assert data["birthPlace"] == {"@type": "Place", "name": "Brussels"}
    assert set(data["alternateName"]) == {
        "Viktor Lvovich Kibalchich",
        "Kibaltchiche",
        "Le Rétif",
        "Valentin",
    }
    assert data["sameAs"] == [
        "https://www.wikidata.org/wiki/Q310151",
        "https://viaf.org/viaf/49226386/",
    ]


def test_json_ld_dates_keep_their_precision(client):
    korsch = make_person(
        name="Karl Korsch",
        birth_date=datetime.date(1886, 1, 1),
        death_date=datetime.date(1961, 6, 1),
        death_precision=DatePrecision.MONTH,
    )

    data = json_ld(client.get(korsch.get_absolute_url()))

    assert data["birthDate"] == "1886"
    assert data["deathDate"] == "1961-06"
    assert "sameAs" not in data


def test_markup_in_names_cannot_break_out_of_the_json_ld_block(client):
    person = make_person(name="</script><script>alert(1)</script>")

    response = client.get(person.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert json_ld(response)["name"] == "</script><script>alert(1)</script>"


def test_the_person_page_costs_the_same_queries_for_2_or_20_works_and_names(client):
    def fill(person, start, stop):
        for n in range(start, stop):
            OtherName.objects.create(person=person, name=f"Alias {n}")
            work = make_work(title=f"Work {n}", year_published=1900 + n, authors=[person])
            Contribution.objects.create(
                work=work, person=make_person(name=f"Translator {n}"), role="translator"
            )
            make_essay(title=f"Essay {n}", people=[person])
            essay = make_essay(title=f"Mentioning essay {n}")
            make_mention(essay=essay, person=person)
            make_mention(essay=essay, person=make_person(name=f"Companion {n}"))

    person = make_person(birth_date=datetime.date(1890, 12, 30))
    fill(person, 0, 2)
    small = count_queries(client, person.get_absolute_url())
    fill(person, 2, 20)
    large = count_queries(client, person.get_absolute_url())

    assert small == large
    # The person, other names, works with every contributor, mentions,
    # essays ticked, people alongside; the seventh is the navigation menu's.
    assert large <= 7
    text = client.get(person.get_absolute_url()).text
    for shown in ("Alias 19", "Work 19", "Essay 19", "Mentioning essay 19", "Often mentioned with"):
        assert shown in text


def test_the_people_pages_refuse_to_be_posted_to(client):
    person = make_person()

    assert client.post(reverse("people:index")).status_code == 405
    assert client.post(person.get_absolute_url()).status_code == 405
