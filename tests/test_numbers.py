"""Numbers read from requests: sergesite.numbers and the pages that use it."""

import pytest
from django.urls import reverse

from sergesite.numbers import page_number, parse_int
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = pytest.mark.django_db

# Characters str.isdigit() or int() accept that a reader would not type as a number.
NOT_ASCII_NUMBERS = [
    "²",
    "①",
    "١٩٣٠",
    "۱۹۳۰",
    "１９３０",
    "𝟏𝟗𝟑𝟎",
    "1_930",
    " 1930",
    "1930\n",
    "+1930",
]


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS + ["", "x", "1.5", "1e3", "0x10", "-", None])
def test_anything_but_ascii_digits_is_the_default(value):
    assert parse_int(value, default="default") == "default"


def test_ascii_digits_with_an_optional_minus_are_read():
    assert [parse_int("1930"), parse_int("-40"), parse_int("0"), parse_int(7)] == [1930, -40, 0, 7]


def test_numbers_outside_the_bounds_are_the_default():
    assert parse_int("0", default=1, minimum=1) == 1
    assert parse_int("10000", minimum=0, maximum=9999) is None
    assert parse_int("9999", minimum=0, maximum=9999) == 9999


def test_huge_numbers_are_refused_without_being_parsed():
    assert parse_int("9" * 19) is None
    assert parse_int("9" * 100_000) is None


@pytest.mark.parametrize("value", ["²", "①", "١", "1.5", "", None])
def test_a_page_number_not_in_ascii_digits_is_the_first_page(value):
    assert page_number(value) == 1


def test_a_page_number_in_ascii_digits_is_left_to_the_paginator_however_large():
    assert [page_number("2"), page_number("-3"), page_number("0")] == [2, -3, 0]
    assert page_number("9" * 400) == page_number("-" + "9" * 30) > 10**9


# --- Pages ------------------------------------------------------------------


@pytest.fixture
def many_essays():
    section = make_section(title="Research", slug="research")
    for n in range(25):
        make_essay(title=f"Serge and the opposition {n}", section=section, tags=["Stalinism"])
    return section


@pytest.mark.parametrize("value", ["²", "①", "١٩٣٠", "-1", "10000", "99999999999999999999", ""])
def test_an_odd_search_decade_is_ignored(client, value):
    make_essay(title="Serge in Petrograd")

    response = client.get(reverse("search"), {"q": "serge", "decade": value})

    assert response.status_code == 200
    assert response.context["filters"].decade is None


def test_a_search_decade_in_ascii_digits_filters(client):
    response = client.get(reverse("search"), {"q": "serge", "decade": "1930"})

    assert response.context["filters"].decade == 1930


@pytest.mark.parametrize("value", ["²", "①", "١", "1.5", ""])
def test_an_odd_search_page_is_the_first_page(client, many_essays, value):
    response = client.get(reverse("search"), {"q": "serge", "page": value})

    assert response.status_code == 200
    assert response.context["results"].page.number == 1


def test_a_search_page_in_ascii_digits_is_that_page(client, many_essays):
    response = client.get(reverse("search"), {"q": "serge", "page": "2"})

    assert response.context["results"].page.number == 2


@pytest.mark.parametrize("value", ["-2", "0", "99999999999999999999", "9" * 400])
def test_a_search_page_past_either_end_is_the_last_page(client, many_essays, value):
    response = client.get(reverse("search"), {"q": "serge", "page": value})

    assert response.status_code == 200
    assert response.context["results"].page.number == 2
    assert len(response.context["results"].page.object_list) == 5


@pytest.mark.parametrize("value", ["²", "①", "٢", "２"])
def test_an_odd_page_of_an_essay_list_is_the_first_page(client, many_essays, value):
    for url in [
        reverse("essays:section", kwargs={"slug": "research"}),
        reverse("essays:tag", kwargs={"slug": "stalinism"}),
    ]:
        response = client.get(url, {"page": value})

        assert response.status_code == 200
        assert response.context["page"].number == 1


def test_an_odd_page_of_the_works_list_is_the_first_page(client):
    serge = make_person(name="Victor Serge")
    for n in range(55):
        make_work(title=f"Work {n}", authors=[serge], year_published=1900 + n)

    assert client.get(reverse("works:index"), {"page": "٢"}).context["page"].number == 1
    assert client.get(reverse("works:index"), {"page": "2"}).context["page"].number == 2


@pytest.mark.parametrize("value", ["²", "١", "0", "-1"])
def test_an_odd_sitemap_page_is_not_found(client, value):
    assert client.get(reverse("sitemap-xml"), {"p": value}).status_code == 404


def test_the_first_sitemap_page_by_number_is_found(client):
    assert client.get(reverse("sitemap-xml"), {"p": "1"}).status_code == 200


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("admin:people_person_changelist", "born"), ("admin:works_work_changelist", "decade")],
)
@pytest.mark.parametrize("value", ["²", "١٩٠٠", "0", "99999", "-100"])
def test_odd_values_in_the_admin_year_filters_list_everything(admin_client, url, parameter, value):
    make_work(title="The Case of Comrade Tulayev", year_published=1948)
    make_person(name="Victor Serge")

    response = admin_client.get(reverse(url), {parameter: value})

    assert response.status_code == 200
