"""The demo content, and from it one page of each kind for the page checks."""

from types import SimpleNamespace

from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Length

from essays.models import Essay, Section
from people.models import Person
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
    )
