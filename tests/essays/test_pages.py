import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from essays.models import Essay, Mention
from tests.factories import make_essay, make_mention, make_person, make_section, make_work

pytestmark = pytest.mark.django_db


def test_a_published_essay_is_shown_to_readers(client):
    essay = make_essay(title="The Dissident Marxism of Victor Serge", body="## One\n\nText.")

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert b'<h2 id="one">One</h2>' in response.content
    assert b"<h1>The Dissident Marxism of Victor Serge</h1>" in response.content


def test_a_draft_is_not_found_by_readers(client):
    essay = make_essay(published=False)

    assert client.get(essay.get_absolute_url()).status_code == 404


def test_an_essay_scheduled_for_tomorrow_is_not_found_by_readers(client):
    essay = make_essay(published_at=timezone.now() + datetime.timedelta(days=1))

    assert client.get(essay.get_absolute_url()).status_code == 404


def test_staff_see_a_draft_as_a_preview_that_is_not_indexed(admin_client):
    essay = make_essay(title="Work in progress", published=False)

    response = admin_client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert b"Work in progress" in response.content
    assert b"This essay is a draft" in response.content
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert "no-store" in response.headers["Cache-Control"]


def test_staff_see_a_scheduled_essay_with_its_date(admin_client):
    when = timezone.now() + datetime.timedelta(days=3)
    essay = make_essay(published_at=when)

    response = admin_client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert b"Readers will see this essay from" in response.content
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_a_published_essay_is_not_marked_as_a_preview(client):
    response = client.get(make_essay().get_absolute_url())

    assert "X-Robots-Tag" not in response.headers
    assert b"Preview" not in response.content
    assert b'name="robots"' not in response.content


def test_an_essay_page_links_its_people_works_tags_section_and_book(client):
    serge = make_person(name="Victor Serge")
    memoirs = make_work(title="Memoirs of a Revolutionary")
    book = make_work(title="Dissident Marxism: Past Voices for Present Times")
    section = make_section(title="Socialist history")
    essay = make_essay(
        section=section, people=[serge], works=[memoirs], tags=["Left Opposition"], part_of=book
    )

    content = client.get(essay.get_absolute_url()).content.decode()

    assert f'href="{serge.get_absolute_url()}">Victor Serge</a>' in content
    assert f'href="{memoirs.get_absolute_url()}"><cite>Memoirs of a Revolutionary</cite>' in content
    assert f'href="{book.get_absolute_url()}"><cite>Dissident Marxism' in content
    assert f'href="{section.get_absolute_url()}">Socialist history</a>' in content
    assert f'href="{reverse("essays:tag", args=["left-opposition"])}" rel="tag"' in content


def test_an_essay_page_credits_its_authors_and_its_books_authors_in_order(client):
    zinoviev, serge, trotsky = (make_person(name=n) for n in ("Zinoviev", "Serge", "Trotsky"))
    book = make_work(title="Collected", authors=[trotsky, zinoviev])
    essay = make_essay(part_of=book)
    essay.set_authors([zinoviev, serge])

    content = client.get(essay.get_absolute_url()).content.decode()

    assert re.search(r'class="byline">By <a [^>]*>Zinoviev</a> and <a [^>]*>Serge</a>', content)
    assert "<cite>Collected</cite></a> by Trotsky and Zinoviev" in content


def test_an_essay_page_lists_the_people_and_works_it_names_beside_those_ticked(client):
    ticked, named = make_person(name="Ticked Person"), make_person(name="Named Person")
    ignored = make_person(name="Rejected Person")
    essay = make_essay(people=[ticked], works=[make_work(title="Ticked Work")])
    make_mention(essay=essay, person=named)
    make_mention(essay=essay, work=make_work(title="Named Work"))
    make_mention(essay=essay, person=ignored, status=Mention.Status.REJECTED)

    content = client.get(essay.get_absolute_url()).content.decode()
    people = re.search(r"<dt>People</dt>(.*?)</dd>", content, re.S).group(1)
    works = re.search(r"<dt>Works</dt>(.*?)</ul>", content, re.S).group(1)

    assert re.findall(r">([^<]+)</a>", people) == ["Named Person", "Ticked Person"]
    assert re.findall(r"<cite>([^<]+)</cite>", works) == ["Named Work", "Ticked Work"]


