"""
Atom and RSS feeds of published essays: the latest, and those of one section,
one tag or one person. Each entry carries the summary and the whole essay.

django.contrib.sites is installed for redirects only and its Site row holds a
placeholder domain, which Feed would put in front of relative links. Every
address here is made absolute from the request's own host instead, which is
why the request travels with the feed's "object" (a Channel): Feed passes
that object, not the request, to link(), feed_url() and items().
"""

from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from taggit.models import Tag

from people.models import Person
from sergesite.markup import sanitize

from .models import Essay, Mention, Section

FEED_LENGTH = 20


class AtomWithContent(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class RssWithContent(Rss201rev2Feed):
    CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": self.CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has no updated date of its own; the atom namespace is declared already.
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])


def absolute_html(body_html, base_url):
    """
    Sanitized HTML with every link and image address absolute against
    base_url (the essay's own address, so footnote links "#fn:1" still point
    into it), and sanitized again on the way out.
    """
    # Imported by the first feed, not with the URLconf: a worker serving
    # pages has no other use for lxml (see sergesite/paragraphs.py).
    import lxml.html

    root = lxml.html.fragment_fromstring(body_html or "", create_parent="div")
    root.make_links_absolute(base_url, resolve_base_href=False)
    head = escape(root.text or "")
    return sanitize(head + "".join(lxml.html.tostring(child, encoding="unicode") for child in root))


@dataclass
class Channel:
    request: HttpRequest
    title: str
    description: str
    page: str  # the address of the HTML page this feed follows
    essays: QuerySet


class EssayFeed(Feed):
    """The latest published essays: /feed/ and, with atom=True, /feed/atom/."""

    def __init__(self, *, atom=False):
        self.feed_type = AtomWithContent if atom else RssWithContent

    def channel(self, request, **kwargs):
        return Channel(
            request,
            title=settings.SITE_NAME,
            description="New essays on the history of the left.",
            page=reverse("home"),
            essays=Essay.objects.published(),
        )

    def get_object(self, request, *args, **kwargs):
        return self.channel(request, **kwargs)

    def title(self, channel):
        return channel.title

    def description(self, channel):
        return channel.description

    def subtitle(self, channel):
        return channel.description

    def link(self, channel):
        return channel.request.build_absolute_uri(channel.page)

    def feed_url(self, channel):
        return channel.request.build_absolute_uri(channel.request.path)

    def items(self, channel):
        # Three queries whatever the number of essays: the essays with their
        # sections, their tags, their authors. The Markdown source is never needed.
        essays = list(
            channel.essays.select_related("section")
            .defer("body", "toc")
            .prefetch_related("tags", "essay_authors__person")[:FEED_LENGTH]
        )
        host = urlsplit("//" + channel.request.get_host()).hostname
        for essay in essays:
            essay.absolute_url = channel.request.build_absolute_uri(essay.get_absolute_url())
            # A tag: URI stays the same when the title, slug or section
            # changes. created_at rather than published_at: an editor may
            # move the publication date, but a record is created only once.
            # Its microseconds, not the primary key, tell essays apart: an
            # export and import (or a move to PostgreSQL) keeps created_at
            # but renumbers the rows.
            created = essay.created_at.astimezone(UTC)
            essay.feed_id = f"tag:{host},{created:%Y-%m-%d}:essay/{created:%Y%m%dT%H%M%S.%fZ}"
        return essays

    def item_link(self, essay):
        return essay.absolute_url

    def item_guid(self, essay):
        return essay.feed_id

    item_guid_is_permalink = False

    def item_title(self, essay):
        return essay.title

    def item_description(self, essay):
        # The summary is plain text; both formats read this element as HTML.
        return escape(essay.summary or essay.title)

    def item_extra_kwargs(self, essay):
        return {"content": absolute_html(essay.body_html, essay.absolute_url)}

    def item_author_name(self, essay):
        return essay.byline or None

    def item_pubdate(self, essay):
        return essay.published_at

    def item_updateddate(self, essay):
        # A scheduled essay edited before it went out was new when it appeared.
        return max(essay.updated_at, essay.published_at)

    def item_categories(self, essay):
        return [essay.section.title, *sorted(tag.name for tag in essay.tags.all())]


class SectionFeed(EssayFeed):
    def channel(self, request, *, slug):
        section = get_object_or_404(Section, slug=slug)
        return Channel(
            request,
            title=f"{section.title} · {settings.SITE_NAME}",
            description=f"New essays in the section “{section.title}”.",
            page=section.get_absolute_url(),
            essays=Essay.objects.published().filter(section=section),
        )


class TagFeed(EssayFeed):
    def channel(self, request, *, slug):
        tag = get_object_or_404(Tag, slug=slug)
        essays = Essay.objects.published().filter(tags=tag)
        # As on the tag's page: a tag used only on drafts gives nothing away.
        if not essays.exists():
            raise Http404("No published essays have this tag.")
        return Channel(
            request,
            title=f"Essays tagged “{tag.name}” · {settings.SITE_NAME}",
            description=f"New essays tagged “{tag.name}”.",
            page=reverse("essays:tag", kwargs={"slug": tag.slug}),
            essays=essays,
        )


class PersonFeed(EssayFeed):
    """
    Essays that discuss a person (ticked by an editor) or name them (accepted
    mentions). A person nobody has written about yet has an empty feed, so
    readers can follow them before the first essay.
    """

    def channel(self, request, *, slug):
        person = get_object_or_404(Person, slug=slug)
        # Subqueries rather than joins, so an essay comes once however
        # often it names the person.
        discussed = Essay.people.through.objects.filter(person=person).values("essay_id")
        mentioned = Mention.objects.public().filter(person=person).values("essay_id")
        return Channel(
            request,
            title=f"Essays on {person.name} · {settings.SITE_NAME}",
            description=f"New essays that discuss or mention {person.name}.",
            page=person.get_absolute_url(),
            essays=Essay.objects.published().filter(Q(pk__in=discussed) | Q(pk__in=mentioned)),
        )
