import datetime
import html
import re

import pytest
from django.utils import timezone

from people.models import DatePrecision
from tests.factories import make_essay, make_mention, make_person, make_work
from works.models import Contribution

pytestmark = pytest.mark.django_db


def svg_of(response):
    found = re.search(r"<svg\b.*?</svg>", response.text, re.S)
    return found.group(0) if found else ""


def listed(response):
    found = re.search(r'<ol class="timeline-list">(.*?)</ol>', response.text, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item))).strip() for item in items
    ]


def published(year, month=6):
    return datetime.datetime(year, month, 1, tzinfo=datetime.UTC)


@pytest.fixture
def serge():
    return make_person(
        name="Victor Serge",
        birth_date=datetime.date(1890, 12, 30),
        birth_precision=DatePrecision.DAY,
        birth_place="Brussels",
        death_date=datetime.date(1947, 11, 17),
        death_precision=DatePrecision.DAY,
        death_place="Mexico City",
    )


def test_the_timeline_draws_life_works_and_essays_in_order(client, serge):
    make_work(title="Conquered City", authors=[serge], year_published=1932)
    make_work(title="Memoirs of a Revolutionary", authors=[serge], year_written=1943,
              year_published=1951)  # fmt: skip
    make_essay(title="Serge's novels", published_at=published(2024), people=[serge])
    make_mention(essay=make_essay(title="The Left Opposition", published_at=published(2023)),
                 person=serge)  # fmt: skip

    response = client.get(serge.get_absolute_url())

    assert listed(response) == [
        "1890 Born 30 December 1890, Brussels",
        "1932 Work: Conquered City",
        "1947 Died 17 November 1947, Mexico City",
        "1951 Work: Memoirs of a Revolutionary",
        "2023 Essay: The Left Opposition",
        "2024 Essay: Serge's novels",
    ]
    svg = svg_of(response)
    assert svg.count('class="timeline__mark timeline__mark--work"') == 2
    assert svg.count('class="timeline__mark timeline__mark--essay"') == 2
    assert 'class="timeline__life"' in svg
    assert ">b. 1890</text>" in svg and ">d. 1947</text>" in svg
    assert "<title>1932: Conquered City</title>" in svg


def test_the_timeline_is_an_accessible_image_without_scripts_or_styles(client, serge):
    svg = svg_of(client.get(serge.get_absolute_url()))

    assert 'role="img"' in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<title id="timeline-title">Timeline of Victor Serge</title>' in svg
    assert (
        '<desc id="timeline-desc">Victor Serge: born 30 December 1890; died 17 November 1947.'
        in svg
    )
    assert "style=" not in svg
    assert "<script" not in svg
    assert "href=" not in svg  # nothing outside the page


def test_a_work_listed_in_two_roles_is_drawn_once(client, serge):
    work = make_work(title="Conquered City", authors=[serge], year_published=1932)
    Contribution.objects.create(work=work, person=serge, role=Contribution.Role.TRANSLATOR)

    response = client.get(serge.get_absolute_url())

    assert listed(response).count("1932 Work: Conquered City") == 1


def test_works_of_one_year_share_one_larger_mark(client, serge):
    make_work(title="Birth of Our Power", authors=[serge], year_published=1931)
    make_work(title="Men in Prison", authors=[serge], year_published=1931)

    svg = svg_of(client.get(serge.get_absolute_url()))

    assert svg.count("timeline__mark--work") == 1
    assert "<title>1931: Birth of Our Power; Men in Prison</title>" in svg
    assert 'r="5"' in svg


def test_a_person_with_only_a_birth_year_has_a_timeline_without_a_life_bar(client):
    libertad = make_person(
        name="Albert Libertad", birth_date=datetime.date(1875, 1, 1),
        birth_precision=DatePrecision.CIRCA,
    )  # fmt: skip

    response = client.get(libertad.get_absolute_url())

    svg = svg_of(response)
    assert ">b. c. 1875</text>" in svg
    assert "timeline__life" not in svg
    assert listed(response) == ["1875 Born c. 1875"]


def test_a_person_with_only_a_death_date_has_a_timeline(client):
    person = make_person(name="Unknown Comrade", death_date=datetime.date(1937, 3, 1),
                         death_precision=DatePrecision.MONTH)  # fmt: skip

    response = client.get(person.get_absolute_url())

    assert ">d. 1937</text>" in svg_of(response)
    assert listed(response) == ["1937 Died March 1937"]


def test_a_person_with_no_dates_has_no_timeline(client):
    person = make_person(name="Anonymous")
    make_work(title="A Pamphlet", authors=[person], year_published=1920)
    make_essay(people=[person])

    response = client.get(person.get_absolute_url())

    assert response.status_code == 200
    assert "<svg" not in response.text
    assert "Timeline" not in response.text


def test_a_short_life_gets_one_label_for_both_dates(client):
    person = make_person(name="Short Life", birth_date=datetime.date(1900, 1, 1),
                         death_date=datetime.date(1910, 1, 1))  # fmt: skip
    make_essay(people=[person], published_at=timezone.now() - datetime.timedelta(days=3))

    svg = svg_of(client.get(person.get_absolute_url()))

    assert ">1900–1910</text>" in svg
    assert ">b. 1900</text>" not in svg


def test_names_and_titles_in_the_timeline_are_escaped(client):
    person = make_person(
        name='<img src=x onerror="alert(1)">', birth_date=datetime.date(1900, 1, 1)
    )
    make_work(title="</text><script>alert(2)</script>", authors=[person], year_published=1920)

    response = client.get(person.get_absolute_url())

    svg = svg_of(response)
    assert "<script>alert(2)" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;/text&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in svg
