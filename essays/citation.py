"""
How an essay is cited. csl_item() builds its one citation record (CSL-JSON);
the "Cite this" box, the downloads, the Highwire tags, COinS and JSON-LD are
all written from that record by sergesite.citations, so they cannot disagree.

An essay that reprints a chapter (part_of a book) is cited as that chapter:
type "chapter", the book's full title as container-title and its authors as
container-author, the book's publisher and year as the date of issue; the
day the site published it is the CSL available-date (Highwire
citation_online_date, BibTeX urldate, RIS Y2). See docs/CITATIONS.md.
"""

from urllib.parse import urljoin

from django.utils import timezone
from django.utils.functional import cached_property

from sergesite.citations import responses, styles, tags
from siteinfo.models import SiteSettings


def _date(moment):
    local = timezone.localtime(moment)
    return {"date-parts": [[local.year, local.month, local.day]]}


def csl_item(essay, base_url):
    """Reads the essay's authors and tags, and its book's contributors: prefetch them."""
    site = SiteSettings.current()
    item = {
        "id": f"essay-{essay.slug}",
        "type": "webpage",
        "title": essay.title,
        "author": [person.csl_name() for person in essay.author_list()],
        # The site's name once: as publisher too, styles print it twice.
        "container-title": site.name,
        "URL": urljoin(base_url, essay.get_absolute_url()),
        "language": "en",
    }
    if essay.published_at:
        item["issued"] = _date(essay.published_at)
    if essay.summary:
        item["abstract"] = " ".join(essay.summary.split())
    keywords = [tag.name for tag in essay.tags.all()]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    book = essay.part_of
    if book is not None:
        item["type"] = "chapter"
        item["container-title"] = book.full_title
        book_authors = [person.csl_name() for person in book.authors]
        if book_authors:
            item["container-author"] = book_authors
        for variable, value in [
            ("publisher", book.publisher),
            ("publisher-place", book.place),
            ("ISBN", book.isbn),
        ]:
            if value:
                item[variable] = value
        if book.year:
            if "issued" in item:
                item["available-date"] = item["issued"]
            item["issued"] = {"date-parts": [[book.year]]}
    return item


class Citation:
    """What an essay page shows and tells programs, from one csl_item()."""

    def __init__(self, essay, request):
        self.essay = essay
        self.request = request

    @cached_property
    def item(self):
        return self.essay.csl_item(self.request.build_absolute_uri("/"))

    @property
    def url(self):
        return self.item["URL"]

    def styles(self):
        return styles.render_all(self.item)

    def downloads(self):
        return responses.links("essays:cite", slug=self.essay.slug)

    def works_downloads(self):
        return responses.links("essays:works", slug=self.essay.slug)

    def meta_tags(self):
        return tags.highwire(self.item)

    def coins(self):
        return tags.coins(self.item)

    def open_graph(self):
        essay = self.essay
        pairs = [
            ("og:type", "article"),
            ("og:title", essay.title),
            ("og:url", self.url),
            ("og:site_name", SiteSettings.current().name),
            ("og:locale", "en_GB"),
        ]
        if essay.summary:
            pairs.append(("og:description", " ".join(essay.summary.split())))
        if essay.published_at:
            pairs.append(
                ("article:published_time", timezone.localtime(essay.published_at).isoformat())
            )
        pairs += [
            ("article:modified_time", timezone.localtime(essay.updated_at).isoformat()),
            ("article:section", essay.section.title),
        ]
        pairs += [("article:author", name) for name in self.essay.author_names()]
        pairs += [("article:tag", tag.name) for tag in essay.tags.all()]
        return pairs

    def _person(self, person):
        url = self.request.build_absolute_uri(person.get_absolute_url()) if person.pk else ""
        return person.schema_reference(url)

    def json_ld(self):
        essay, item = self.essay, self.item
        absolute = self.request.build_absolute_uri
        site = SiteSettings.current()
        data = {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "headline": item["title"],
            "name": item["title"],
            "url": self.url,
            "mainEntityOfPage": self.url,
            "author": [self._person(person) for person in essay.author_list()],
            "inLanguage": item["language"],
            "articleSection": essay.section.title,
            "dateModified": timezone.localtime(essay.updated_at).isoformat(),
            "publisher": {"@type": "Organization", "name": site.name, "url": absolute("/")},
        }
        if item.get("issued"):
            data["datePublished"] = tags.schema_date(item)
        if item.get("abstract"):
            data["description"] = item["abstract"]
        if item.get("keyword"):
            data["keywords"] = item["keyword"]
        book = essay.part_of
        if book is not None:
            data["isPartOf"] = {
                "@type": "Book",
                "name": book.full_title,
                "url": absolute(book.get_absolute_url()),
                "author": [self._person(person) for person in book.authors],
            }
            if book.year:
                data["isPartOf"]["datePublished"] = str(book.year)
        mentions = [
            {
                "@type": person.schema_type,
                "name": person.name,
                "url": absolute(person.get_absolute_url()),
            }
            for person in essay.people.all()
        ] + [
            {"@type": "CreativeWork", "name": work.title, "url": absolute(work.get_absolute_url())}
            for work in essay.works.all()
        ]
        if mentions:
            data["mentions"] = mentions
        return data
