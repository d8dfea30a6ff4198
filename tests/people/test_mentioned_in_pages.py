"""
"Mentioned in" on person and work pages is paginated in the database: only
the page's essays have their mentions read. These tests pin what a page
beyond the first shows, and that the rest of the page still sees every essay.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from essays.models import Essay
from tests.factories import make_essay, make_mention, make_person, make_section, make_work

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def listed(response):
    return [
        (group.essay.title, group.count, [quote.sentence for quote in group.quotes])
        for group in response.context["mentioned_in"]
    ]


def essays_named_and_ticked(subject, count, **kind):
    """`count` essays, one a day, newest last: every third one ticked by hand
    and never named, the others naming `subject` three times."""
    for number in range(count):
        ticked = number % 3 == 0
        essay = make_essay(
            title=f"Essay {number:02d}",
            summary=f"Summary {number:02d}.",
            published_at=days_ago(100 - number),
            **({kind["ticked_as"]: [subject]} if ticked else {}),
        )
        if not ticked:
            for place in range(3):
                make_mention(
                    essay=essay, **{kind["named_as"]: subject}, context=f"Said {number}.{place}."
                )


def test_the_second_page_of_a_person_lists_the_older_essays_with_their_quotes(client):
    serge = make_person(name="Victor Serge")
    essays_named_and_ticked(serge, 25, ticked_as="people", named_as="person")

    response = client.get(serge.get_absolute_url(), {"page": "2"})

    assert listed(response) == [
        ("Essay 04", 3, ["Said 4.0.", "Said 4.1."]),
        ("Essay 03", 0, []),
        ("Essay 02", 3, ["Said 2.0.", "Said 2.1."]),
        ("Essay 01", 3, ["Said 1.0.", "Said 1.1."]),
        ("Essay 00", 0, []),
    ]
    assert "Page 2 of 2" in response.text
    assert "Summary 03." in response.text  # ticked by hand: its summary stands in for quotes
    assert "Summary 04." not in response.text


def test_the_timeline_lists_the_essays_of_every_page(client):
    serge = make_person(name="Victor Serge", birth_date=datetime.date(1890, 12, 30))
    essays_named_and_ticked(serge, 25, ticked_as="people", named_as="person")

    response = client.get(serge.get_absolute_url())

    assert len(response.context["mentioned_in"]) == 20
    on_timeline = [e.text for e in response.context["timeline"].events if e.kind == "essay"]
    assert on_timeline == [f"Essay {number:02d}" for number in range(25)]
    assert "discussed in 25 essays" in response.context["timeline"].summary


def test_an_essay_both_ticked_and_naming_a_person_is_listed_once_with_its_count(client):
    serge = make_person(name="Victor Serge")
    essay = make_essay(title="Both", people=[serge])
    make_mention(essay=essay, person=serge, context="Serge, once.")

    response = client.get(serge.get_absolute_url())

    assert listed(response) == [("Both", 1, ["Serge, once."])]


def test_the_second_page_of_a_work_lists_the_older_essays_but_not_its_chapters(client):
    memoirs = make_work(title="Memoirs of a Revolutionary")
    essays_named_and_ticked(memoirs, 25, ticked_as="works", named_as="work")
    chapter = make_essay(
        title="A chapter", section=make_section(title="Chapters"), published_at=days_ago(1)
    )
    Essay.objects.filter(pk=chapter.pk).update(part_of=memoirs)

    first = client.get(memoirs.get_absolute_url())
    second = client.get(memoirs.get_absolute_url(), {"page": "2"})

    assert [essay.title for essay in first.context["chapters_here"]] == ["A chapter"]
    assert "A chapter" not in [title for title, *_ in listed(first)]
    assert listed(second)[:2] == [("Essay 04", 3, ["Said 4.0.", "Said 4.1."]), ("Essay 03", 0, [])]
    assert len(listed(second)) == 5


def test_a_later_page_costs_the_same_queries_as_the_first(
    client, django_assert_max_num_queries, uncached_pages
):
    serge = make_person(name="Victor Serge", birth_date=datetime.date(1890, 12, 30))
    essays_named_and_ticked(serge, 45, ticked_as="people", named_as="person")
    client.get(serge.get_absolute_url())

    with django_assert_max_num_queries(4):
        client.get(serge.get_absolute_url())
    with django_assert_max_num_queries(4):
        response = client.get(serge.get_absolute_url(), {"page": "3"})
    assert [title for title, *_ in listed(response)] == [
        "Essay 04",
        "Essay 03",
        "Essay 02",
        "Essay 01",
        "Essay 00",
    ]


def test_by_essay_reads_only_the_mentions_of_the_essays_it_is_given():
    serge = make_person(name="Victor Serge")
    shown, other = make_essay(title="Shown"), make_essay(title="Not on this page")
    for essay in (shown, other, shown):
        make_mention(essay=essay, person=serge)

    with CaptureQueriesContext(connection) as queries:
        groups = serge.mentions.public().by_essay([shown])

    assert [(group.essay.title, group.count) for group in groups] == [("Shown", 2)]
    assert len(queries) == 1
