from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from essays.models import Essay, Section
from people.models import Person
from works import years
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


class YearSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return sorted(years.counts())

    def location(self, year):
        return reverse("years:detail", kwargs={"year": year})


SITEMAPS = {
    "essays": EssaySitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "works": WorkSitemap,
    "years": YearSitemap,
}
