import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from essays.models import Mention
from tests.factories import make_essay, make_mention, make_person, make_work

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def mentioned_in(response):
    return [(group.essay.title, group.count) for group in response.context["mentioned_in"]]


def section_html(response, heading_id):
    found = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', response.text, re.S
    )
    return found.group(1) if found else ""


# --- Mentioned in --------------------------------------------------------


def test_an_essay_naming_a_person_48_times_is_listed_once_with_the_count(client):
    trotsky = make_person(name="Leon Trotsky")
    essay = make_essay(title="Trotsky and the Left Opposition")
    for number in range(48):
        make_mention(
            essay=essay, person=trotsky, phrase="Trotsky", context=f"Trotsky said {number}."
        )

    response = client.get(trotsky.get_absolute_url())

    assert mentioned_in(response) == [("Trotsky and the Left Opposition", 48)]
    html = section_html(response, "mentioned-in")
    assert html.count("Trotsky and the Left Opposition") == 1
    assert "named 48 times" in html
    assert "<mark>Trotsky</mark> said 0." in html
    assert "<mark>Trotsky</mark> said 1." in html
    assert "said 2." not in html


def test_each_sentence_links_to_its_paragraph_in_the_essay(client):
    serge = make_person(name="Victor Serge")
    essay = make_essay(title="Serge's novels", slug="serges-novels")
    make_mention(
        essay=essay,
        person=serge,
        phrase="Serge",
        anchor="p-7",
        context="Serge wrote in French for Russians.",
    )

    response = client.get(serge.get_absolute_url())

    html = section_html(response, "mentioned-in")
    assert '<a href="/essays/serges-novels/#p-7"><mark>Serge</mark> wrote in French' in html


def test_a_sentence_naming_the_person_twice_is_quoted_once(client):
    serge = make_person(name="Victor Serge")
    essay = make_essay(title="On Serge")
    sentence = "Serge met Serge's publisher."
    make_mention(essay=essay, person=serge, phrase="Serge", context=sentence, position=10)
    make_mention(essay=essay, person=serge, phrase="Serge", context=sentence, position=20)
    make_mention(essay=essay, person=serge, phrase="Serge", context="Later, Serge left.")

    group = client.get(serge.get_absolute_url()).context["mentioned_in"][0]

    assert group.count == 3
    assert [quote.sentence for quote in group.quotes] == [sentence, "Later, Serge left."]


def test_only_accepted_mentions_in_published_essays_reach_readers(client):
    serge = make_person(name="Victor Serge")
    make_mention(essay=make_essay(title="Accepted"), person=serge)
    make_mention(essay=make_essay(title="Proposed"), person=serge, status=Mention.Status.PROPOSED)
    make_mention(essay=make_essay(title="Rejected"), person=serge, status=Mention.Status.REJECTED)
    make_mention(essay=make_essay(title="A draft", published=False), person=serge)
    make_mention(essay=make_essay(title="Scheduled", published_at=days_ago(-3)), person=serge)

    response = client.get(serge.get_absolute_url())

    assert mentioned_in(response) == [("Accepted", 1)]
    for title in ("Proposed", "Rejected", "A draft", "Scheduled"):
        assert title not in response.text


def test_an_essay_ticked_by_hand_counts_without_a_sentence(client):
    goldman = make_person(name="Emma Goldman")
    make_essay(title="Notes on Emma Goldman", summary="Her years in Russia.", people=[goldman])
    make_essay(title="Not about her")

    response = client.get(goldman.get_absolute_url())

    assert mentioned_in(response) == [("Notes on Emma Goldman", 0)]
    html = section_html(response, "mentioned-in")
    assert "discusses Emma Goldman" in html
    assert "Her years in Russia." in html


def test_an_essay_both_ticked_and_mentioning_shows_once_with_its_sentences(client):
    serge = make_person(name="Victor Serge")
    essay = make_essay(title="Serge's novels", people=[serge])
    make_mention(essay=essay, person=serge, phrase="Serge", context="Serge wrote novels.")

    response = client.get(serge.get_absolute_url())

    assert mentioned_in(response) == [("Serge's novels", 1)]


