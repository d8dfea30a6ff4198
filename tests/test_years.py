import datetime

import pytest
from django.urls import reverse

from people.models import DatePrecision
from tests.factories import make_person, make_work

pytestmark = pytest.mark.django_db


def year_url(year):
    return reverse("years:detail", kwargs={"year": year})


def names(items):
    return [str(item) for item in items]


@pytest.fixture
def serge():
    return make_person(
        name="Victor Serge",
        sort_name="Serge, Victor",
        birth_date=datetime.date(1890, 12, 30),
        birth_precision=DatePrecision.DAY,
        birth_place="Brussels",
        death_date=datetime.date(1947, 11, 17),
        death_precision=DatePrecision.DAY,
    )


def test_a_year_page_lists_births_deaths_and_works_written_and_published(client, serge):
    trotsky = make_person(
        name="Leon Trotsky",
        birth_date=datetime.date(1879, 1, 1),
        death_date=datetime.date(1940, 1, 1),
    )
    make_work(title="Memoirs of a Revolutionary", authors=[serge], year_written=1942,
              year_written_end=1943, year_published=1951, year_published_english=1963)  # fmt: skip
    make_work(title="The Case of Comrade Tulayev", authors=[serge], year_published=1948)
    make_work(title="Their Morals and Ours", authors=[trotsky], year_written=1938)

    in_1890 = client.get(year_url(1890)).context["happened"]
    in_1940 = client.get(year_url(1940)).context["happened"]
    in_1943 = client.get(year_url(1943)).context["happened"]
    in_1951 = client.get(year_url(1951)).context["happened"]
    in_1963 = client.get(year_url(1963))

    assert names(in_1890.born) == ["Victor Serge"] and not in_1890.died
    assert names(in_1940.died) == ["Leon Trotsky"]
    assert names(in_1943.written) == ["Memoirs of a Revolutionary"]
    assert names(in_1951.published) == ["Memoirs of a Revolutionary"]
    assert names(in_1963.context["happened"].in_english) == ["Memoirs of a Revolutionary"]
    assert "First in English" in in_1963.text
    assert 'href="/people/' in in_1963.text  # the author is linked


def test_a_year_page_shows_a_circa_date_as_circa(client):
    make_person(
        name="Albert Libertad",
        birth_date=datetime.date(1875, 1, 1),
        birth_precision=DatePrecision.CIRCA,
    )

    response = client.get(year_url(1875))

    assert "c. 1875" in response.text


def test_a_year_page_links_the_nearest_years_with_something_in_them(client, serge):
    response = client.get(year_url(1890))

    assert response.context["earlier"] is None
    assert response.context["later"] == 1947
    assert f'href="{year_url(1947)}"' in response.text


def test_a_year_with_nothing_in_it_is_not_found(client, serge):
    assert client.get(year_url(1900)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/years/abc/",
        "/years/99999/",
        "/years/123456789012345678901234567890/",
        "/years/0/",
        "/years/01890/",
        "/years/-1890/",
        "/years/١٨٩٠/",  # Arabic-Indic digits
        "/years/²/",
        "/years/１８９０/",  # full-width digits
        "/years/1890.0/",
    ],
)
def test_a_malformed_year_is_not_found(client, serge, path):
    assert client.get(path).status_code == 404


def test_the_last_year_an_address_can_hold_is_answered_without_error(client, serge):
    assert client.get("/years/9999/").status_code == 404


def test_the_year_index_counts_each_year_and_groups_them_by_decade(client, serge):
    make_work(title="Memoirs of a Revolutionary", year_written=1942, year_written_end=1943,
              year_published=1951, year_published_english=1963)  # fmt: skip
    make_work(title="Conquered City", year_published=1932, year_published_english=1975)
    make_work(title="Birth of Our Power", year_published=1931)

    response = client.get(reverse("years:index"))

    decades = response.context["decades"]
    assert decades == [
        (1890, [(1890, 1)]),
        (1930, [(1931, 1), (1932, 1)]),
        (1940, [(1942, 1), (1943, 1), (1947, 1)]),
        (1950, [(1951, 1)]),
        (1960, [(1963, 1)]),
        (1970, [(1975, 1)]),
    ]
    assert f'href="{year_url(1931)}"' in response.text
    assert "1930s" in response.text


def test_the_year_index_with_no_dates_says_so(client):
    response = client.get(reverse("years:index"))

    assert response.status_code == 200
    assert "No dates have been recorded yet." in response.text


def test_year_pages_cost_the_same_queries_however_many_people_and_works(
    client, django_assert_max_num_queries, uncached_pages
):
    for number in range(30):
        person = make_person(name=f"Person {number}", birth_date=datetime.date(1917, 1, 1))
        make_work(title=f"Work {number}", authors=[person], year_published=1917)
    client.get(reverse("years:index"))  # the menu and the cache generation

    with django_assert_max_num_queries(6):
        detail = client.get(year_url(1917))
    with django_assert_max_num_queries(4):
        index = client.get(reverse("years:index"))

    assert len(detail.context["happened"].born) == 30
    assert len(detail.context["happened"].published) == 30
    assert index.context["decades"] == [(1910, [(1917, 60)])]


def test_person_and_work_pages_link_their_years(client, serge):
    work = make_work(title="Memoirs", authors=[serge], year_written=1942, year_written_end=1943,
                     year_published=1951, year_published_english=1963)  # fmt: skip

    person_page = client.get(serge.get_absolute_url()).text
    work_page = client.get(work.get_absolute_url()).text
    works_index = client.get(reverse("works:index")).text

    for year in (1890, 1947, 1951):
        assert f'href="{year_url(year)}"' in person_page
    for year in (1942, 1943, 1951, 1963):
        assert f'href="{year_url(year)}"' in work_page
    assert f'href="{year_url(1951)}"' in works_index


def test_the_sitemap_lists_the_year_pages(client, serge):
    response = client.get(reverse("sitemap-section", args=["years"]))

    assert f"{year_url(1890)}</loc>" in response.text
    assert f"{year_url(1947)}</loc>" in response.text
