from django.contrib.sitemaps import Sitemap

from essays.models import Essay, Section
from people.models import Person
from works.models import Work


class EssaySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Essay.objects.published().only("slug", "updated_at")

    def lastmod(self, essay):
        return essay.updated_at


class SectionSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Section.objects.all()


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class WorkSitemap(Sitemap):
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
