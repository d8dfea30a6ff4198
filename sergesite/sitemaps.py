from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite

from essays.models import Essay, Section
from people.models import Person
from works.models import Work


class HostSitemap(Sitemap):
    """
    A sitemap whose addresses use the host the sitemap was asked for.
    django.contrib.sites is installed for redirects only; without this the
    sitemap would name its Site row's placeholder domain.
    """

    def __init__(self, request):
        self.host = RequestSite(request)

    def get_urls(self, page=1, site=None, protocol=None):
        return super().get_urls(page=page, site=self.host, protocol=protocol)


class EssaySitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Essay.objects.published().only("slug", "updated_at")

    def lastmod(self, essay):
        return essay.updated_at


class SectionSitemap(HostSitemap):
    changefreq = "weekly"

    def items(self):
        return Section.objects.all()


class PersonSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class WorkSitemap(HostSitemap):
    changefreq = "monthly"

    def items(self):
        return Work.objects.only("slug", "updated_at")

    def lastmod(self, work):
        return work.updated_at


SITEMAPS = {
    "essays": EssaySitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "works": WorkSitemap,
}
