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

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

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


class EssaySitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # By primary key: a page is a slice of an index, and an essay keeps its page.
        return Essay.objects.published().only("slug", "updated_at", "published_at").order_by("pk")

    def lastmod(self, essay):
        return max(essay.updated_at, essay.published_at)

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


class PersonSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at

    def index_entry(self, totals):
        return self.pages(totals["people"]["count"]), totals["people"]["latest"]


class WorkSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Work.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, work):
        return work.updated_at

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