def test_the_essays_are_listed_newest_first(client):
    serge = make_person(name="Victor Serge")
    make_mention(essay=make_essay(title="Old", published_at=days_ago(300)), person=serge)
    make_essay(title="Ticked", published_at=days_ago(100), people=[serge])
    make_mention(essay=make_essay(title="New", published_at=days_ago(1)), person=serge)

    response = client.get(serge.get_absolute_url())

    assert [title for title, _ in mentioned_in(response)] == ["New", "Ticked", "Old"]


def test_a_context_sentence_is_shown_as_text_never_as_html(client):
    serge = make_person(name="Victor Serge")
    make_mention(
        essay=make_essay(),
        person=serge,
        phrase="Serge",
        context='Serge <script>alert("x")</script> & <b>co</b>',
    )

    response = client.get(serge.get_absolute_url())

    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co" in response.text


def test_a_work_page_lists_the_essays_that_mention_the_work(client):
    memoirs = make_work(title="Memoirs of a Revolutionary")
    essay = make_essay(title="Serge's memoirs", slug="serges-memoirs")
    make_mention(
        essay=essay,
        work=memoirs,
        phrase="Memoirs of a Revolutionary",
        anchor="p-3",
        context="He finished Memoirs of a Revolutionary in 1943.",
    )
    make_essay(title="Ticked by hand", works=[memoirs])

    response = client.get(memoirs.get_absolute_url())

    assert mentioned_in(response) == [("Ticked by hand", 0), ("Serge's memoirs", 1)]
    assert 'href="/essays/serges-memoirs/#p-3"' in response.text
    assert "discusses it" in response.text


def page_queries(client, url):
    client.get(url)  # the menu and the cache generation
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_essays(count, *, person, other, work):
    for number in range(count):
        essay = make_essay(title=f"Essay {number}", people=[person] if number % 3 == 0 else [])
        for place in range(4):
            make_mention(essay=essay, person=person, context=f"Sentence {number}.{place}.")
            make_mention(essay=essay, work=work)
        make_mention(essay=essay, person=other)


def test_the_person_page_costs_the_same_queries_for_2_or_20_essays(
    client, django_assert_max_num_queries, uncached_pages
):
    serge = make_person(name="Victor Serge")
    trotsky = make_person(name="Leon Trotsky")
    memoirs = make_work(title="Memoirs", authors=[serge])
    add_essays(2, person=serge, other=trotsky, work=memoirs)
    with_two = page_queries(client, serge.get_absolute_url())

    add_essays(18, person=serge, other=trotsky, work=memoirs)
    client.get(serge.get_absolute_url())
    with django_assert_max_num_queries(with_two):
        response = client.get(serge.get_absolute_url())

    assert len(response.context["mentioned_in"]) == 20
    assert with_two <= 4


def test_the_person_page_makes_four_queries_with_other_names_works_and_essays(
    client, django_assert_num_queries, uncached_pages
):
    serge = make_person(name="Victor Serge", other_names=["Kibalchich", "Le Rétif"])
    trotsky = make_person(name="Leon Trotsky")
    add_essays(3, person=serge, other=trotsky, work=make_work(title="Memoirs", authors=[serge]))
    client.get(serge.get_absolute_url())

    # The person with their other names; their works; the essays that name
    # them; those that discuss them. Who is named alongside is kept (below).
    with django_assert_num_queries(4):
        response = client.get(serge.get_absolute_url())
    assert "Kibalchich" in response.text
    assert [person.name for person in response.context["alongside"]] == ["Leon Trotsky"]


def test_who_is_named_alongside_a_person_changes_as_soon_as_an_essay_does(client, uncached_pages):
    serge, trotsky = make_person(name="Victor Serge"), make_person(name="Leon Trotsky")
    essay = make_essay(title="Opposition")
    make_mention(essay=essay, person=serge)
    client.get(serge.get_absolute_url())  # the list is kept from here

    Mention.objects.filter(
        pk=make_mention(essay=essay, person=trotsky, status="proposed").pk
    ).decide(Mention.Status.ACCEPTED)

    response = client.get(serge.get_absolute_url())
    assert [person.name for person in response.context["alongside"]] == ["Leon Trotsky"]


