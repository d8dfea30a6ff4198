"""
The XML sitemap, one Sitemap per kind of page. sergesite.views serves them
as one <urlset> at /sitemap.xml while each fits on a page (`limit`
addresses, the protocol's 50,000), and as a sitemap index of
/sitemap-<name>.xml pages as soon as one does not.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from essays.models import Essay, Section
from people.models import Person
from works import years
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

    def __init__(self, request):
        self.host = RequestSite(request)

    @cached_property
    def paginator(self):
        # Django's is a property that counts the items again at every use;
        # the view asks for it once to choose between a urlset and an index.
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

    def get_latest_lastmod(self):
        return max(filter(None, self._changed.values()), default=None)


class EssaySitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Essay.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, essay):
        return max(essay.updated_at, essay.published_at)

    def get_latest_lastmod(self):
        # One query, where Django's default would read every essay.
        return self.items().aggregate(latest=Max(ESSAY_CHANGED))["latest"]


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


class PersonSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at

    def get_latest_lastmod(self):
        return Person.objects.aggregate(latest=Max("updated_at"))["latest"]


class WorkSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Work.objects.only("slug", "updated_at")

    def lastmod(self, work):
        return work.updated_at

    def get_latest_lastmod(self):
        return Work.objects.aggregate(latest=Max("updated_at"))["latest"]


class YearSitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return sorted(years.counts())

    def location(self, year):
        return reverse("years:detail", kwargs={"year": year})


SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "essays": EssaySitemap,
    "people": PersonSitemap,
    "works": WorkSitemap,
    "years": YearSitemap,
}