def test_an_essay_page_lists_its_tags_in_the_order_the_editor_gave_them(client):
    essay = make_essay(tags=["Left Opposition", "Exile", "Brussels"])
    essay.tags.add("Anarchism")

    content = client.get(essay.get_absolute_url()).content.decode()
    tags = re.search(r"<dt>Tags</dt>(.*?)</dd>", content, re.S).group(1)
    keywords = re.search(r'<meta name="citation_keywords" content="([^"]*)"', content).group(1)

    given = ["Left Opposition", "Exile", "Brussels", "Anarchism"]
    assert re.findall(r'rel="tag">([^<]+)</a>', tags) == given
    assert keywords.split(", ") == given


def test_an_essays_structured_data_mentions_the_people_and_works_an_editor_ticked(client):
    essay = make_essay(people=[make_person(name="Victor Serge")], works=[make_work(title="Birth")])
    make_mention(essay=essay, person=make_person(name="Only Named"))

    content = client.get(essay.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', content, re.S).group(1))

    assert [m["name"] for m in data["mentions"]] == ["Victor Serge", "Birth"]


def test_a_long_essay_gets_a_table_of_contents_and_a_short_one_does_not(client):
    long = make_essay(body="## Brussels\n\ntext\n\n## Petrograd\n\ntext\n\n## Orenburg\n\ntext")
    short = make_essay(body="## Only\n\ntext")

    long_page = client.get(long.get_absolute_url()).content.decode()
    short_page = client.get(short.get_absolute_url()).content.decode()

    assert '<a href="#petrograd">Petrograd</a>' in long_page
    assert "Contents" in long_page
    assert 'id="toc-heading"' not in short_page


def test_footnotes_render_on_the_essay_page(client):
    essay = make_essay(body="Serge was born in Brussels.[^1]\n\n[^1]: In 1890.")

    content = client.get(essay.get_absolute_url()).content.decode()

    assert 'href="#fn:1"' in content
    assert "In 1890." in content


def test_an_essay_links_to_its_neighbours_in_the_same_section(client):
    section = make_section()
    now = timezone.now()
    older = make_essay(title="Older", section=section, published_at=now - datetime.timedelta(3))
    middle = make_essay(title="Middle", section=section, published_at=now - datetime.timedelta(2))
    newer = make_essay(title="Newer", section=section, published_at=now - datetime.timedelta(1))
    make_essay(title="Elsewhere", published_at=now - datetime.timedelta(hours=36))

    content = client.get(middle.get_absolute_url()).content.decode()

    assert f'rel="prev" href="{older.get_absolute_url()}"' in content
    assert f'href="{newer.get_absolute_url()}"' in content
    assert "Elsewhere" not in content


def test_an_essays_neighbours_change_as_soon_as_one_is_published_beside_it(client, uncached_pages):
    section = make_section()
    now = timezone.now()
    middle = make_essay(title="Middle", section=section, published_at=now - datetime.timedelta(2))
    make_essay(title="Newer", section=section, published_at=now - datetime.timedelta(1))
    client.get(middle.get_absolute_url())  # its neighbours are kept from here

    make_essay(title="Just after", section=section, published_at=now - datetime.timedelta(1.5))

    assert (
        'class="pager__next" href="/essays/just-after' in client.get(middle.get_absolute_url()).text
    )


def test_a_draft_is_never_offered_as_a_neighbour(client):
    section = make_section()
    essay = make_essay(section=section)
    make_essay(title="Secret draft", section=section, published=False)

    assert b"Secret draft" not in client.get(essay.get_absolute_url()).content


def test_the_revised_date_shows_only_after_a_real_revision(client):
    month_ago = timezone.now() - datetime.timedelta(days=30)
    essay = make_essay(published_at=month_ago)
    assert b"Revised" not in client.get(essay.get_absolute_url()).content

    Essay.objects.filter(pk=essay.pk).update(created_at=month_ago)
    essay.refresh_from_db()
    essay.save()

    assert b"Revised" in client.get(essay.get_absolute_url()).content


def test_an_essay_with_a_unicode_slug_is_found(client):
    essay = make_essay(title="Троцкий в изгнании", slug="троцкий-в-изгнании")

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert "Троцкий в изгнании" in response.content.decode()


def test_an_unknown_essay_is_not_found(client):
    response = client.get(reverse("essays:detail", args=["no-such-essay"]))

    assert response.status_code == 404
    assert b"Page not found" in response.content
