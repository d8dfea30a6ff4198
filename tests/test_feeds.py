import datetime
from html.parser import HTMLParser

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from essays.models import Essay, Mention
from tests.factories import make_essay, make_mention, make_person, make_section

pytestmark = pytest.mark.django_db

KINDS = ["", "-atom"]  # RSS and Atom
KIND_NAMES = ("essays:feed", "essays:feed-atom")


def _feeds(section, tag, person):
    """Every kind of feed, as (name, URL) pairs."""
    urls = {
        "latest": reverse("essays:feed"),
        "latest-atom": reverse("essays:feed-atom"),
    }
    for kind in KINDS:
        urls[f"section{kind}"] = reverse(f"essays:section-feed{kind}", args=[section.slug])
        urls[f"tag{kind}"] = reverse(f"essays:tag-feed{kind}", args=[tag])
        urls[f"person{kind}"] = reverse(f"essays:person-feed{kind}", args=[person.slug])
    return urls


def _read(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


@pytest.fixture
def subjects():
    """A section, a tag and a person with one essay each in every feed."""
    section = make_section(title="Exile")
    person = make_person(name="Victor Serge", slug="victor-serge")
    make_essay(
        title="The Case of Comrade Tulayev",
        section=section,
        tags=["novels"],
        people=[person],
        summary="A novel of the purges.",
        body="About [Serge](/people/victor-serge/).[^1]\n\n![Cover](/media/cover.png)\n\n"
        "[^1]: A footnote.",
    )
    return section, "novels", person


def test_every_feed_parses_without_errors_and_lists_the_published_essay(client, subjects):
    make_essay(title="Still a draft", section=subjects[0], tags=["novels"], published=False)

    for name, url in _feeds(*subjects).items():
        parsed = _read(client, url)

        assert [entry.title for entry in parsed.entries] == ["The Case of Comrade Tulayev"], name
        assert parsed.feed.title, name
        assert parsed.feed.link.startswith("http://testserver/"), name


def test_entries_carry_the_summary_and_the_whole_essay_with_absolute_links(client, subjects):
    for name, url in _feeds(*subjects).items():
        entry = _read(client, url).entries[0]
        essay = Essay.objects.get()
        page = f"http://testserver{essay.get_absolute_url()}"

        assert entry.summary == "A novel of the purges.", name
        content = entry.content[0].value
        assert 'href="http://testserver/people/victor-serge/"' in content, name
        assert 'src="http://testserver/media/cover.png"' in content, name
        assert f'href="{page}#fn:1"' in content, name
        assert "A footnote." in content, name


def test_a_summary_with_markup_is_shown_as_text(client):
    make_essay(title="Markup", summary="Uses <b>bold</b> & more.")

    for name in ("essays:feed", "essays:feed-atom"):
        entry = _read(client, reverse(name)).entries[0]

        assert entry.summary == "Uses &lt;b&gt;bold&lt;/b&gt; &amp; more.", name


def test_the_essay_in_a_feed_stays_sanitized(client):
    make_essay(
        title="Hostile",
        body="[click](javascript:alert(1)) <script>alert(2)</script> "
        '<img src=x onerror="alert(3)">',
    )

    for name in ("essays:feed", "essays:feed-atom"):
        # The raw feed, not feedparser's reading: feedparser sanitizes too.
        response = client.get(reverse(name))
        raw = response.content.decode()

        assert feedparser.parse(response.content).bozo == 0, name
        assert "Hostile" in raw, name
        assert "javascript:" not in raw, name
        assert "&lt;script" not in raw and "alert(2)" not in raw, name
        assert "onerror" not in raw, name


def test_entry_ids_stay_the_same_when_the_title_and_slug_change(client):
    essay = make_essay(title="First title", slug="first-title")
    before = {name: _read(client, reverse(name)).entries[0].id for name in KIND_NAMES}

    essay.title, essay.slug = "Second title", "second-title"
    essay.save()
    after = {name: _read(client, reverse(name)).entries[0].id for name in KIND_NAMES}

    assert after == before
    assert before["essays:feed"] == before["essays:feed-atom"]
    assert before["essays:feed"].startswith("tag:testserver,")
    created = essay.created_at.astimezone(datetime.UTC)
    assert before["essays:feed"].endswith(f":essay/{created:%Y%m%dT%H%M%S.%fZ}")


def test_entries_have_an_author_and_published_and_updated_dates(client):
    published = timezone.now() - datetime.timedelta(days=3)
    by_the_site = make_essay(title="By the site", published_at=published)
    guest = make_essay(title="By a guest", published_at=published)
    guest.set_authors([make_person(name="Susan Weissman", sort_name="Weissman, Susan")])

    for name in KIND_NAMES:
        entries = {entry.title: entry for entry in _read(client, reverse(name)).entries}

        assert entries["By a guest"].author == "Susan Weissman", name
        assert entries["By the site"].author == by_the_site.byline, name
        for entry in entries.values():
            assert entry.published_parsed[:3] == published.utctimetuple()[:3], name
            assert entry.updated_parsed >= entry.published_parsed, name


def test_a_feed_uses_the_host_it_was_asked_on(client, settings):
    settings.ALLOWED_HOSTS = ["www.serge.test"]
    essay = make_essay(slug="serge", body="[Home](/)")

    for name in KIND_NAMES:
        parsed = _read(client, reverse(name), HTTP_HOST="www.serge.test")

        entry = parsed.entries[0]
        assert entry.link == f"http://www.serge.test{essay.get_absolute_url()}"
        assert entry.id.startswith("tag:www.serge.test,")
        assert 'href="http://www.serge.test/"' in entry.content[0].value
        assert "example.com" not in client.get(reverse(name)).content.decode()


def test_a_section_feed_lists_only_its_own_essays(client):
    section, other = make_section(title="Exile"), make_section(title="Russia")
    make_essay(title="In exile", section=section)
    make_essay(title="In Russia", section=other)

    parsed = _read(client, reverse("essays:section-feed-atom", args=[section.slug]))

    assert [entry.title for entry in parsed.entries] == ["In exile"]
    assert parsed.feed.link == f"http://testserver{section.get_absolute_url()}"


def test_a_tag_feed_lists_only_essays_with_the_tag(client):
    make_essay(title="Tagged", tags=["Kronstadt"])
    make_essay(title="Untagged")

    parsed = _read(client, reverse("essays:tag-feed", args=["kronstadt"]))

    assert [entry.title for entry in parsed.entries] == ["Tagged"]


def test_a_person_feed_lists_essays_that_discuss_or_mention_them_once_each(client):
    serge = make_person(name="Victor Serge")
    trotsky = make_person(name="Leon Trotsky")
    make_essay(title="Ticked", people=[serge])
    both = make_essay(title="Ticked and named", people=[serge, trotsky])
    make_mention(essay=both, person=serge)
    make_mention(essay=both, person=serge)
    make_mention(essay=make_essay(title="Named"), person=serge)
    make_mention(
        essay=make_essay(title="Only proposed"), person=serge, status=Mention.Status.PROPOSED
    )
    make_mention(essay=make_essay(title="Named in a draft", published=False), person=serge)
    make_essay(title="About someone else", people=[trotsky])

    for kind in KINDS:
        parsed = _read(client, reverse(f"essays:person-feed{kind}", args=[serge.slug]))

        titles = sorted(entry.title for entry in parsed.entries)
        assert titles == ["Named", "Ticked", "Ticked and named"], kind


def test_a_person_nobody_has_written_about_has_an_empty_feed(client):
    person = make_person(name="Natalia Sedova")

    for kind in KINDS:
        parsed = _read(client, reverse(f"essays:person-feed{kind}", args=[person.slug]))

        assert parsed.entries == []
        assert parsed.feed.link == f"http://testserver{person.get_absolute_url()}"


@pytest.mark.parametrize(
    "url",
    [
        "/sections/no-such-section/feed/",
        "/sections/no-such-section/feed/atom/",
        "/tags/no-such-tag/feed/",
        "/tags/no-such-tag/feed/atom/",
        "/people/no-such-person/feed/",
        "/people/no-such-person/feed/atom/",
    ],
)
def test_a_feed_for_something_unknown_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_tag_used_only_on_drafts_has_no_feed(client):
    make_essay(published=False, tags=["secret plans"])
    make_essay(published_at=timezone.now() + datetime.timedelta(days=3), tags=["secret plans"])

    for kind in KINDS:
        assert (
            client.get(reverse(f"essays:tag-feed{kind}", args=["secret-plans"])).status_code == 404
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        _read(client, url)
    return len(context.captured_queries)


def _grow(count, section, person):
    for number in range(count):
        essay = make_essay(
            title=f"Essay {number}",
            section=section,
            tags=["exile", f"tag {number}"],
            people=[person] if number % 2 else [],
        )
        make_mention(essay=essay, person=person)


def test_feeds_make_the_same_number_of_queries_as_essays_grow(client):
    section = make_section(title="Exile")
    person = make_person(name="Victor Serge")
    urls = _feeds(section, "exile", person)
    _grow(2, section, person)
    few = {name: _queries(client, url) for name, url in urls.items()}

    _grow(18, section, person)
    many = {name: _queries(client, url) for name, url in urls.items()}

    assert many == few, many
    # The essays with their sections, their tags, their authors, plus the
    # subject (section, tag or person) where there is one.
    assert max(few.values()) <= 5


class _HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.feeds[attrs["href"]] = attrs["type"]


def _advertised(client, url):
    parser = _HeadLinks()
    parser.feed(client.get(url).content.decode().split("</head>")[0])
    return parser.feeds


def test_pages_with_a_feed_advertise_it_in_their_head(client, subjects):
    section, tag, person = subjects
    urls = _feeds(*subjects)
    pages = {
        reverse("home"): "latest",
        section.get_absolute_url(): "section",
        reverse("essays:tag", args=[tag]): "tag",
        person.get_absolute_url(): "person",
    }

    for page, kind in pages.items():
        advertised = _advertised(client, page)

        assert advertised[urls[kind]] == "application/rss+xml", page
        assert advertised[urls[f"{kind}-atom"]] == "application/atom+xml", page
        for feed in advertised:
            _read(client, feed)
