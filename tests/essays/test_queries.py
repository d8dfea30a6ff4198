import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_essay, make_mention, make_person, make_section, make_work

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _pages_built_each_time(settings):
    # The page cache would answer the second view with no query at all:
    # these tests count what building a page costs.
    settings.PAGE_CACHE_SECONDS = 0


def _queries(client, url):
    # Once before counting: the menu and the cache generation are read from
    # the database once per change of content, not once per page.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(count, section, tag="exile"):
    for number in range(count):
        make_essay(
            title=f"Essay {number}",
            section=section,
            tags=[tag, f"tag {number}"],
            people=[make_person(name=f"Person {number}")],
            works=[make_work(title=f"Work {number}")],
        )
        make_section(title=f"Menu section {number}")


@pytest.mark.parametrize(
    "url_for",
    [
        lambda section: reverse("home"),
        lambda section: section.get_absolute_url(),
        lambda section: reverse("essays:tag", args=["exile"]),
        lambda section: reverse("sitemap"),
        lambda section: reverse("essays:feed-atom"),
    ],
    ids=["home", "section", "tag", "sitemap", "feed"],
)
def test_list_pages_make_the_same_number_of_queries_as_data_grows(client, url_for):
    section = make_section(slug="welcome", title="Welcome")
    _grow(2, section)
    few = _queries(client, url_for(section))

    _grow(18, section)

    assert _queries(client, url_for(section)) == few


def _linked_essay(section, count):
    """An essay that is a chapter of a book, linking `count` of everything."""
    people = [make_person(name=f"Person {n}") for n in range(count)]
    works = [make_work(title=f"Work {n}") for n in range(count)]
    book = make_work(title="The book", authors=people[:count])
    essay = make_essay(
        section=section,
        tags=[f"tag {n}" for n in range(count)],
        people=people[: count // 2],
        works=works[: count // 2],
        part_of=book,
    )
    essay.set_authors(people[:count])
    for person in people[count // 2 :]:
        make_mention(essay=essay, person=person)
    for work in works[count // 2 :]:
        make_mention(essay=essay, work=work)
    return essay


def test_an_essay_page_makes_the_same_number_of_queries_however_much_it_links(client):
    section = make_section()
    few = _linked_essay(section, 2)
    many = _linked_essay(section, 20)
    for number in range(5):
        make_section(title=f"Menu section {number}")

    assert _queries(client, many.get_absolute_url()) == _queries(client, few.get_absolute_url())


def test_an_essay_page_needs_few_queries(client, django_assert_num_queries):
    section = make_section()
    essay = make_essay(section=section, tags=["exile"], people=[make_person()], works=[make_work()])
    make_essay(title="Before", section=section, published_at=essay.published_at - DAY)
    make_essay(title="After", section=section, published_at=essay.published_at + DAY)
    client.get(essay.get_absolute_url())  # the menu, cached until a section changes

    # The essay with its section, book and neighbours; its tags; the people it
    # links (authors, ticked, named, the book's authors); the works it links.
    with django_assert_num_queries(4):
        response = client.get(essay.get_absolute_url())
    assert response.context["previous"].title == "Before"
    assert response.context["next"].title == "After"


def test_an_essay_page_needs_four_queries_on_its_first_view_too(client):
    section = make_section()
    seen = make_essay(title="Seen", section=section, people=[make_person()], works=[make_work()])
    first = make_essay(title="First", section=section, tags=["exile"], people=[make_person()])
    client.get(seen.get_absolute_url())  # the menu, cached until a section changes

    # Its neighbours are not kept yet: they come with the essay's own query.
    with CaptureQueriesContext(connection) as context:
        response = client.get(first.get_absolute_url())
    assert len(context.captured_queries) == 4
    assert response.context["previous"].title == "Seen"
