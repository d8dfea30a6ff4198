import datetime
import json
import re

import pytest
from django.urls import reverse

from people.models import DatePrecision, OtherName
from tests.factories import make_essay, make_person, make_work
from works.models import Contribution

pytestmark = pytest.mark.django_db


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


def test_the_index_lists_people_by_sort_name_under_their_initial(client):
    make_person(name="Victor Serge", sort_name="Serge, Victor", description="novelist")
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    response = client.get(reverse("people:index"))

    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert [p.name for p in groups["S"]] == ["Victor Serge"]
    assert [p.name for p in groups["K"]] == ["Karl Korsch"]
    assert "Serge, Victor" in response.text
    assert "novelist" in response.text


def test_names_with_accents_are_filed_under_the_plain_letter(client):
    make_person(
        name="Claude Lévi-Strauss", sort_name="Lévi-Strauss, Claude", slug="claude-levi-strauss"
    )
    make_person(name="Daniel Guérin", sort_name="Guérin, Daniel", slug="daniel-guerin")
    make_person(name="Émile Pouget", sort_name="Émile Pouget", slug="emile-pouget")
    make_person(name="Vladimir Lenin", sort_name="Lenin, Vladimir")

    groups = dict(client.get(reverse("people:index")).context["groups"])

    assert [p.name for p in groups["L"]] == ["Vladimir Lenin", "Claude Lévi-Strauss"]
    assert [p.name for p in groups["G"]] == ["Daniel Guérin"]
    assert [p.name for p in groups["E"]] == ["Émile Pouget"]
    assert "É" not in groups


def test_the_letters_are_in_alphabetical_order_whatever_the_database_collation(client):
    make_person(name="Grigory Zinoviev", sort_name="Zinoviev, Grigory")
    make_person(name="Émile Pouget", sort_name="Émile Pouget", slug="emile-pouget")
    make_person(name="Ante Ciliga", sort_name="Ciliga, Ante")

    groups = client.get(reverse("people:index")).context["groups"]

    assert [initial for initial, _ in groups] == ["C", "E", "Z"]


def test_the_jump_links_lead_to_each_letter_present(client):
    make_person(name="Karl Korsch", sort_name="Korsch, Karl")

    response = client.get(reverse("people:index"))

    assert '<a href="#letter-K">K</a>' in response.text
    assert 'id="letter-K"' in response.text
    # A letter with nobody under it is shown but not linked.
    assert '<a href="#letter-Q">' not in response.text
    assert '<span class="az-empty">Q</span>' in response.text


def test_a_name_that_does_not_start_with_a_letter_is_filed_last(client):
    make_person(name="Ante Ciliga", sort_name="Ciliga, Ante")
    make_person(name="1917 Collective", sort_name="1917 Collective")

    groups = client.get(reverse("people:index")).context["groups"]

    assert [initial for initial, _ in groups] == ["C", "#"]


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

    response = client.get(reverse("people:index"))

    assert "(1886–1961)" in response.text
    assert "(c. 1875–)" in response.text


def test_the_index_says_so_when_there_is_nobody(client):
    response = client.get(reverse("people:index"))

    assert response.status_code == 200
    assert "No people have been added yet." in response.text


def test_the_index_costs_the_same_queries_for_2_or_20_people(client):
    for n in range(2):
        make_person(name=f"Person {n}", other_names=[f"Other {n}"])
    small = count_queries(client, reverse("people:index"))
    for n in range(2, 20):
        make_person(name=f"Person {n}", other_names=[f"Other {n}"])
    large = count_queries(client, reverse("people:index"))

    assert small == large
    assert large <= 3


# --- A person's page -----------------------------------------------------


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

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

    person = make_person()
    fill(person, 0, 2)
    small = count_queries(client, person.get_absolute_url())
    fill(person, 2, 20)
    large = count_queries(client, person.get_absolute_url())

    assert small == large


def test_the_people_pages_refuse_to_be_posted_to(client):
    person = make_person()

    assert client.post(reverse("people:index")).status_code == 405
    assert client.post(person.get_absolute_url()).status_code == 405
