"""
The XML sitemap, one Sitemap per kind of page.

/sitemap.xml is always a sitemap index (sergesite.views.sitemap_xml), never
a <urlset>: its size and its queries stay the same whatever the size of the
site, and crawlers see one layout as the site grows. It lists each kind's
pages, /sitemap-<name>.xml?p=N, of at most `limit` addresses each: 10,000,
a fifth of the protocol's 50,000, so that no page costs more than a few
hundred kilobytes and a fraction of a second to build.

The index reads four totals (kind_totals: a count and a latest change per
table). Each page reads its kind's count and one slice of it, ordered by an
indexed column and fetching only the columns its addresses and dates need.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from essays.models import Essay, Section
from people.models import Person
from works.models import Work

# When a published essay last changed for a reader: an essay scheduled
# and edited before its date appears on that date.
ESSAY_CHANGED = Greatest("updated_at", "published_at")


class HostSitemap(Sitemap):
    """
    A sitemap whose addresses use the host the sitemap was asked for.
    django.contrib.sites is installed for redirects only; without this the
    sitemap would name its Site row's placeholder domain.
    """

    limit = 10_000

    def __init__(self, request):
        self.host = RequestSite(request)

    def pages(self, count):
        """How many pages `count` addresses take (an empty kind still has its one page)."""
        return max(1, -(-count // self.limit))

    def index_entry(self, totals):
        """(pages, lastmod or None) of this kind in the index, from kind_totals()."""
        raise NotImplementedError

    @cached_property
    def paginator(self):
        # Django's is a property that counts the items again at every use.
        return Paginator(self._items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        return super().get_urls(page=page, site=self.host, protocol=protocol)


class PageSitemap(HostSitemap):
    """The home page and the index pages, dated by what they list."""

    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return ["home", "people:index", "works:index", "years:index"]

    def location(self, name):
        return reverse(name)

    @cached_property
    def _changed(self):
        # Three queries, whatever the number of essays, people and works.
        essays = Essay.objects.published().aggregate(latest=Max(ESSAY_CHANGED))["latest"]
        people = Person.objects.aggregate(latest=Max("updated_at"))["latest"]
        works = Work.objects.aggregate(latest=Max("updated_at"))["latest"]
        return {
            "home": essays,
            "people:index": people,
            "works:index": works,
            # Years are read from people's and works' dates.
            "years:index": max(filter(None, [people, works]), default=None),
        }

    def lastmod(self, name):
        return self._changed[name]

    def index_entry(self, totals):
        latest = (totals[name]["latest"] for name in ("essays", "people", "works"))
        return self.pages(len(self.items())), max(filter(None, latest), default=None)


class SlugSitemap(HostSitemap):
    """
    A kind whose pages have one address pattern with the slug in it. Items
    are (slug, lastmod) rows rather than model instances, and the pattern is
    reversed once per page rather than once per address: over 10,000
    addresses, making instances and reversing each address took most of
    the page's time. Rows come by primary key, so a page is a slice of an
    index and a record keeps its page as others are added.
    """

    url_name = None
    _PLACEHOLDER = "sitemap-slug-placeholder"

    @cached_property
    def _around_slug(self):
        return reverse(self.url_name, kwargs={"slug": self._PLACEHOLDER}).split(self._PLACEHOLDER)

    def location(self, row):
        slug = row[0]
        if not slug.isascii():
            # reverse() percent-encodes other characters its own way.
            return reverse(self.url_name, kwargs={"slug": slug})
        before, after = self._around_slug
        return f"{before}{slug}{after}"

    def lastmod(self, row):
        return row[1]


class EssaySitemap(SlugSitemap):
    changefreq = "monthly"
    priority = 0.8
    url_name = "essays:detail"

    def items(self):
        return (
            Essay.objects.published()
            .order_by("pk")
            .annotate(changed=ESSAY_CHANGED)
            .values_list("slug", "changed")
        )

    def index_entry(self, totals):
        return self.pages(totals["essays"]["count"]), totals["essays"]["latest"]


class SectionSitemap(HostSitemap):
    changefreq = "weekly"

    def items(self):
        published = Q(essays__status=Essay.Status.PUBLISHED) & Q(
            essays__published_at__lte=timezone.now()
        )
        latest = Max(Greatest("essays__updated_at", "essays__published_at"), filter=published)
        # A query with an aggregate drops Meta.ordering; pages need an order.
        return (
            Section.objects.annotate(latest_essay=latest)
            .only("slug", "updated_at")
            .order_by("menu_order", "title", "pk")
        )

    def lastmod(self, section):
        # A section's page changes with its intro and with its essays.
        return max(filter(None, [section.updated_at, section.latest_essay]))

    def index_entry(self, totals):
        # Every published essay is in a section.
        latest = (totals["sections"]["latest"], totals["essays"]["latest"])
        return self.pages(totals["sections"]["count"]), max(filter(None, latest), default=None)


class PersonSitemap(SlugSitemap):
    changefreq = "monthly"
    url_name = "people:detail"

    def items(self):
        return Person.objects.order_by("pk").values_list("slug", "updated_at")

    def index_entry(self, totals):
        return self.pages(totals["people"]["count"]), totals["people"]["latest"]


class WorkSitemap(SlugSitemap):
    changefreq = "monthly"
    url_name = "works:detail"

    def items(self):
        return Work.objects.order_by("pk").values_list("slug", "updated_at")

    def index_entry(self, totals):
        return self.pages(totals["works"]["count"]), totals["works"]["latest"]


class YearSitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.3
    # A year in an address has at most four digits: there are never more
    # than 9,999 of them, so they always fit on the one page.
    limit = 10_000

    def items(self):
        return sorted(years_recorded())

    def location(self, year):
        return reverse("years:detail", kwargs={"year": year})

    def index_entry(self, totals):
        return 1, None


def years_recorded():
    """
    The years that have a page (see works.years.counts): one query that
    hands back each distinct year, or span of years written, once, rather
    than every person's and work's dates.
    """

    def span(model, first, last):
        return (
            model.objects.order_by()
            .annotate(first=first, last=last)
            .filter(first__isnull=False)
            .values_list("first", "last")
        )

    spans = (
        span(Person, ExtractYear("birth_date"), ExtractYear("birth_date"))
        .union(
            span(Person, ExtractYear("death_date"), ExtractYear("death_date")),
            span(Work, F("year_written"), Coalesce("year_written_end", "year_written")),
            span(Work, F("year_published"), F("year_published")),
            span(Work, F("year_published_english"), F("year_published_english")),
        )
        .order_by()
    )  # else Person's default order applies to the union, naming no column of it
    found = set()
    for start, end in spans:
        found.update(range(start, max(start, end) + 1))
    return found


URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def urlset(urls):
    """
    The <urlset> of one page, from Sitemap.get_urls(): the XML Django's
    sitemap template writes, written here directly, since rendering that
    template over 10,000 addresses takes seconds.
    """
    lines = [URLSET_OPEN]
    for url in urls:
        line = [f"<url><loc>{escape(url['location'])}</loc>"]
        if url["lastmod"]:
            line.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
        if url["changefreq"]:
            line.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            line.append(f"<priority>{escape(url['priority'])}</priority>")
        line.append("</url>\n")
        lines.append("".join(line))
    lines.append("</urlset>\n")
    return "".join(lines)


def _day(value):
    # As the template's |date:"Y-m-d": a moment is dated in the site's time zone.
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d}"


def kind_totals():
    """
    {kind: {"count", "latest"}} of essays (published ones), people, works
    and sections, for the sitemap index: four queries, one per table.
    """
    return {
        "essays": Essay.objects.published().aggregate(count=Count("pk"), latest=Max(ESSAY_CHANGED)),
        "people": Person.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "works": Work.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "sections": Section.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
    }


SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "essays": EssaySitemap,
    "people": PersonSitemap,
    "works": WorkSitemap,
    "years": YearSitemap,
}
