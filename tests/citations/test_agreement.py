"""
Every format a page offers (the visible citation, Highwire tags, COinS,
JSON-LD, BibTeX, RIS and CSL-JSON) names the same authors, title, date and
container, read back with the parsers research tools use.
"""

import html
import json
import re
from urllib.parse import parse_qs

import bibtexparser
import extruct
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from django.urls import reverse
from lxml import html as lxml_html

from sergesite.citations import styles
from siteinfo.models import SiteSettings
from tests.factories import make_essay, make_person, make_work
from works.models import Contribution

pytestmark = pytest.mark.django_db


def read_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    tree = lxml_html.fromstring(text)
    meta = [(m.get("name"), m.get("content")) for m in tree.xpath("//meta[@name]")]
    data = extruct.extract(text, base_url="http://testserver/", syntaxes=["json-ld", "opengraph"])
    coins = [
        parse_qs(html.unescape(span.get("title"))) for span in tree.xpath("//span[@class='Z3988']")
    ]
    visible = [p.text_content() for p in tree.xpath("//p[contains(@class, 'cite__text')]")]
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    return {"meta": meta, "json_ld": data["json-ld"], "og": data["opengraph"], "coins": coins,
            "visible": visible, "canonical": canonical}  # fmt: skip


def downloads(client, name, **kwargs):
    got = {}
    for fmt in ("bib", "ris", "json"):
        response = client.get(reverse(f"{name}-{fmt}", kwargs=kwargs))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        got[fmt] = response.content.decode()
    assert got["bib"] and "charset=utf-8" in response["Content-Type"]
    bib = bibtexparser.parse_string(
        got["bib"], append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    assert not bib.failed_blocks
    return bib.entries, rispy.loads(got["ris"]), json.loads(got["json"])


def meta_values(page, name):
    return [content for key, content in page["meta"] if key == name]


def check_agreement(client, page_url, download, *, authors, title, year, container=None):
    """authors: [(family-or-literal, given)], as tools should read them."""
    page = read_page(client, page_url)
    [entry], [ris], [item] = download
    # CSL-JSON, and the visible Chicago entry is what citeproc makes of it.
    assert item["title"] == title
    assert [
        (n.get("family") or n["literal"], n.get("given", "")) for n in item["author"]
    ] == authors
    assert item["issued"]["date-parts"][0][0] == year
    assert item.get("container-title") == container
    chicago = styles.render_text(item, styles.STYLES[0])
    assert " ".join(chicago.split()) == " ".join(page["visible"][0].split())
    assert len(page["visible"]) == len(styles.STYLES)
    # Highwire.
    expected_inverted = [f"{f}, {g}" if g else f for f, g in authors]
    assert [a.rsplit(", Jr.", 1)[0] for a in meta_values(page, "citation_author")] == (
        expected_inverted
    )
    assert meta_values(page, "citation_title") == [title]
    assert meta_values(page, "citation_publication_date")[0].startswith(str(year))
    if item["type"] == "chapter":
        assert meta_values(page, "citation_inbook_title") == [container]
    # BibTeX, split into name parts by bibtexparser.
    # Braces keep a literal name whole in BibTeX: they are grouping, not text.
    bib_authors = [(" ".join(p.last).strip("{}"), " ".join(p.first)) for p in entry["author"]]
    assert bib_authors == authors
    assert entry["title"].strip("{}") == title
    assert entry["year"] == str(year)
    # RIS.
    assert [a.rsplit(", Jr.", 1)[0] for a in ris["authors"]] == expected_inverted
    assert ris["title"] == title
    assert ris["year"] == str(year)
    assert ris.get("secondary_title") == container
    # COinS.
    coins = page["coins"][0]
    assert [a.rsplit(", Jr.", 1)[0] for a in coins.get("rft.au", coins.get("rft.creator", []))] == (
        expected_inverted
    )
    assert coins["rft.date"][0].startswith(str(year))
    # JSON-LD.
    [data] = [d for d in page["json_ld"] if d.get("@type") != "BreadcrumbList"]
    assert [a["name"] for a in data["author"]] == [n for n in _display(item["author"])]
    assert data["datePublished"].startswith(str(year))
    assert page["canonical"] and page["og"]
    return page, item, data


def _display(names):
    from sergesite.citations.names import display

    return [display(name) for name in names]


def test_an_essay_by_the_sites_author_is_credited_to_that_person(client):
    historian = make_person(
        name="Hélène Marchetti", sort_name="Marchetti, Hélène", slug="helene-marchetti"
    )
    SiteSettings.objects.create(name="Left History", author=historian)
    essay = make_essay(title="Serge in Mexico")

    page, item, data = check_agreement(
        client,
        essay.get_absolute_url(),
        downloads(client, "essays:cite", slug=essay.slug),
        authors=[("Marchetti", "Hélène")],
        title="Serge in Mexico",
        year=essay.published_at.year,
        container="Left History",
    )
    assert data["@type"] == "ScholarlyArticle"
    assert data["author"][0]["@type"] == "Person"
    assert data["author"][0]["url"].endswith(historian.get_absolute_url())


def test_an_essay_with_an_organisation_and_a_suffixed_name_keeps_both_whole(client):
    editors = make_person(name="The editors", sort_name="The editors", is_organisation=True)
    king = make_person(name="Martin Luther King Jr.", sort_name="King, Martin Luther, Jr.")
    essay = make_essay(title="Two voices")
    essay.set_authors([editors, king])

    page, item, data = check_agreement(
        client,
        essay.get_absolute_url(),
        downloads(client, "essays:cite", slug=essay.slug),
        authors=[("The editors", ""), ("King", "Martin Luther")],
        title="Two voices",
        year=essay.published_at.year,
        container="sergesite",
    )
    assert item["author"][1]["suffix"] == "Jr."
    assert "King, Martin Luther, Jr." in meta_values(page, "citation_author")
    assert [a["@type"] for a in data["author"]] == ["Organization", "Person"]
    assert "editors, The" not in client.get(essay.get_absolute_url()).content.decode()


def test_a_chapter_reprint_is_cited_as_the_books_chapter_with_the_books_year(client):
    renton = make_person(name="David Renton", sort_name="Renton, David")
    book = make_work(
        title="Dissident Marxism", subtitle="Past Voices for Present Times",
        year_published=2004, publisher="Zed Books", place="London", authors=[renton],
    )  # fmt: skip
    essay = make_essay(title="Victor Serge, Right on the Losing Side", part_of=book)
    essay.set_authors([renton])

    page, item, data = check_agreement(
        client,
        essay.get_absolute_url(),
        downloads(client, "essays:cite", slug=essay.slug),
        authors=[("Renton", "David")],
        title="Victor Serge, Right on the Losing Side",
        year=2004,
        container="Dissident Marxism: Past Voices for Present Times",
    )
    assert item["available-date"]["date-parts"][0][0] == essay.published_at.year
    text = client.get(essay.get_absolute_url()).content.decode()
    assert re.search(r"First published in .*Dissident Marxism: Past Voices for Present Times", text)
    assert "by David Renton (London: Zed Books, 2004)" in text
    assert data["isPartOf"]["datePublished"] == "2004"


def test_a_translated_work_is_cited_as_its_english_edition(client):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor")
    sedgwick = make_person(name="Peter Sedgwick", sort_name="Sedgwick, Peter")
    work = make_work(
        title="Memoirs of a Revolutionary", original_title="Mémoires d'un révolutionnaire",
        original_language="fr", year_written=1942, year_published=1951,
        year_published_english=1963, publisher="Oxford University Press", authors=[serge],
    )  # fmt: skip
    Contribution.objects.create(work=work, person=sedgwick, role="translator")

    entries, ris, items = downloads(client, "works:cite", slug=work.slug)
    page, item, data = check_agreement(
        client, work.get_absolute_url(), (entries, ris, items),
        authors=[("Serge", "Victor")], title="Memoirs of a Revolutionary", year=1963,
    )  # fmt: skip
    assert item["original-date"] == {"date-parts": [[1951]]}
    assert item["language"] == "en"
    assert entries[0]["origdate"] == "1951"
    assert ris[0]["original_publication"] == "1951"
    assert meta_values(page, "citation_language") == ["en"]
    assert data["translator"][0]["name"] == "Peter Sedgwick"
    assert data["translationOfWork"]["datePublished"] == "1951"


def test_a_work_known_only_by_the_year_written_has_that_date_everywhere(client):
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor")
    work = make_work(title="Year Two of the Russian Revolution", year_written=1928, authors=[serge])

    check_agreement(
        client, work.get_absolute_url(), downloads(client, "works:cite", slug=work.slug),
        authors=[("Serge", "Victor")], title="Year Two of the Russian Revolution", year=1928,
    )  # fmt: skip


def test_a_person_with_a_single_name_is_never_split(client):
    mao = make_person(name="Mao Zedong", sort_name="Mao Zedong")
    work = make_work(title="On Guerrilla Warfare", year_published=1937, authors=[mao])

    page, item, _ = check_agreement(
        client, work.get_absolute_url(), downloads(client, "works:cite", slug=work.slug),
        authors=[("Mao Zedong", "")], title="On Guerrilla Warfare", year=1937,
    )  # fmt: skip
    assert item["author"] == [{"literal": "Mao Zedong"}]
    assert "Zedong, Mao" not in client.get(work.get_absolute_url()).content.decode()
