import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_essay, make_person, make_work

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.make_aware(datetime.datetime(2024, 3, 5, 12, 0))


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = []
        self.links = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)


def _head(response):
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def _meta(parser, name):
    return [m["content"] for m in parser.meta if m.get("name") == name]


def _property(parser, name):
    return [m["content"] for m in parser.meta if m.get("property") == name]


@pytest.fixture
def essay():
    book = make_work(title="Dissident Marxism: Past Voices for Present Times")
    return make_essay(
        title="The Dissident Marxism of Victor Serge",
        slug="dissident-marxism-victor-serge",
        author="David Renton",
        summary="Serge's life and his criticism of Stalinism.",
        published_at=PUBLISHED,
        tags=["Left Opposition", "Stalinism"],
        people=[make_person(name="Victor Serge")],
        part_of=book,
    )


def test_an_essay_page_has_highwire_press_tags_for_scholar(client, essay):
    head = _head(client.get(essay.get_absolute_url()))
    url = "http://testserver/essays/dissident-marxism-victor-serge/"

    assert _meta(head, "citation_title") == ["The Dissident Marxism of Victor Serge"]
    assert _meta(head, "citation_author") == ["Renton, David"]
    assert _meta(head, "citation_publication_date") == ["2024/03/05"]
    assert _meta(head, "citation_public_url") == [url]
    assert _meta(head, "citation_inbook_title") == [
        "Dissident Marxism: Past Voices for Present Times"
    ]
    assert _meta(head, "citation_keywords") == ["Left Opposition; Stalinism"]


def test_an_essay_page_has_a_canonical_link_and_open_graph(client, essay):
    head = _head(client.get(essay.get_absolute_url()))

    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver/essays/dissident-marxism-victor-serge/"]
    assert _property(head, "og:type") == ["article"]
    assert _property(head, "og:title") == ["The Dissident Marxism of Victor Serge"]
    assert _property(head, "article:published_time")[0].startswith("2024-03-05T12:00:00")
    assert _property(head, "article:tag") == ["Left Opposition", "Stalinism"]


def test_an_essay_page_has_a_schema_org_article(client, essay):
    head = _head(client.get(essay.get_absolute_url()))

    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    assert data["@type"] == "Article"
    assert data["headline"] == "The Dissident Marxism of Victor Serge"
    assert data["author"] == {"@type": "Person", "name": "David Renton"}
    assert data["datePublished"].startswith("2024-03-05T12:00:00")
    assert data["isPartOf"]["name"] == "Dissident Marxism: Past Voices for Present Times"
    assert data["mentions"][0]["name"] == "Victor Serge"


def test_the_json_ld_cannot_be_closed_early_by_a_title(client):
    essay = make_essay(title="</script><script>alert(1)</script> & <!--", summary="a > b")

    content = client.get(essay.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)

    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["headline"] == essay.title
    assert "<script>alert(1)" not in content


def test_the_site_author_is_used_when_an_essay_has_none(client, settings):
    settings.SITE_AUTHOR = "David Renton"
    essay = make_essay(author="")

    head = _head(client.get(essay.get_absolute_url()))

    assert _meta(head, "citation_author") == ["Renton, David"]


def test_the_page_shows_a_plain_citation_and_a_bibtex_link(client, essay):
    content = client.get(essay.get_absolute_url()).content.decode()

    assert "Cite this essay" in content
    assert (
        "Renton, David. “The Dissident Marxism of Victor Serge.” sergesite, 5 March 2024. "
        "http://testserver/essays/dissident-marxism-victor-serge/." in content
    )
    assert reverse("essays:bibtex", args=[essay.slug]) in content


def test_the_bibtex_record_downloads_with_the_essays_details(client, essay):
    response = client.get(reverse("essays:bibtex", args=[essay.slug]))
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert "dissident-marxism-victor-serge.bib" in response["Content-Disposition"]
    assert text.startswith("@misc{renton2024dissident,\n")
    assert "  author = {Renton, David},\n" in text
    assert "  title = {{The Dissident Marxism of Victor Serge}},\n" in text
    assert "  year = {2024},\n  month = mar,\n" in text
    assert "  url = {http://testserver/essays/dissident-marxism-victor-serge/},\n" in text
    assert text.rstrip().endswith("}")


def test_bibtex_special_characters_are_escaped(client):
    essay = make_essay(title="Profits & losses: 100% {and} $ more_ #1", author="A. Writer")

    text = client.get(reverse("essays:bibtex", args=[essay.slug])).content.decode()

    assert r"title = {{Profits \& losses: 100\% \{and\} \$ more\_ \#1}}" in text


def test_the_bibtex_of_a_draft_is_hidden_from_readers(client, admin_client):
    draft = make_essay(published=False)
    url = reverse("essays:bibtex", args=[draft.slug])

    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_a_unicode_slug_gives_a_bibtex_download(client):
    essay = make_essay(
        title="Été 1936", slug="été-1936", author="Jean Dupont", published_at=PUBLISHED
    )

    response = client.get(reverse("essays:bibtex", args=[essay.slug]))

    assert response.status_code == 200
    assert "filename*=utf-8''%C3%A9t%C3%A9-1936.bib" in response["Content-Disposition"]
    assert response.content.decode().startswith("@misc{dupont20241936,")
