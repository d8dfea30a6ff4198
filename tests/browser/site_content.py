"""The demo content, and from it one page of each kind for the page checks."""

from types import SimpleNamespace

from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Length
from django.urls import reverse

from essays.models import Essay, Section
from people.models import Person
from works import years
from works.models import Work


def build_site():
    # The real demo texts rather than made-up ones: footnotes, tables and
    # headings as editors write them are what the checks must pass.
    call_command("load_demo", verbosity=0)
    essay = (
        Essay.objects.published().filter(tags__isnull=False).order_by(Length("body").desc()).first()
    )
    return SimpleNamespace(
        section=Section.objects.annotate(n=Count("essays")).order_by("-n").first(),
        essay=essay,
        tag_slug=essay.tags.order_by("name").first().slug,
        person=Person.objects.annotate(n=Count("essays")).order_by("-n", "sort_name").first(),
        work=Work.objects.annotate(n=Count("contributions")).order_by("-n", "title").first(),
        busiest_year=max(tally := years.counts(), key=lambda year: (tally[year], -year)),
    )


def every_page():
    """The address of every person, work, published essay and year page."""
    return [
        *(person.get_absolute_url() for person in Person.objects.only("slug")),
        *(work.get_absolute_url() for work in Work.objects.only("slug")),
        *(essay.get_absolute_url() for essay in Essay.objects.published().only("slug")),
        reverse("years:index"),
        *(reverse("years:detail", kwargs={"year": year}) for year in sorted(years.counts())),
    ]