def test_the_work_page_costs_the_same_queries_for_2_or_20_essays(
    client, django_assert_max_num_queries, uncached_pages
):
    serge = make_person(name="Victor Serge")
    memoirs = make_work(title="Memoirs", authors=[serge])
    add_essays(2, person=serge, other=serge, work=memoirs)
    with_two = page_queries(client, memoirs.get_absolute_url())

    add_essays(18, person=serge, other=serge, work=memoirs)
    client.get(memoirs.get_absolute_url())
    with django_assert_max_num_queries(with_two):
        response = client.get(memoirs.get_absolute_url())

    assert len(response.context["mentioned_in"]) == 20


# --- Often mentioned with ------------------------------------------------


def test_people_named_in_the_same_essays_are_listed_with_how_many_essays(client):
    serge = make_person(name="Victor Serge")
    trotsky = make_person(name="Leon Trotsky")
    lenin = make_person(name="Vladimir Lenin")
    orwell = make_person(name="George Orwell")
    for number in range(3):
        essay = make_essay(title=f"Opposition {number}")
        make_mention(essay=essay, person=serge)
        make_mention(essay=essay, person=trotsky)
        make_mention(essay=essay, person=trotsky)  # twice in one essay: still one essay
        if number == 0:
            make_mention(essay=essay, person=lenin)
    make_mention(essay=make_essay(title="Elsewhere"), person=orwell)

    response = client.get(serge.get_absolute_url())

    alongside = [(person.name, person.shared) for person in response.context["alongside"]]
    assert alongside == [("Leon Trotsky", 3), ("Vladimir Lenin", 1)]
    html = section_html(response, "alongside")
    assert 'Leon Trotsky</a> <span class="meta">in 3 essays</span>' in html
    assert "in 1 essay<" in html


def test_only_accepted_mentions_in_published_essays_make_people_co_mentioned(client):
    serge = make_person(name="Victor Serge")
    stalin = make_person(name="Joseph Stalin")
    draft = make_essay(published=False)
    make_mention(essay=draft, person=serge)
    make_mention(essay=draft, person=stalin)
    essay = make_essay()
    make_mention(essay=essay, person=serge)
    make_mention(essay=essay, person=stalin, status=Mention.Status.REJECTED)
    other = make_essay()
    make_mention(essay=other, person=serge, status=Mention.Status.PROPOSED)
    make_mention(essay=other, person=stalin)

    response = client.get(serge.get_absolute_url())

    assert list(response.context["alongside"]) == []
    assert 'id="alongside"' not in response.text


def test_at_most_ten_people_are_listed_as_often_mentioned_with(client):
    serge = make_person(name="Victor Serge")
    essay = make_essay()
    make_mention(essay=essay, person=serge)
    for number in range(12):
        make_mention(essay=essay, person=make_person(name=f"Comrade {number:02d}"))

    response = client.get(serge.get_absolute_url())

    assert [person.name for person in response.context["alongside"]] == [
        f"Comrade {number:02d}" for number in range(10)
    ]


def test_a_person_named_in_many_essays_lists_them_twenty_to_a_page_newest_first(client):
    serge = make_person(name="Victor Serge", birth_date=datetime.date(1890, 12, 30))
    for number in range(25):
        essay = make_essay(title=f"Essay {number}", published_at=days_ago(30 - number))
        make_mention(essay=essay, person=serge)

    first = client.get(serge.get_absolute_url())
    second = client.get(serge.get_absolute_url(), {"page": "2"})

    assert [title for title, _ in mentioned_in(first)] == [f"Essay {n}" for n in range(24, 4, -1)]
    assert [title for title, _ in mentioned_in(second)] == [f"Essay {n}" for n in range(4, -1, -1)]
    assert "Page 1 of 2" in first.text
    assert 'rel="next" href="?page=2"' in first.text
    # The timeline still shows every essay.
    assert len([e for e in first.context["timeline"].events if e.kind == "essay"]) == 25


def test_a_work_named_in_many_essays_lists_them_twenty_to_a_page(client):
    memoirs = make_work(title="Memoirs of a Revolutionary")
    for number in range(21):
        make_mention(essay=make_essay(title=f"Essay {number}"), work=memoirs)

    assert len(mentioned_in(client.get(memoirs.get_absolute_url()))) == 20
    assert len(mentioned_in(client.get(memoirs.get_absolute_url(), {"page": "2"}))) == 1
